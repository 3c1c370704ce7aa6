import { REST } from 'discord.js';
import type { DiscordConfig } from '../../config/platforms/discord.env';
import type { PlatformContext, PlatformModule, Route } from '../../core/platform-module';
import { registerCommands } from './application-command';
import { directMessageHandler } from './direct-messages';
import { DiscordAdapter } from './discord-adapter';
import { DiscordReplier } from './discord-replier';
import { createGatewayClient } from './gateway-client';
import { InteractionHandler } from './interaction-handler';
import { InteractionWebhook } from './interaction-replies';
import { interactionsEndpoint } from './interactions-endpoint';
import { guildBinding } from './guild-binding';
import { serverMessageHandlers } from './server-messages';

/**
 * Wires Discord: the outbound adapter, the inbound routes, and the connection
 * started with the server. `gateway` mode logs discord.js in over the Gateway
 * (one replica); `http` mode answers the signed interactions endpoint
 * (stateless, several replicas). The endpoint is mounted whenever a public key
 * is set, since Discord sends interactions there once the portal's
 * Interactions Endpoint URL is set, even to a bot on the Gateway.
 */
export function createDiscordModule(config: DiscordConfig, ctx: PlatformContext): PlatformModule {
  const logger = ctx.logger.child({ platform: 'discord' });
  const gateway =
    config.mode === 'gateway'
      ? createGatewayClient({
          token: config.botToken,
          apiUrl: config.apiUrl,
          onInteraction: async (i, reply) => {
            if (await binding.interaction(i)) await handler.handle(i, reply);
          },
          onDirectMessage: async (m) => {
            if (m.guild_id) {
              if (!config.guildId || m.guild_id === config.guildId) await server.threadLine(m);
              return;
            }
            if (m.author.bot || (await binding.directMessage(m.author.id))) await onDirectMessage(m);
          },
          onReaction: async (r) => {
            if (r.guild_id && (!config.guildId || r.guild_id === config.guildId)) await server.reaction(r);
          },
          logger,
        })
      : undefined;
  const rest = gateway?.rest ?? new REST({ api: config.apiUrl }).setToken(config.botToken);
  const adapter = new DiscordAdapter(rest, logger, config.guildId);
  const binding = guildBinding(config.guildId, adapter, logger);
  const webhook = new InteractionWebhook(rest, config.applicationId);
  const handler = new InteractionHandler({ desk: ctx.desk, intake: ctx.intake, webhook, logger });
  const onDirectMessage = directMessageHandler({ desk: ctx.desk, intake: ctx.intake, adapter, logger });
  const server = serverMessageHandlers({ desk: ctx.desk, intake: ctx.intake, logger });

  // One Gateway session per bot across replicas: the process holding the lease connects; another takes over when it dies.
  let session: ReturnType<NonNullable<PlatformContext['singletons']>['run']> | undefined;
  const routes: Route[] = config.publicKey
    ? [interactionsEndpoint({ publicKey: config.publicKey, handler, logger, allowed: (i) => binding.interaction(i) })]
    : [];
  return {
    adapter,
    replier: new DiscordReplier(adapter, webhook),
    routes,
    async start() {
      await registerCommands(rest, { applicationId: config.applicationId, guildId: config.guildId, desk: ctx.desk.desk });
      if (gateway && ctx.singletons) {
        session = ctx.singletons.run(
          'discord-gateway',
          () => gateway.start(),
          () => gateway.stop(),
        );
        await session.firstLook;
      } else await gateway?.start();
    },
    async stop() {
      if (gateway && session) await session.release();
      else if (gateway) await gateway.stop();
      else {
        rest.clearHashSweeper();
        rest.clearHandlerSweeper();
      }
    },
  };
}
