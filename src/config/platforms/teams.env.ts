import type { z } from 'zod';
import { baseUrl, commaList, optionalString, requireTogether } from './env-helpers';

/** Microsoft Teams (Teams SDK, Bot Framework protocol). On when TEAMS_APP_ID and TEAMS_APP_PASSWORD are set. */
export const teamsEnvShape = {
  TEAMS_APP_ID: optionalString,
  TEAMS_APP_PASSWORD: optionalString,
  TEAMS_TENANT_ID: optionalString,
  TEAMS_AGENT_CHANNEL: optionalString,
  TEAMS_SERVICE_URL_ALLOWLIST: commaList.default(['smba.trafficmanager.net', 'smba.infra.gcc.teams.microsoft.com']),
  TEAMS_OPENID_METADATA_URL: baseUrl.default('https://login.botframework.com/v1/.well-known/openidconfiguration'),
  TEAMS_LOGIN_URL: baseUrl.default('https://login.microsoftonline.com'),
};

export interface TeamsConfig {
  appId: string;
  appPassword: string;
  tenantId?: string;
  agentChannel?: string;
  serviceUrlAllowlist: string[];
  openIdMetadataUrl: string;
  loginUrl: string;
}

type TeamsEnv = z.infer<z.ZodObject<typeof teamsEnvShape>>;

export function refineTeamsEnv(env: TeamsEnv, ctx: z.RefinementCtx): void {
  requireTogether(env, ['TEAMS_APP_ID', 'TEAMS_APP_PASSWORD'], ctx);
}

export function teamsConfigFromEnv(env: TeamsEnv): TeamsConfig | undefined {
  if (!env.TEAMS_APP_ID || !env.TEAMS_APP_PASSWORD) return undefined;
  return {
    appId: env.TEAMS_APP_ID,
    appPassword: env.TEAMS_APP_PASSWORD,
    tenantId: env.TEAMS_TENANT_ID,
    agentChannel: env.TEAMS_AGENT_CHANNEL,
    serviceUrlAllowlist: env.TEAMS_SERVICE_URL_ALLOWLIST,
    openIdMetadataUrl: env.TEAMS_OPENID_METADATA_URL,
    loginUrl: env.TEAMS_LOGIN_URL,
  };
}
