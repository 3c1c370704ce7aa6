import type { TicketClassifier } from './ai/classifier.port';
import type { TaxonomyLearner } from './ai/learning/learner.port';
import { ticketClassifierFor } from './ai/ticket-classifier-factory';
import { createPlaygroundRoutes } from './adapters/playground/playground-routes';
import { PlaygroundHub } from './adapters/playground/playground-hub';
import { playgroundSocket } from './adapters/playground/playground-socket';
import { playgroundHosts } from './adapters/playground/same-origin';
import { PlaygroundReplier } from './adapters/playground/playground-replier';
import { createDiscordModule } from './adapters/discord/discord-module';
import { createFeishuModule } from './adapters/feishu/feishu-module';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackApp } from './adapters/slack/slack-app';
import { createTeamsModule } from './adapters/teams/teams-module';
import { createEmailModule } from './adapters/email/email-module';
import type { AppConfig } from './config/load-config';
import { AdapterRegistry } from './core/chat-adapter.port';
import { HelpDesk } from './core/help-desk';
import type { PlatformContext, PlatformModule } from './core/platform-module';
import type { Platform } from './domain/ticket/ticket';
import type { Logger } from './logger';
import { SlaRunner } from './core/sla-runner';
import { startSlaJobs } from './jobs/sla-jobs';
import { startAutoCloseJob } from './jobs/auto-close-job';
import { type RouteHandler, type RunningServer, startHttpServer, type UpgradeHandler } from './server/http-server';
import { createAdminRoutes } from './server/admin-routes';
import { openStore, type Store } from './store/database';
import { createLiveClassifier, type LiveClassifier } from './store/training-example.live-classifier';
import { MongoKnowledgeStore } from './store/mongo-knowledge.repository';
import { MongoPlaygroundLog } from './store/playground-log';
import { OpenAiChat } from './ai/llm/openai-chat';
import { IntakeHandler } from './core/intake/intake-handler';
import { IntakePipeline } from './core/intake/intake-pipeline';
import { ChatdeskMetrics } from './server/metrics';
import { createOpsRoutes, type ReadinessCheck } from './server/ops-routes';
import { MongoSingletons } from './store/singleton-lease';
import { MongoTeamAssignment } from './store/team-assignment';
import { localLiveness, newWorkerName } from './store/worker-identity';
import { TICKET_STATUSES } from './domain/ticket/ticket';
import { OutboxWorker } from './core/outbox/outbox-worker';
import { outboxDelivery } from './core/outbox/outbox-delivery';
import { createApi } from './api/api-server';
import { tokenCommands } from './api/token-commands';
import { ConsoleSignIn } from './console/console-sign-in';
import { consolePersonFor } from './console/oidc-person';
import { OIDC_CALLBACK_PATH, OidcSignIn } from './console/oidc-sign-in';
import { createConsoleRoutes } from './console/console-routes';
import { QueueService } from './console/queue-service';
import { ReportService } from './console/report-service';
import { DailyStatsRecorder } from './console/daily-stats-recorder';
import { TargetGuard } from './core/webhooks/target-guard';
import { WEBHOOK_RETRY_BUDGET, webhookSender } from './core/webhooks/webhook-sender';
import { WebhookDispatcher } from './core/webhooks/webhook-dispatcher';

export interface Chatdesk {
  url: string;
  desk: HelpDesk;
  store: Store;
  playground?: PlaygroundHub;
  slack?: SlackApp;
  /** Fires SLA reminders and escalations (the Agenda job calls `sweep()` every second). */
  sla: SlaRunner;
  /** Every messenger integration that is on, by platform. */
  modules: Partial<Record<Platform, PlatformModule>>;
  /** Teaches the offline classifier: an agent's recategorisation or an imported example (stored, then retrained in the background). */
  learner: TaxonomyLearner;
  /** The offline model trained on the seed plus the team's examples: its status, imports, retraining. */
  liveClassifier: LiveClassifier;
  /** The durable inbound pipeline every messenger submits to. */
  intake: IntakePipeline;
  /** Sends card updates, lines to requesters and under cards, and queued DMs through the durable outbox. */
  outbox: OutboxWorker;
  metrics: ChatdeskMetrics;
  /** Turns ticket changes into signed webhook deliveries (through the outbox). */
  webhooks: WebhookDispatcher;
  /** Stops taking requests, finishes or hands back what is in flight (within `graceMs`), then closes everything. */
  stop(graceMs?: number): Promise<void>;
}

