import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { HelpDesk } from '../../core/help-desk';
import type { IntakePipeline } from '../../core/intake/intake-pipeline';
import type { Logger } from '../../logger';
import { boltLogger } from './bolt-logger';
import { registerSlackActions } from './slack-actions';
import { SlackAdapter } from './slack-adapter';
import { registerSlackCommands } from './slack-commands';
import { registerSlackMessages } from './slack-messages';
import { registerSlackTextForms } from './slack-text-forms';
import { registerSlackMessageIntake } from './slack-message-intake';
import { guardSlackRequest, type SlackWorkspace } from './slack-inbound-guard';
import { ChatdeskError } from '../../domain/errors';
import { SlackReplier } from './slack-replier';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackApp {
  adapter: SlackAdapter;
  replier: SlackReplier;
  /** Handles POST /slack/events (commands, interactivity, events): verifies the signature, stores, then acks. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Checks that the bot token belongs to the bound workspace (auth.test), so posts never go to another. */
  start(): Promise<void>;
}

/**
 * The real Bolt app on an HTTPReceiver that we do not start: its request
 * listener is mounted on chatdesk's own HTTP server, beside the playground.
 */
export function createSlackApp(opts: {
  botToken: string;
  signingSecret: string;
  apiUrl: string;
  /** The workspace served (SLACK_TEAM_ID / SLACK_ENTERPRISE_ID); unset: any workspace the app is installed in. */
  workspace?: SlackWorkspace;
  desk: HelpDesk;
  intake: IntakePipeline;
  logger: Logger;
}): SlackApp {
  const logger = boltLogger(opts.logger);
  const receiver = new HTTPReceiver({
    signingSecret: opts.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    // Slack hears back only once the listener has stored the request (events included, which Bolt would ack first otherwise).
    processBeforeResponse: true,
    logger,
  });
  const app = new App({
    token: opts.botToken,
    receiver,
    logger,
    // A few quick retries (and Slack's Retry-After on 429) inside the client; past that the durable inbox retries with
    // backoff, so a Slack outage does not hold an intake worker for the client's default half hour.
    clientOptions: { slackApiUrl: opts.apiUrl, retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 }, timeout: 10_000 },
  });
  const log = opts.logger.child({ platform: 'slack' });
  app.error(async (err) => {
    log.error({ err: err.original ?? err, code: err.code }, 'slack listener failed');
    // Rethrown, so the receiver answers 500: a request that was not stored must not look acknowledged.
    throw err;
  });
  const adapter = new SlackAdapter(app.client);
  const deps = { desk: opts.desk, intake: opts.intake, logger: log };
  registerSlackCommands(app, deps);
  registerSlackActions(app, deps);
  registerSlackMessages(app, deps);
  registerSlackTextForms(app, deps);
  registerSlackMessageIntake(app, deps);
  return {
    adapter,
    replier: new SlackReplier(adapter),
    handle: async (req, res) => {
      const foreign = (from: string) => log.warn({ from }, 'Slack request from another workspace refused');
      if (await guardSlackRequest(req, res, opts.signingSecret, opts.workspace, foreign)) return;
      receiver.requestListener(req, res);
    },
    start: async () => {
      const bound = opts.workspace ?? {};
      if (!bound.teamId && !bound.enterpriseId) {
        log.warn({}, 'workspace binding is off: requests from any Slack workspace the app is installed in are accepted (set SLACK_TEAM_ID)');
        return;
      }
      const auth = await app.client.auth.test();
      const team = auth.team_id;
      const enterprise = auth.enterprise_id;
      if ((bound.teamId && team !== bound.teamId) || (bound.enterpriseId && enterprise !== bound.enterpriseId)) {
        throw new ChatdeskError(
          'chatdesk_config_invalid',
          `SLACK_BOT_TOKEN belongs to workspace ${String(team)}${enterprise ? ` (org ${enterprise})` : ''}, not the one SLACK_TEAM_ID / SLACK_ENTERPRISE_ID name`,
        );
      }
      log.info({ team: bound.teamId, enterprise: bound.enterpriseId }, 'Slack bound to its workspace');
    },
  };
}
