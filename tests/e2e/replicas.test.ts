/**
 * Two chatdesk replicas on one database (two full apps, each with its own
 * playground): what one stores, the other's assistant knows. A problem opened
 * on B is offered as a duplicate of the same problem opened on A; a knowledge
 * answer A rejects is no longer offered by B, even before B has looked for
 * changes; claims of one ticket on both replicas at once have one winner.
 * A replica alone reads no changes back; one that starts later is followed.
 */
import type { Chatdesk } from '../../src/app';
import type { PlaygroundMessage } from '../../src/adapters/playground/playground-hub';
import type { Ticket } from '../../src/domain/ticket/ticket';
import { startTestApp } from '../support/test-app';
import { testMongoUri } from '../support/test-db';

type Json = Record<string, any>;

const settle = async (app: Chatdesk) => {
  await app.intake.idle();
  await app.desk.idle();
  await app.outbox.idle();
};
const post = async (app: Chatdesk, path: string, body: Json) => {
  const res = await fetch(`${app.url}/api/playground/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Json;
  await settle(app);
  return { status: res.status, json };
};
const nameOf = (user: string) => user[0]!.toUpperCase() + user.slice(1);
const open = async (app: Chatdesk, user: string, text: string): Promise<Ticket> => {
  const r = await post(app, 'command', { user, name: nameOf(user), text });
  expect(r.status).toBe(201);
  return app.desk.findTicket(r.json.ticket.id);
};
const act = (app: Chatdesk, user: string, action: string, value: string) => post(app, 'actions', { user, name: nameOf(user), action, ticketId: value });
const dm = async (app: Chatdesk, user: string): Promise<PlaygroundMessage[]> => {
  const res = await fetch(`${app.url}/api/playground/conversations?user=${user}`);
  const json = (await res.json()) as { conversations: Array<{ id: string; messages: PlaygroundMessage[] }> };
  return json.conversations.find((c) => c.id === `dm:${user}`)?.messages ?? [];
};

describe('two replicas on one database', () => {
  let a: Chatdesk;
  let b: Chatdesk;
  beforeAll(async () => {
    const uri = testMongoUri('replicas');
    a = await startTestApp({ MONGODB_URI: uri }, { label: 'replica-a' });
    b = await startTestApp({ MONGODB_URI: uri, CHATDESK_SLA_WORKER: 'false' }, { label: 'replica-b' });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('offers on B a duplicate of a ticket opened on A once B has followed the change', async () => {
    const original = await open(a, 'alice', 'The badge reader at the north entrance rejects every badge');
    expect(await b.desk.followChanges()).toBeGreaterThan(0);
    const dup = await open(b, 'carol', 'The badge reader at the north entrance rejects every badge since this morning');
    expect(dup.assist?.possibleDuplicateOf).toBe(original.key);
    expect((await dm(b, 'carol')).some((m) => m.card?.body?.includes(`Is this the same problem as ${original.key}`))).toBe(true);
  });

  it('never offers on B a knowledge answer that A rejected', async () => {
    const first = await open(a, 'gina', 'The shared calendar for room 5 shows nobody can book it');
    await act(a, 'bob', 'claim', first.id);
    await post(a, 'command', {
      user: 'bob',
      name: 'Bob',
      text: `reply ${first.key} Remove the room from your calendar list and add it again from the directory.`,
    });
    await act(a, 'bob', 'resolve', first.id);
    const entryId = (await a.desk.findTicket(first.id)).assist?.knowledge?.entryId;
    expect(entryId).toBeDefined();
    // B learns of the entry and offers it.
    await b.desk.followChanges();
    const offered = await open(b, 'hank', 'The shared calendar for room 5 says nobody can book it');
    expect(offered.assist?.suggested).toEqual([entryId]);

    // A rejects it; B has not looked for changes since, and still does not offer it.
    const source = await a.desk.findTicket(first.id);
    const kb = (await (await fetch(`${a.url}/api/playground/conversations?user=bob`)).json()) as {
      conversations: Array<{ id: string; messages: PlaygroundMessage[] }>;
    };
    const kbMessage = kb.conversations
      .find((c) => c.id === 'agents')!
      .messages.find((m) => m.threadId === source.agentCards[0]!.messageId && m.card?.actions.some((x) => x.id === 'kb_reject'))!;
    await act(a, 'bob', 'kb_reject', kbMessage.card!.actions.find((x) => x.id === 'kb_reject')!.value!);
    const later = await open(b, 'judy', 'The shared calendar for room 5 shows nobody can book it');
    expect(later.assist?.suggested).toBeUndefined();
    expect((await dm(b, 'judy')).some((m) => m.card?.actions.some((x) => x.id === 'kb_solved'))).toBe(false);
  });

  it('of simultaneous claims of one ticket on both replicas, exactly one wins; the other is told who has it', async () => {
    for (let round = 0; round < 4; round++) {
      const ticket = await open(a, 'erin', `Monitor ${round} on desk 12 flickers`);
      const [onA, onB] = await Promise.all([act(a, 'bob', 'claim', ticket.id), act(b, 'dave', 'claim', ticket.id)]);
      const stored = await a.desk.findTicket(ticket.id);
      const winner = stored.assignee?.id;
      expect(['bob', 'dave']).toContain(winner);
      const loser = winner === 'bob' ? onB : onA;
      expect(JSON.stringify(loser.json)).toContain('already claimed');
      expect(stored.activity.filter((x) => x.action === 'claimed')).toHaveLength(1);
    }
  });
});

describe('a replica that starts later', () => {
  it('a replica alone reads nothing back; one that starts later is followed from its first ticket', async () => {
    const uri = testMongoUri('replica-joins');
    const a = await startTestApp({ MONGODB_URI: uri }, { label: 'joins-a' });
    try {
      await open(a, 'alice', 'The projector in room 7 shows no picture from any laptop');
      // Alone: its own ticket is in its index already, and nobody else can have changed anything.
      expect(await a.desk.followChanges()).toBe(0);
      const b = await startTestApp({ MONGODB_URI: uri, CHATDESK_SLA_WORKER: 'false' }, { label: 'joins-b' });
      try {
        const original = await open(b, 'carol', 'The coffee machine on floor 3 leaks water all over the counter');
        expect(await a.desk.followChanges()).toBeGreaterThan(0);
        const dup = await open(a, 'dave', 'The coffee machine on floor 3 leaks water all over the counter since noon');
        expect(dup.assist?.possibleDuplicateOf).toBe(original.key);
      } finally {
        await b.stop();
      }
    } finally {
      await a.stop();
    }
  });
});
