/**
 * The durable outbox on the real database: what chatdesk decided to send is
 * stored, sent in order per conversation, retried (Retry-After honoured),
 * taken over from a dead process, and removed once sent.
 */
import { silentLogger } from '../../src/logger';
import { OutboxWorker } from '../../src/core/outbox/outbox-worker';
import type { OutboxEntry, OutboxItem } from '../../src/core/outbox/outbox.port';
import { ChatdeskError } from '../../src/domain/errors';
import type { Store } from '../../src/store/database';
import { openTestStore } from '../support/test-db';

const line = (conversation: string, text: string): OutboxItem => ({
  conversation,
  job: { kind: 'direct', user: { platform: 'slack', id: conversation }, message: { text } },
});
const textOf = (e: OutboxEntry) => (e.job.kind === 'direct' ? e.job.message.text : '');
const until = async (fn: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('outbox', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('outbox');
  });
  afterAll(() => store?.close());

  it('hands over only the oldest unsent entry of each conversation, and the next once it is sent', async () => {
    const now = new Date();
    const lease = new Date(now.getTime() + 30_000);
    const added = await store.outbox.add([line('alice', 'a1'), line('alice', 'a2'), line('bob', 'b1'), line('alice', 'a3')], 'worker-a', now, lease);
    expect(added.map(textOf)).toEqual(['a1', 'a2', 'b1', 'a3']);
    // Leased by a live worker: nobody else takes them.
    expect(await store.outbox.claimDue('worker-b', now, lease, 10, () => false)).toEqual([]);
    // Its owner died: the heads of both conversations are taken over, not the entries behind them.
    const heads = await store.outbox.claimDue('worker-b', now, lease, 10, (o) => o === 'worker-a');
    expect(heads.map(textOf).sort()).toEqual(['a1', 'b1']);
    // a2 waits behind a1 even when a1 is set to retry later.
    const a1 = heads.find((e) => textOf(e) === 'a1')!;
    await store.outbox.retryLater(a1.id, 1, new Date(now.getTime() + 60_000), 'chatdesk_adapter_error: 503');
    const later = new Date(now.getTime() + 31_000);
    expect((await store.outbox.claimDue('worker-c', later, new Date(later.getTime() + 30_000), 10, () => false)).map(textOf)).not.toContain('a2');
    await store.outbox.sent(a1.id);
    const next = await store.outbox.claimDue('worker-c', later, new Date(later.getTime() + 30_000), 10, () => false);
    expect(next.map(textOf)).toContain('a2');
    expect((await store.outbox.stats()).pending).toBe(3);
  });

  it('sends each conversation in order, retries a refusal after its Retry-After, gives up at once on an unreachable person or a refusal for good, and keeps nothing sent', async () => {
    const sent: string[] = [];
    let refusals = 0;
    let fayTries = 0;
    const worker = new OutboxWorker({
      store: store.outbox,
      logger: silentLogger(),
      owner: 'worker-order',
      isDead: () => false,
      limits: { pollMs: 200 },
      deliver: async (entry) => {
        const text = textOf(entry);
        if (text === 'carol-1' && refusals++ < 2) throw new ChatdeskError('chatdesk_rate_limited', 'slow down', { retryAfterMs: 300 });
        if (text === 'dan-1') throw new ChatdeskError('chatdesk_recipient_unreachable', 'DMs closed');
        if (text === 'fay-1') {
          fayTries++;
          throw new ChatdeskError('chatdesk_adapter_error', 'message_not_found', { platform: 'slack', permanent: true });
        }
        sent.push(text);
      },
    });
    worker.start();
    await worker.enqueue([
      line('carol', 'carol-1'),
      line('carol', 'carol-2'),
      line('erin', 'erin-1'),
      line('dan', 'dan-1'),
      line('dan', 'dan-2'),
      line('fay', 'fay-1'),
    ]);
    await until(() => sent.length === 4);
    await worker.idle();
    await worker.stop();
    // erin is not held up by carol's retries; carol's second line waits for her first.
    expect(sent.filter((s) => s.startsWith('carol'))).toEqual(['carol-1', 'carol-2']);
    expect(sent.indexOf('erin-1')).toBeLessThan(sent.indexOf('carol-1'));
    expect(sent).toContain('dan-2');
    expect(refusals).toBe(3);
    const left = await store.outbox.stats();
    expect(fayTries).toBe(1); // a refusal for good is not retried
    expect(left.failed).toBe(2); // dan-1 and fay-1, kept for an operator
    expect(left.pending).toBe(3); // only the first test's leftovers
  });
});
