import { startChatdesk } from './app';
import { loadConfig } from './config/load-config';
import { isChatdeskError } from './domain/errors';
import { createLogger } from './logger';

async function main(): Promise<void> {
  let config;
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
    const stop = async (signal: string) => {
      logger.info({ signal }, 'stopping');
      await app.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (err) {
    logger.error({ err, code: isChatdeskError(err) ? err.code : undefined }, (err as Error).message);
    process.exit(1);
  }
}

void main();