/** Done inbox entries are kept this long (dedupe of late redeliveries, audit), then purged. */
const INBOX_KEEP_MS = 7 * 24 * 60 * 60 * 1000;
/** Webhook delivery attempts are kept this long (GET /api/v1/webhooks/:id/deliveries). */
const WEBHOOK_ATTEMPTS_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Wires the parts: database, classifier, core, adapters, HTTP server.
 * `overrides` lets tests and benchmarks swap a part (never used in production).
 */
export async function startChatdesk(config: AppConfig, logger: Logger, overrides: { classifier?: TicketClassifier; now?: () => Date } = {}): Promise<Chatdesk> {
  const store = await openStore({
    uri: config.env.MONGODB_URI,
    dataDir: config.env.CHATDESK_DATA_DIR,
    ferretdbBinary: config.env.FERRETDB_BIN,
    embeddedBackend: config.env.CHATDESK_EMBEDDED_DB,
    logger,
  });
  let server: RunningServer | undefined;
  /** What to stop on shutdown, in order: the SLA worker first, then messenger connections. */
  const stoppers: Array<{ name: string; stop: () => Promise<void> }> = [];
  try {
    /** The desk's time zone: the console's dates and the reports' days. */
    const zone = config.sla.calendars[config.sla.defaultCalendarId]?.zone ?? 'UTC';
    // The reports' per-day summary counts every stored ticket change from here on (built from the tickets once, in the background).
    const dailyStats = new DailyStatsRecorder({
      store: store.dailyStats,
      eachBatch: (size, work) => store.consoleTickets.eachBatch(size, work),
      sla: config.sla,
      timeZone: zone,
      logger,
    });
    store.tickets.onChange((ticket) => dailyStats.changed(ticket));
    void dailyStats.start();
    const liveClassifier = await createLiveClassifier({ connection: store.connection, desk: config.desk, abstainBelow: config.desk.abstainBelow, logger });
    stoppers.push({ name: 'classifier-learning', stop: () => liveClassifier.stop() });
    const learner = liveClassifier.learner;
    const classifier = overrides.classifier ?? ticketClassifierFor({ desk: config.desk, offline: liveClassifier.classifier, openai: config.openai, logger });
    const adapters = new AdapterRegistry();
    const knowledge = await MongoKnowledgeStore.open(store.connection);
    const llm = config.openai ? new OpenAiChat(config.openai, { logger }) : undefined;
    const owner = newWorkerName();
    const desk = new HelpDesk({
      desk: config.desk,
      sla: config.sla,
      tickets: store.tickets,
      knowledge,
      llm,
      learner: { learn: (e, source) => learner.learn(e, source), categories: () => liveClassifier.status().categories },
      classifier,
      adapters,
      logger,
      assignment: MongoTeamAssignment.register(store.connection, owner, logger),
      peers: store.peers,
      now: overrides.now,
    });
    await desk.start();
    const isDead = (name: string) => localLiveness(name) === 'dead';
    const metrics = new ChatdeskMetrics();
    const now = overrides.now ?? (() => new Date());
    const guard = new TargetGuard(config.env.CHATDESK_WEBHOOK_ALLOW_PRIVATE ?? []);
    const sendWebhook = webhookSender({ store: store.webhooks, guard, logger, now });
    const outbox = new OutboxWorker({
      store: store.outbox,
      deliver: outboxDelivery(
        desk.notifier,
        store.tickets,
        logger,
        sendWebhook,
        (ticket, user) => desk.summaries.messageFor(ticket, user),
        (id, opts) => desk.knowledgeFromResolved(id, opts),
      ),
      logger,
      owner,
      isDead,
      metrics: metrics.outbox,
      now: overrides.now,
      // A webhook receiver may be down for hours: its deliveries retry for 24 h, chat messages for minutes.
      budgets: { webhook: WEBHOOK_RETRY_BUDGET },
    });
    desk.notifier.attachOutbox(outbox);
    const webhooks = new WebhookDispatcher({ store: store.webhooks, outbox, sla: config.sla, logger });
    desk.attachEvents(webhooks);
    await webhooks.start();
    // Stopped before the messenger connections it sends through; what it could not send stays stored for the next start.
    stoppers.push({
      name: 'outbox',
      stop: async () => {
        webhooks.stop();
        await webhooks.idle();
        await outbox.stop(2000);
      },
    });
    stoppers.push({ name: 'index-follower', stop: async () => desk.stop() });
    const sla = new SlaRunner({ desk, tickets: store.tickets, log: store.slaNotifications, logger, now: overrides.now, events: webhooks });
    const routes: RouteHandler[] = [];
    const upgrades: UpgradeHandler[] = [];

    const intake = new IntakePipeline({
      inbox: store.inbox,
      work: new IntakeHandler(desk, store.inbox),
      logger,
      metrics: metrics.intake,
      owner,
      isDead,
      // While the embedded database is known to be down, requests are refused at once rather than after a timeout.
      available: () => !store.embedded || store.embedded.healthy(),
      limits: {
        concurrency: config.env.CHATDESK_INTAKE_CONCURRENCY,
        maxDepth: config.env.CHATDESK_INBOX_MAX_DEPTH,
        maxAgeMs: config.env.CHATDESK_INBOX_MAX_AGE_S * 1000,
      },
    });
    let stopping = false;
    const checks: ReadinessCheck[] = [
      {
        name: 'database',
        check: async () => {
          if (store.embedded && !store.embedded.healthy()) throw new Error('the embedded database is restarting');
          await store.ping(1500);
        },
      },
      ...(config.env.CHATDESK_SLA_WORKER !== false ? [{ name: 'sla_worker', check: async () => sla.checkHealthy() }] : []),
    ];
    routes.push(createOpsRoutes({ metrics, stopping: () => stopping, checks }));
    metrics.gauge('chatdesk_inbox_pending', 'Inbound requests stored and not done yet (all processes)', [], (set) => set({}, intake.depth().pending));
    metrics.gauge('chatdesk_inbox_oldest_age_seconds', 'Age of the oldest pending inbound request', [], (set) => set({}, intake.depth().oldestAgeMs / 1000));
    metrics.gauge('chatdesk_inbox_failed', 'Inbound requests given up after their retries', [], (set) => set({}, intake.depth().failed));
    metrics.gauge('chatdesk_outbox_pending', 'Outgoing messages stored and not sent yet (all processes)', [], (set) => set({}, outbox.depth().pending));
    metrics.gauge('chatdesk_outbox_oldest_age_seconds', 'Age of the oldest unsent outgoing message', [], (set) => set({}, outbox.depth().oldestAgeMs / 1000));
    metrics.gauge('chatdesk_outbox_failed', 'Outgoing messages given up after their retries', [], (set) => set({}, outbox.depth().failed));
    // One count at a time, reused for 5 s: scrapers that come together (or a reader polling every second) share it.
    let counting: { at: number; counts: Promise<Record<string, number>> } | undefined;
    metrics.gauge('chatdesk_tickets', 'Tickets by status', ['status'], async (set) => {
      if (!counting || Date.now() - counting.at > 5_000) {
        const at = Date.now();
        counting = { at, counts: store.tickets.countByStatus() };
        counting.counts.catch(() => {
          if (counting?.at === at) counting = undefined;
        });
      }
      const counts = await counting.counts;
      for (const status of TICKET_STATUSES) set({ status }, counts[status] ?? 0);
    });
    metrics.gauge(
      'chatdesk_db_commands_total',
      'Database commands sent since start, by command (insert, update, find …) and collection',
      ['command', 'collection'],
      (set) => {
        for (const { command, collection, n } of store.commandCounts())
          if (command !== 'ping' && command !== 'hello' && command !== 'isMaster') set({ command, collection }, n);
      },
    );
    metrics.gauge('chatdesk_sla_lateness_seconds', 'How late the SLA worker is behind its oldest due wake-up', [], async (set) =>
      set({}, await sla.lateness()),
    );

    const singletons = MongoSingletons.register(store.connection, { owner, isDead, logger });
    const ctx: PlatformContext = { desk, intake, state: store.conversationState, logger, singletons };
    const modules: Partial<Record<Platform, PlatformModule>> = {};
    let slack: SlackApp | undefined;
    if (config.slack) {
      slack = createSlackApp({ ...config.slack, ...ctx });
      const handle = slack.handle;
      modules.slack = {
        adapter: slack.adapter,
        replier: slack.replier,
        routes: [
          async (req, res, url) => {
            if (url.pathname !== SLACK_EVENTS_PATH) return false;
            await handle(req, res);
            return true;
          },
        ],
        start: slack.start,
      };
    }
    if (config.teams) modules.teams = createTeamsModule(config.teams, ctx);
    if (config.discord) modules.discord = createDiscordModule(config.discord, ctx);
    if (config.feishu) modules.feishu = createFeishuModule(config.feishu, ctx);
    if (config.email) {
      const email = createEmailModule(config.email, { ...ctx, deskConfig: config.desk, connected: () => adapters.platforms(), metrics: metrics.mailbox() });
      modules.email = email;
      // Chat goes on without the mailbox: /readyz names it degraded, not down.
      checks.push({ name: 'mailbox', optional: true, check: () => email.check() });
    }
    for (const module of Object.values(modules)) {
      adapters.register(module.adapter);
      if (module.replier) intake.register(module.replier);
      routes.push(...module.routes);
      upgrades.push(...(module.upgrades ?? []));
    }
    let playground: PlaygroundHub | undefined;
    if (config.playground) {
      // The page's conversations are stored, so any replica serves it; a database from before that is rebuilt from the tickets once.
      const hub = new PlaygroundHub(await MongoPlaygroundLog.open(store.connection), { publicUrl: config.env.PUBLIC_URL, logger, now: overrides.now });
      const seeded = await hub.seed(await desk.transcripts('playground'));
      if (seeded > 0) logger.info({ messages: seeded }, 'playground conversations rebuilt from the tickets');
      hub.start();
      stoppers.push({ name: 'playground-feed', stop: async () => hub.stop() });
      playground = hub;
      adapters.register(playground);
      const hosts = playgroundHosts({ publicUrl: config.env.PUBLIC_URL, host: config.env.HOST });
      routes.push(createPlaygroundRoutes({ desk, hub: playground, logger, intake, hosts }));
      intake.register(new PlaygroundReplier(playground));
      upgrades.push(playgroundSocket(playground, hosts));
    }

    const api = await createApi({
      desk,
      intake,
      search: store.ticketSearch,
      tokens: store.apiTokens,
      webhooks: store.webhooks,
      guard,
      subscriptionsChanged: () => webhooks.refresh(),
      adminToken: config.env.CHATDESK_ADMIN_TOKEN,
      ratePerMinute: config.env.CHATDESK_API_RATE_LIMIT,
      logger,
      now,
      version: '1.0.0',
    });
    routes.unshift(api.route);
    stoppers.push({ name: 'api', stop: () => api.close() });
    desk.attachTokenCommands(tokenCommands({ tokens: store.apiTokens, teams: desk.desk.teams.map((t) => t.id), now }));

    const publicUrl = config.env.PUBLIC_URL;
    const signIn = new ConsoleSignIn({
      store: store.consoleAuth,
      // Without PUBLIC_URL, links name this server on localhost (its port is known once it listens).
      baseUrl: () => publicUrl ?? `http://localhost:${server ? new URL(server.url).port : config.env.PORT}`,
      now,
    });
    desk.attachConsole((user) => signIn.linkFor(user));
    const oidcConfig = config.oidc;
    const oidc = oidcConfig
      ? new OidcSignIn({
          config: oidcConfig,
          store: store.consoleAuth,
          redirectUri: `${publicUrl?.replace(/\/$/, '')}${OIDC_CALLBACK_PATH}`,
          person: (email, name) =>
            consolePersonFor(email, name, {
              desk: desk.desk,
              connected: () => adapters.platforms(),
              roles: (user) => desk.access.roles(user),
              unknownPeople: oidcConfig.unknownPeople,
            }),
          now,
          logger,
        })
      : undefined;
    oidc?.warmUp();
    const reports = new ReportService({
      summary: store.dailyStats,
      sla: config.sla,
      timeZone: zone,
      now,
      settled: () => dailyStats.settled(),
      building: () => dailyStats.building(),
    });
    desk.attachSatisfaction((teams, days) => reports.csat(teams, days));
    routes.push(
      createConsoleRoutes({
        signIn,
        ...(oidc ? { oidc } : {}),
        knowledge,
        desk,
        queue: new QueueService({ tickets: store.consoleTickets, sla: config.sla, timeZone: zone, firstNumber: config.desk.firstTicketNumber, now }),
        views: store.savedViews,
        reports,
        model: () => {
          const m = liveClassifier.status();
          const t = m.tuning;
          return {
            taxonomy: m.taxonomy,
            categories: m.categories.length,
            examples: m.examples.category,
            trainedAt: m.trainedAt,
            abstainBelow: m.abstainBelow,
            abstainFrom: m.abstainFrom,
            ...(t ? { heldOut: { ...t.heldOut, targetPrecision: t.targetPrecision, balanced: t.balanced } } : {}),
          };
        },
        secure: !!publicUrl?.startsWith('https:'),
        zone,
        now,
        logger,
      }),
    );
    store.consoleTickets.backfill(logger).catch((err: unknown) => logger.warn({ err }, 'adding console fields to older tickets failed'));

    if (config.env.CHATDESK_ADMIN_TOKEN) routes.push(createAdminRoutes({ token: config.env.CHATDESK_ADMIN_TOKEN, classifier: liveClassifier, logger }));

    server = await startHttpServer({ host: config.env.HOST, port: config.env.PORT, routes, upgrades, logger });
    for (const module of Object.values(modules)) {
      if (module.stop) stoppers.push({ name: module.adapter.platform, stop: module.stop });
      await module.start?.();
    }
    if (config.env.CHATDESK_SLA_WORKER !== false) {
      const db = store.connection.db;
      if (!db) throw new Error('database connection has no db handle');
      const jobs = await startSlaJobs({ db, runner: sla, logger });
      stoppers.unshift({ name: 'sla-worker', stop: () => jobs.stop() });
      const autoClose = startAutoCloseJob({ closeDue: () => desk.closeDue(), logger });
      stoppers.unshift({ name: 'auto-close', stop: async () => autoClose.stop() });
    }
    outbox.start();
    intake.start();
    const purge = setInterval(
      () => {
        store.inbox.purgeDone(new Date(Date.now() - INBOX_KEEP_MS)).catch((err: unknown) => logger.warn({ err }, 'purging done inbox entries failed'));
        store.purge(new Date(Date.now() - 60 * 60 * 1000)).catch((err: unknown) => logger.warn({ err }, 'purging old version guards failed'));
        store.consoleAuth.purgeExpired(new Date()).catch((err: unknown) => logger.warn({ err }, 'purging expired console sign-ins and sessions failed'));
        store.webhooks
          .purgeAttempts(new Date(Date.now() - WEBHOOK_ATTEMPTS_KEEP_MS))
          .catch((err: unknown) => logger.warn({ err }, 'purging webhook delivery attempts failed'));
      },
      60 * 60 * 1000,
    );
    purge.unref();
    logger.info({ url: server.url, messengers: Object.keys(modules), playground: !!playground }, 'chatdesk is running');
    const running = server;
    return {
      url: server.url,
      desk,
      store,
      playground,
      slack,
      sla,
      modules,
      learner,
      liveClassifier,
      intake,
      outbox,
      metrics,
      webhooks,
      stop: async (graceMs = 8000) => {
        stopping = true;
        clearInterval(purge);
        // New requests now get 503; what is running finishes, the rest stays in the inbox (and the outbox) for the next start.
        await intake.stop(graceMs);
        await stopAll(stoppers, logger);
        await desk.idle();
        await running.close();
        // The changes stored so far are counted in the reports' summary before the database goes (a first build may take longer:
        // it starts over at the next start).
        await Promise.race([dailyStats.settled(), new Promise((r) => setTimeout(r, graceMs).unref())]);
        dailyStats.stop();
        await store.close();
      },
    };
  } catch (err) {
    await stopAll(stoppers, logger);
    await server?.close();
    await store.close();
    throw err;
  }
}

async function stopAll(stoppers: Array<{ name: string; stop: () => Promise<void> }>, logger: Logger): Promise<void> {
  for (const s of stoppers) {
    try {
      await s.stop();
    } catch (err) {
      logger.warn({ err, part: s.name }, 'stopping a part failed');
    }
  }
}
