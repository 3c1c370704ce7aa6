import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { HelpDesk } from '../../core/help-desk';
import type { DeliveryLog } from '../../domain/ticket/ticket.repository.port';
import type { Logger } from '../../logger';
import { boltLogger } from './bolt-logger';
import { registerSlackActions } from './slack-actions';
import { SlackAdapter } from './slack-adapter';
import { registerSlackCommands } from './slack-commands';
import { registerSlackMessages } from './slack-messages';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackApp {
  adapter: SlackAdapter;
  /** Handles POST /slack/events (commands, interactivity, events): verifies the signature, acks, dispatches. */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * The real Bolt app on an HTTPReceiver that we do not start: its request
 * listener is mounted on chatdesk's own HTTP server, beside the playground.
 */
export function createSlackApp(opts: {
  botToken: string;
  signingSecret: string;
  apiUrl: string;
  desk: HelpDesk;
  deliveries: DeliveryLog;
  logger: Logger;
}): SlackApp {
  const logger = boltLogger(opts.logger);
  const receiver = new HTTPReceiver({
    signingSecret: opts.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    processBeforeResponse: false,
    logger,
  });
  const app = new App({ token: opts.botToken, receiver, logger, clientOptions: { slackApiUrl: opts.apiUrl } });
  const log = opts.logger.child({ platform: 'slack' });
  app.error(async (err) => {
    log.error({ err: err.original ?? err, code: err.code }, 'slack listener failed');
  });
  const adapter = new SlackAdapter(app.client);
  const deps = { desk: opts.desk, deliveries: opts.deliveries, logger: log };
  registerSlackCommands(app, adapter, deps);
  registerSlackActions(app, adapter, deps);
  registerSlackMessages(app, adapter, deps);
  return { adapter, handle: (req, res) => receiver.requestListener(req, res) };
}
