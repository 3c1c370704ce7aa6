import type { FeishuConfig } from '../../config/platforms/feishu.env';
import type { PlatformContext, PlatformModule } from '../../core/platform-module';
import { ChatdeskError } from '../../domain/errors';

/** Wires Feishu: the outbound adapter, the inbound routes, and the connection started with the server. */
export function createFeishuModule(config: FeishuConfig, ctx: PlatformContext): PlatformModule {
  void config;
  void ctx;
  throw new ChatdeskError('chatdesk_config_invalid', 'Feishu support is not built yet');
}
