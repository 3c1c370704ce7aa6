import { App } from '@microsoft/teams.apps';
import { PUBLIC, withOverrides } from '@microsoft/teams.api';
import type { TeamsConfig } from '../../config/platforms/teams.env';
import type { PlatformContext, PlatformModule } from '../../core/platform-module';
import { ChatdeskError } from '../../domain/errors';
import { BotTokenSource } from './bot-token';
import { ChatdeskHttpAdapter, TEAMS_MESSAGES_PATH } from './inbound-route';
import { retryMiddleware } from './retry-middleware';
import { sdkLogger } from './sdk-logger';
import { registerTeamsActions } from './teams-actions';
import { GLOBAL_SERVICE_URL, TeamsAdapter } from './teams-adapter';
import { registerTeamsCommands } from './teams-commands';
import { registerTeamsMessageAction } from './teams-message-action';
import { TeamsReplier } from './teams-replier';

export { TEAMS_MESSAGES_PATH };

/**
 * Wires Teams on the Teams SDK (`@microsoft/teams.apps`): the SDK validates
 * inbound tokens and routes activities, mounted on chatdesk's HTTP server at
 * /teams/messages through a custom transport adapter (no second port); the
 * bot's tokens come from client credentials against TEAMS_LOGIN_URL.
 */
export function createTeamsModule(config: TeamsConfig, ctx: PlatformContext): PlatformModule {
  const log = ctx.logger.child({ platform: 'teams' });
  if (!/\/openidconfiguration$/.test(config.openIdMetadataUrl)) {
    // The SDK derives the signing keys' URL from it (…/openidconfiguration -> …/keys).
    throw new ChatdeskError('chatdesk_config_invalid', 'TEAMS_OPENID_METADATA_URL must end with /openidconfiguration');
  }
  if (process.env.CLIENT_SECRET) log.warn({}, 'CLIENT_SECRET is set in the environment: the Teams SDK prefers it over TEAMS_APP_PASSWORD and would use MSAL');
  const cloud = withOverrides(PUBLIC, { openIdMetadataUrl: config.openIdMetadataUrl, loginEndpoint: config.loginUrl });
  const transport = new ChatdeskHttpAdapter({ allowlist: config.serviceUrlAllowlist, tokenIssuer: cloud.tokenIssuer, logger: log, tenantId: config.tenantId });
  if (!config.tenantId) log.warn({}, 'workspace binding is off: activities from any tenant are accepted (set TEAMS_TENANT_ID)');
  const tokens = new BotTokenSource({ loginUrl: config.loginUrl, appId: config.appId, appPassword: config.appPassword, tenantId: config.tenantId });
  const app = new App({
    clientId: config.appId,
    tenantId: config.tenantId,
    token: tokens.get,
    cloud,
    serviceUrl: GLOBAL_SERVICE_URL,
    httpServerAdapter: transport,
    messagingEndpoint: TEAMS_MESSAGES_PATH,
    dangerouslyAllowUnauthenticatedRequests: false,
    logger: sdkLogger(log),
    client: { middlewares: [retryMiddleware(log)] },
  });
  app.event('error', ({ error }) => log.error({ err: error }, 'Teams activity handler failed'));
  const adapter = new TeamsAdapter(app, { appId: config.appId, tenantId: config.tenantId }, ctx.state, log);
  const deps = { desk: ctx.desk, intake: ctx.intake, adapter, logger: log };
  registerTeamsCommands(app, deps);
  registerTeamsActions(app, deps);
  registerTeamsMessageAction(app, deps);
  return {
    adapter,
    replier: new TeamsReplier(adapter),
    routes: [transport.route],
    // Registers the SDK's messaging handler on the transport and builds its token validator; never listens itself.
    start: async () => {
      await adapter.restore();
      await app.initialize();
    },
    stop: () => app.stop(),
  };
}
