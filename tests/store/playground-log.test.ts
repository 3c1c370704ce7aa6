/**
 * The playground's conversations in the real database, as two replicas' hubs
 * see them: what one posts or edits, the other's open page is pushed once;
 * a retried post is the same message; a database from before is rebuilt once
 * from the tickets, however many replicas start on it.
 */
import { PlaygroundHub, type PlaygroundEvent } from '../../src/adapters/playground/playground-hub';
import type { TranscriptEntry } from '../../src/core/ticket-transcript';
import { silentLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store/database';
import { MongoPlaygroundLog } from '../../src/store/playground-log';
import { openTestStore, testMongoUri } from '../support/test-db';

describe('playground log', () => {
  let store: Store;
  let a: PlaygroundHub;
  let b: PlaygroundHub;
  beforeAll(async () => {
    store = await openTestStore('playground-log');
    const log = await MongoPlaygroundLog.open(store.connection);
    a = new PlaygroundHub(log, { logger: silentLogger() });
    b = new PlaygroundHub(await MongoPlaygroundLog.open(store.connection), { logger: silentLogger() });
  });
  afterAll(() => store?.close());

  it("pushes one replica's posts and edits to the other's open page once, and not to a page that may not see them", async () => {
    const onB: PlaygroundEvent[] = [];
    const offB: PlaygroundEvent[] = [];
    const unsubscribe = b.subscribe('bob', (e) => onB.push(e));
    const unsubscribeOther = b.subscribe('eve', (e) => offB.push(e));
    const card = await a.post({ channelId: 'agents' }, { text: 'T-1 printer', card: { title: 'T-1 printer', fields: [], actions: [] } });
    const dm = await a.sendDirect({ platform: 'playground', id: 'bob' }, { text: 'Your ticket T-1 is open' });
    await b.followOthers();
    expect(onB.map((e) => [e.type, e.message.text])).toEqual([
      ['message', 'T-1 printer'],
      ['message', 'Your ticket T-1 is open'],
    ]);
    await a.update(card, { text: 'T-1 printer', card: { title: 'T-1 printer', fields: [], actions: [], footer: 'Claimed by Bob' } });
    await b.followOthers();
    await b.followOthers(); // a second look in the overlap pushes nothing again
    expect(onB.slice(2).map((e) => [e.type, e.message.id, e.message.card?.footer])).toEqual([['message_updated', card.messageId, 'Claimed by Bob']]);
    expect(offB.map((e) => e.message.id)).toEqual([card.messageId, card.messageId]); // the channel, not bob's DM
    expect((await b.visibleTo('bob')).find((c) => c.id === 'dm:bob')?.messages.map((m) => m.id)).toEqual([dm.messageId]);
    unsubscribe();
    unsubscribeOther();
  });

  it('a retried post that may have landed is the message already stored', async () => {
    const first = await a.post({ channelId: 'agents' }, { text: 'once' }, { dedupeKey: 'outbox:42' });
    const again = await b.post({ channelId: 'agents' }, { text: 'once' }, { dedupeKey: 'outbox:42', mayExist: true });
    expect(again.messageId).toBe(first.messageId);
    expect((await a.visibleTo('x')).find((c) => c.id === 'agents')?.messages.filter((m) => m.text === 'once')).toHaveLength(1);
  });

  it('rebuilds an empty log from the tickets once, under the same ids on every replica', async () => {
    const fresh = await openStore({ uri: testMongoUri('playground-log-seed'), dataDir: '', logger: silentLogger() });
    try {
      const at = new Date('2026-11-20T10:00:00Z');
      const where = { platform: 'playground' as const, channelId: 'dm:ann', messageId: 'root-1' };
      const entries: TranscriptEntry[] = [
        { where, root: true, at, message: { text: 'Your ticket T-9 is open' } },
        { where, root: false, at: new Date(at.getTime() + 1000), message: { text: 'Bob is working on your ticket T-9.' } },
      ];
      const one = new PlaygroundHub(await MongoPlaygroundLog.open(fresh.connection), { logger: silentLogger() });
      const two = new PlaygroundHub(await MongoPlaygroundLog.open(fresh.connection), { logger: silentLogger() });
      const stored = await Promise.all([one.seed(entries), two.seed(entries)]);
      expect(stored.reduce((n, s) => n + s, 0)).toBe(2);
      expect(await one.seed(entries)).toBe(0);
      const messages = (await two.visibleTo('ann')).find((c) => c.id === 'dm:ann')?.messages ?? [];
      expect(messages.map((m) => [m.id, m.threadId, m.text])).toEqual([
        ['root-1', undefined, 'Your ticket T-9 is open'],
        ['root-1~1', 'root-1', 'Bob is working on your ticket T-9.'],
      ]);
    } finally {
      await fresh.close();
    }
  });
});
