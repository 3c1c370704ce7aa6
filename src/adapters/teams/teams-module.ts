import type { TeamsConfig } from '../../config/platforms/teams.env';
import type { PlatformContext, PlatformModule } from '../../core/platform-module';
import { ChatdeskError } from '../../domain/errors';

/** Wires Teams: the outbound adapter, the inbound routes, and the connection started with the server. */
export function createTeamsModule(config: TeamsConfig, ctx: PlatformContext): PlatformModule {
  void config;
  void ctx;
  throw new ChatdeskError('chatdesk_config_invalid', 'Teams support is not built yet');
}
