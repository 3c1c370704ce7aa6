/**
 * One SLA worker process for the SLA benchmark: the real store, HelpDesk,
 * SlaRunner and Agenda job, with a messenger that appends every message it is
 * asked to send to a file (one JSON line, written synchronously, so a kill -9
 * loses nothing that was "sent").
 *
 * Env: MONGODB_URI, SENT_LOG (file), SLA_CONFIG (JSON of the desk's `sla` section).
 */
import { appendFileSync } from 'node:fs';
import { loadSeedClassifier } from '../../src/ai/seed';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import { deskConfigSchema } from '../../src/config/desk-config.schema';
import { loadSlaConfig } from '../../src/config/sla-config';
import type { OutboundMessage } from '../../src/core/cards/card';
import { AdapterRegistry, type ChatAdapter, type PostTarget } from '../../src/core/chat-adapter.port';
import { HelpDesk } from '../../src/core/help-desk';
import { SlaRunner } from '../../src/core/sla-runner';
import type { MessageRef, UserRef } from '../../src/domain/ticket/ticket';
import { startSlaJobs } from '../../src/jobs/sla-jobs';
import { createLogger } from '../../src/logger';
import { MongoKnowledgeStore } from '../../src/store/mongo-knowledge.repository';
import { openStore } from '../../src/store/database';

class RecordingAdapter implements ChatAdapter {
  readonly platform = 'playground' as const;
  private n = 0;
  constructor(private readonly file: string) {}
  private record(kind: string, where: string, message: OutboundMessage): MessageRef {
    appendFileSync(this.file, `${JSON.stringify({ at: Date.now(), pid: process.pid, kind, where, text: message.text })}\n`);
    return { platform: 'playground', channelId: where, messageId: `${process.pid}-${++this.n}` };
  }
  async post(target: PostTarget, message: OutboundMessage): Promise<MessageRef> {
    return this.record('post', target.channelId, message);
  }
  async update(): Promise<void> {
    // Card refreshes are not measured.
  }
  async sendDirect(user: UserRef, message: OutboundMessage): Promise<MessageRef> {
    return this.record('dm', user.id, message);
  }
}

async function main(): Promise<void> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const desk = deskConfigSchema.parse({ ...defaultDeskConfig, sla: JSON.parse(process.env.SLA_CONFIG ?? '{}') });
  const sla = loadSlaConfig(desk);
  const store = await openStore({ uri: process.env.MONGODB_URI, dataDir: '.data', logger });
  logger.debug({ sinceStartMs: Math.round(performance.now()) }, 'store open');
  const adapters = new AdapterRegistry();
  adapters.register(new RecordingAdapter(process.env.SENT_LOG ?? 'sent.jsonl'));
  const helpDesk = new HelpDesk({
    desk,
    sla,
    tickets: store.tickets,
    knowledge: await MongoKnowledgeStore.open(store.connection),
    classifier: loadSeedClassifier(),
    adapters,
    logger,
  });
  const runner = new SlaRunner({ desk: helpDesk, tickets: store.tickets, log: store.slaNotifications, logger });
  logger.debug({ sinceStartMs: Math.round(performance.now()) }, 'desk ready');
  await startSlaJobs({ db: store.connection.db!, runner, logger });
  logger.debug({ sinceStartMs: Math.round(performance.now()) }, 'jobs started');
  process.stdout.write('ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
