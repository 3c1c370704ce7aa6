import type { DiscordConfig } from '../../config/platforms/discord.env';
import type { PlatformContext, PlatformModule } from '../../core/platform-module';
import { ChatdeskError } from '../../domain/errors';

/** Wires Discord: the outbound adapter, the inbound routes, and the connection started with the server. */
export function createDiscordModule(config: DiscordConfig, ctx: PlatformContext): PlatformModule {
  void config;
  void ctx;
  throw new ChatdeskError('chatdesk_config_invalid', 'Discord support is not built yet');
}
