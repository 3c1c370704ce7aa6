import type { TicketClassifier } from '../../src/ai/classifier.port';
import { startChatdesk, type Chatdesk } from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import { silentLogger, type Logger } from '../../src/logger';
import { testMongoUri } from './test-db';

/** Starts the real chatdesk app on 127.0.0.1:0 with its own database. */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { label?: string; classifier?: TicketClassifier; logger?: Logger; now?: () => Date } = {},
): Promise<Chatdesk> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', MONGODB_URI: testMongoUri(opts.label ?? 'app'), LOG_LEVEL: 'silent', ...env });
  return startChatdesk(config, opts.logger ?? silentLogger(), { classifier: opts.classifier, now: opts.now });
}
