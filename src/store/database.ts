import { MongoConsoleAuthStore } from './console-auth.repository';
import { MongoSavedViewStore } from './saved-views.repository';
import { MongoConsoleTickets } from './console-tickets';
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../logger';
import { MongoSlaNotificationLog, MongoTicketRepository } from './mongo-ticket.repository';
import { registerModels } from './ticket.model';
import { type EmbeddedBackend, type EmbeddedMongo, startEmbeddedMongo } from './embedded-mongo';
import { registerInboxModel } from './inbox.model';
import { MongoInboxStore } from './mongo-inbox';
import { registerOutboxModel } from './outbox.model';
import { MongoOutboxStore } from './mongo-outbox';
import { backfillIntakeIds } from './ticket-intake-ids';
import { TicketVersionGuard } from './ticket-version-guard';
import { MongoConversationState } from './conversation-state';
import { registerApiTokenModel } from './api-token.model';
import { MongoApiTokenStore } from './api-token.repository';
import { registerWebhookModels } from './webhook.model';
import { MongoWebhookStore } from './webhook.repository';
import { backfillListBuckets, MongoTicketSearch } from './ticket-search';
import { MongoDailyStats } from './daily-stats';
import { MongoProcessPresence } from './process-presence';

export interface Store {
  uri: string;
  connection: Connection;
  tickets: MongoTicketRepository;
  slaNotifications: MongoSlaNotificationLog;
  /** The durable inbox of inbound requests. */
  inbox: MongoInboxStore;
  /** Deletes bookkeeping that protects nothing any more (the FerretDB version guards older than `before`). */
  purge(before: Date): Promise<void>;
  /** What adapters learn from inbound traffic (Teams service URLs, tenants, DM chats). */
  conversationState: MongoConversationState;
  /** The durable outbox of messages to send. */
  outbox: MongoOutboxStore;
  /** REST API tokens (digests only). */
  apiTokens: MongoApiTokenStore;
  /** Outbound webhook subscriptions and their delivery attempts. */
  webhooks: MongoWebhookStore;
  /** The REST API's ticket list (filters, sort, keyset pages). */
  ticketSearch: MongoTicketSearch;
  /** The web console's reads of tickets (equality lookups only) and its sign-in links and sessions. */
  consoleTickets: MongoConsoleTickets;
  consoleAuth: MongoConsoleAuthStore;
  /** Each person's saved queue views. */
  savedViews: MongoSavedViewStore;
  /** The reports' per-day summary (daily_stats) and each ticket's counted contribution. */
  dailyStats: MongoDailyStats;
  /** The other chatdesk processes on this database (this one shows itself from the store's opening on). */
  peers: MongoProcessPresence;
  /** The embedded database when no URI was given: its backend, `healthy()`, and `down`/`up` events as its parts restart. */
  embedded?: EmbeddedMongo;
  /** Database commands sent since start, by name and collection. */
  commandCounts(): Array<{ command: string; collection: string; n: number }>;
  /** Answers a ping within `timeoutMs`, or throws: what /readyz asks. */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects to MONGODB_URI, or starts the embedded FerretDB (on PostgreSQL or
 * SQLite) in `dataDir` when no URI is given. Indexes are created before the store is handed out.
 */
export async function openStore(opts: {
  uri?: string;
  dataDir: string;
  ferretdbBinary?: string;
  /** CHATDESK_EMBEDDED_DB; unset: see chooseBackend in embedded-mongo.ts. */
  embeddedBackend?: EmbeddedBackend;
  logger: Logger;
}): Promise<Store> {
  const embedded: EmbeddedMongo | undefined = opts.uri
    ? undefined
    : await startEmbeddedMongo({ dataDir: opts.dataDir, binary: opts.ferretdbBinary, backend: opts.embeddedBackend, logger: opts.logger });
  const uri = opts.uri ?? embedded!.uri;
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: false, monitorCommands: true });
  // Database commands by name (insert, update, find …) and collection, for /metrics and the intake bench's writes per ticket.
  const commands = new Map<string, { command: string; collection: string; n: number }>();
  const countCommands = () =>
    connection.getClient().on('commandStarted', (e: { commandName: string; command: Record<string, unknown> }) => {
      const target = e.command[e.commandName];
      const collection = typeof target === 'string' ? target : '';
      const key = `${e.commandName}\t${collection}`;
      const row = commands.get(key);
      if (row) row.n++;
      else commands.set(key, { command: e.commandName, collection, n: 1 });
    });
  const models = registerModels(connection);
  const Inbox = registerInboxModel(connection);
  const Outbox = registerOutboxModel(connection);
  let versionGuard: TicketVersionGuard | undefined;
  let conversationState!: MongoConversationState;
  let dailyStats!: MongoDailyStats;
  let peers!: MongoProcessPresence;
  const ApiTokens = registerApiTokenModel(connection);
  const webhookModels = registerWebhookModels(connection);
  const savedViews = MongoSavedViewStore.register(connection);
  try {
    await connection.asPromise();
    countCommands();
    // Shown before this process changes anything (the backfills below may): see IndexFollower.
    peers = await MongoProcessPresence.start(connection, opts.logger);
    // A FerretDB that several processes may share (reached through MONGODB_URI) needs the version guard; MongoDB does not,
    // and neither does the embedded one: only this process reaches it, and it changes a ticket one writer at a time
    // (KeyedMutex, shared with its SLA worker). That saves an insert per ticket change: 0.3 per opened ticket, 1 per SLA reminder.
    const info = await connection.db!.admin().command({ buildInfo: 1 });
    if ('ferretdbVersion' in info && !embedded) versionGuard = TicketVersionGuard.register(connection);
    conversationState = MongoConversationState.register(connection);
    dailyStats = await MongoDailyStats.open(connection);
    const backfilled = await backfillIntakeIds(models);
    if (backfilled > 0) opts.logger.info({ tickets: backfilled }, 'tickets opened without an inbound request got their own intake id');
    await Promise.all(
      [
        ...Object.values(models),
        Inbox,
        Outbox,
        ApiTokens,
        savedViews.model(),
        ...Object.values(webhookModels),
        ...(versionGuard ? [versionGuard.model()] : []),
      ].map((m) => m.syncIndexes()),
    );
    const filled = await backfillListBuckets(models);
    if (filled > 0) opts.logger.info({ tickets: filled }, 'tickets given their list buckets (REST API list)');
  } catch (err) {
    peers?.stop();
    await connection.close().catch(() => undefined);
    await embedded?.stop();
    throw err;
  }
  opts.logger.info({ embedded: !!embedded }, 'database connected');
  return {
    uri,
    ...(embedded ? { embedded } : {}),
    connection,
    tickets: new MongoTicketRepository(models, versionGuard),
    slaNotifications: new MongoSlaNotificationLog(models, versionGuard),
    inbox: new MongoInboxStore(Inbox),
    outbox: new MongoOutboxStore(Outbox),
    conversationState,
    purge: async (before) => {
      await versionGuard?.purge(before);
      await dailyStats.purge(before);
    },
    apiTokens: new MongoApiTokenStore(ApiTokens),
    webhooks: new MongoWebhookStore(webhookModels),
    ticketSearch: new MongoTicketSearch(models),
    consoleTickets: new MongoConsoleTickets(models),
    consoleAuth: MongoConsoleAuthStore.register(connection),
    savedViews,
    dailyStats,
    peers,
    commandCounts: () => [...commands.values()].map((r) => ({ ...r })),
    ping: async (timeoutMs) => {
      const db = connection.db;
      if (!db || connection.readyState !== 1) throw new Error('not connected to the database');
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          db.command({ ping: 1 }),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`the database did not answer a ping within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => {
      peers.stop();
      await connection.close();
      await embedded?.stop();
    },
  };
}
