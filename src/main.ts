import { startChatdesk } from './app';
import { loadConfig } from './config/load-config';
import { isChatdeskError } from './domain/errors';
import { createLogger } from './logger';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    // Before a logger exists: the message names every variable to fix.
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const logger = createLogger({ level: config.env.LOG_LEVEL });
  try {
    const app = await startChatdesk(config, logger);
    if (app.slack) {
      const base = config.env.PUBLIC_URL ?? `${app.url}/`;
      logger.info({ requestUrl: `${base}slack/events` }, 'Slack: set this as the slash command and interactivity request URL');
    }
    if (app.playground) logger.info({ url: app.url }, `playground: open ${app.url} in a browser`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now (unfinished requests stay in the inbox)');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'stopping: no new requests; finishing what is in flight');
      // Whatever happens to the parts (a dead database, a hung connection), the process is gone within 10 s.
      setTimeout(() => {
        logger.error({ signal }, 'stopping took over 10 s; exiting (unfinished requests stay in the inbox)');
        process.exit(1);
      }, 10_000).unref();
      try {
        await app.stop(7000);
        process.exit(0);
      } catch (err) {
        logger.error({ err }, 'stopping failed');
        process.exit(1);
      }
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  } catch (err) {
    logger.error({ err, code: isChatdeskError(err) ? err.code : undefined }, (err as Error).message);
    process.exit(1);
  }
}

void main();
