import {
  type APIInteraction,
  Client,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  type GatewayMessageCreateDispatchData,
  type GatewayMessageReactionAddDispatchData,
  Routes,
} from 'discord.js';
import type { Logger } from '../../logger';
import type { InteractionHandler } from './interaction-handler';
import { discordCall } from './rest-errors';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * discord.js over the Gateway. Raw INTERACTION_CREATE / MESSAGE_CREATE
 * dispatches go to the shared handler; the initial response goes to the
 * interaction callback endpoint; MESSAGE_REACTION_ADD to the ticket-emoji handler. No privileged intent.
 */
export function createGatewayClient(opts: {
  token: string;
  apiUrl: string;
  onInteraction: InteractionHandler['handle'];
  onDirectMessage: (m: GatewayMessageCreateDispatchData) => Promise<void>;
  onReaction: (r: GatewayMessageReactionAddDispatchData) => Promise<void>;
  logger: Logger;
}) {
  const log = opts.logger.child({ component: 'discord-gateway' });
  // Server messages (agents' `>>` lines in card threads) and reactions (the ticket emoji); none of these is privileged.
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildMessageReactions];
  const client = new Client({ intents, rest: { api: opts.apiUrl } });
  client.rest.setToken(opts.token);
  client.on(Events.Error, (err) => log.error({ err }, 'discord.js client error'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ code: event.code, shard }, 'gateway disconnected'));

  client.ws.on(GatewayDispatchEvents.InteractionCreate, (i: APIInteraction) => {
    const respond = (body: unknown) =>
      discordCall('interaction callback', () => client.rest.post(Routes.interactionCallback(i.id, i.token), { body, auth: false })).then(() => undefined);
    opts
      .onInteraction(i, { respond, replayed: async () => undefined })
      .catch((err: unknown) => log.error({ err, interaction: i.id }, 'handling an interaction failed'));
  });
  client.ws.on(GatewayDispatchEvents.MessageCreate, (m: GatewayMessageCreateDispatchData) => {
    opts.onDirectMessage(m).catch((err: unknown) => log.error({ err, message: m.id }, 'handling a message failed'));
  });
  client.ws.on(GatewayDispatchEvents.MessageReactionAdd, (r: GatewayMessageReactionAddDispatchData) => {
    opts.onReaction(r).catch((err: unknown) => log.error({ err, message: r.message_id }, 'handling a reaction failed'));
  });

  return {
    rest: client.rest,
    async start(): Promise<void> {
      const ready = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('Discord gateway did not become ready in time')), READY_TIMEOUT_MS);
        client.once(Events.ClientReady, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await client.login(opts.token);
      await ready;
      log.info({ user: client.user?.id }, 'connected to the Discord gateway');
    },
    async stop(): Promise<void> {
      // Bounded: a Gateway that never answers the close must not hold up the process's shutdown.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS);
        timer.unref();
      });
      const how = await Promise.race([client.destroy().then(() => 'closed' as const), late]);
      clearTimeout(timer);
      if (how === 'late') log.warn({ ms: STOP_TIMEOUT_MS }, 'the Discord gateway did not close in time; leaving it');
    },
  };
}
