import { Client, DefaultCache, EventDispatcher, LoggerLevel } from '@larksuiteoapi/node-sdk';
import type { FeishuConfig } from '../../config/platforms/feishu.env';
import type { PlatformContext, PlatformModule } from '../../core/platform-module';
import { appLinkBase } from './app-link';
import { Background } from './background';
import { type CardActionEvent, FeishuCardActions } from './feishu-card-actions';
import { FeishuAdapter } from './feishu-adapter';
import { FeishuCommands, type MenuEvent, type MessageEvent, type ReactionEvent } from './feishu-commands';
import { FeishuReplier } from './feishu-replier';
import { FEISHU_CARD_PATH, FEISHU_EVENTS_PATH, larkRoute } from './feishu-routes';
import { larkLogger } from './lark-logger';

/** Wires Feishu: the outbound adapter, the inbound routes, and the connection started with the server. */
export function createFeishuModule(config: FeishuConfig, ctx: PlatformContext): PlatformModule {
  const log = ctx.logger.child({ platform: 'feishu' });
  const sdkLogger = larkLogger(log);
  const client = new Client({
    appId: config.appId,
    appSecret: config.appSecret,
    domain: config.apiUrl,
    cache: new DefaultCache(), // this app's tenant token only, not the SDK's process-wide cache
    logger: sdkLogger,
    loggerLevel: LoggerLevel.warn,
  });
  const adapter = new FeishuAdapter(client, undefined, appLinkBase(config.apiUrl));
  const background = new Background(log);
  const deps = { desk: ctx.desk, intake: ctx.intake, logger: log, adapter };
  const commands = new FeishuCommands(deps);
  const cardActions = new FeishuCardActions(deps);

  const sdk = { logger: sdkLogger, loggerLevel: LoggerLevel.warn, encryptKey: config.encryptKey, verificationToken: config.verificationToken };
  const events = new EventDispatcher(sdk).register({
    // Stored before Feishu hears back (the dispatcher awaits the handler; a failure answers 500 and Feishu delivers again).
    'im.message.receive_v1': async (data: MessageEvent) => {
      await commands.onMessage(data, (what, work) => background.run(what, work));
      return {};
    },
    'im.message.reaction.created_v1': async (data: ReactionEvent) => {
      await commands.onReaction(data);
      return {};
    },
    'application.bot.menu_v6': (data: MenuEvent) => {
      const work = commands.onMenu(data);
      if (work) background.run('a Feishu bot menu click', work);
      return {};
    },
  });
  const cards = new EventDispatcher(sdk).register<{ 'card.action.trigger': (data: CardActionEvent) => Promise<unknown> }>({
    'card.action.trigger': (data: CardActionEvent) => cardActions.handle(data),
  });
  if (!config.tenantKey) log.warn({}, 'workspace binding is off: events from any tenant are accepted (set FEISHU_TENANT_KEY)');
  const verify = { encryptKey: config.encryptKey, verificationToken: config.verificationToken };

  return {
    adapter,
    replier: new FeishuReplier(adapter),
    routes: [larkRoute(FEISHU_EVENTS_PATH, events, verify, log, config.tenantKey), larkRoute(FEISHU_CARD_PATH, cards, verify, log, config.tenantKey)],
    stop: () => background.drain(),
  };
}
