import type { TeamsEmulator } from '../emulators/teams';

/** The environment that points chatdesk's Teams integration at the emulator, with `agents` as the agent channel. */
export function teamsEnv(emu: TeamsEmulator, agents: string): Record<string, string> {
  return {
    TEAMS_APP_ID: emu.appId,
    TEAMS_APP_PASSWORD: emu.appPassword,
    TEAMS_TENANT_ID: emu.tenantId,
    TEAMS_AGENT_CHANNEL: agents,
    TEAMS_SERVICE_URL_ALLOWLIST: '127.0.0.1',
    TEAMS_OPENID_METADATA_URL: emu.openIdMetadataUrl,
    TEAMS_LOGIN_URL: emu.loginUrl,
    CHATDESK_PLAYGROUND: 'false',
  };
}
