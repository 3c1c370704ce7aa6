import type { TicketClassifier } from './ai/classifier.port';
import { loadSeedClassifier } from './ai/seed';
import { createPlaygroundRoutes } from './adapters/playground/playground-routes';
import { PlaygroundHub } from './adapters/playground/playground-hub';
import { playgroundSocket } from './adapters/playground/playground-socket';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackApp } from './adapters/slack/slack-app';
import type { AppConfig } from './config/load-config';
import { AdapterRegistry } from './core/chat-adapter.port';
import { HelpDesk } from './core/help-desk';
import type { Logger } from './logger';
import { type RouteHandler, type RunningServer, startHttpServer, type UpgradeHandler } from './server/http-server';
import { openStore, type Store } from './store/database';

export interface Chatdesk {
  url: string;
  desk: HelpDesk;
  store: Store;
  playground?: PlaygroundHub;
  slack?: SlackApp;
  stop(): Promise<void>;
}

/**
 * Wires the parts: database, classifier, core, adapters, HTTP server.
 * `overrides` lets tests and benchmarks swap a part (never used in production).
 */
export async function startChatdesk(config: AppConfig, logger: Logger, overrides: { classifier?: TicketClassifier; now?: () => Date } = {}): Promise<Chatdesk> {
  const store = await openStore({ uri: config.env.MONGODB_URI, dataDir: config.env.CHATDESK_DATA_DIR, ferretdbBinary: config.env.FERRETDB_BIN, logger });
  let server: RunningServer | undefined;
  try {
    const classifier = overrides.classifier ?? loadSeedClassifier({ abstainBelow: config.desk.abstainBelow });
    const adapters = new AdapterRegistry();
    const desk = new HelpDesk({ desk: config.desk, tickets: store.tickets, classifier, adapters, logger, now: overrides.now });
    const routes: RouteHandler[] = [];
    const upgrades: UpgradeHandler[] = [];

    let slack: SlackApp | undefined;
    if (config.slack) {
      slack = createSlackApp({ ...config.slack, desk, deliveries: store.deliveries, logger });
      adapters.register(slack.adapter);
      const handle = slack.handle;
      routes.push((req, res, url) => {
        if (url.pathname !== SLACK_EVENTS_PATH) return false;
        handle(req, res);
        return true;
      });
    }
    let playground: PlaygroundHub | undefined;
    if (config.playground) {
      playground = new PlaygroundHub();
      adapters.register(playground);
      routes.push(createPlaygroundRoutes({ desk, hub: playground, logger }));
      upgrades.push(playgroundSocket(playground));
    }

    server = await startHttpServer({ host: config.env.HOST, port: config.env.PORT, routes, upgrades, logger });
    logger.info({ url: server.url, slack: !!slack, playground: !!playground }, 'chatdesk is running');
    const running = server;
    return {
      url: server.url,
      desk,
      store,
      playground,
      slack,
      stop: async () => {
        await running.close();
        await store.close();
      },
    };
  } catch (err) {
    await server?.close();
    await store.close();
    throw err;
  }
}
