/**
 * The store suite: runs against whatever MONGODB_URI names (a real MongoDB),
 * or the embedded FerretDB the test run starts. The app must behave the same on both.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NewTicket } from '../../src/domain/ticket/ticket.repository.port';
import { silentLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store/database';
import { setStartMark } from '../../src/store/start-marks';
import { openTestStore } from '../support/test-db';

const at = new Date('2026-11-20T10:00:00Z');
const draft = (number: number, over: Partial<NewTicket> = {}): NewTicket => ({
  number,
  key: `T-${number}`,
  title: `Ticket ${number}`,
  description: '说明 with unicode ✓',
  type: 'incident',
  fields: { impact: 'team', count: 3 },
  requester: { platform: 'slack', id: 'U1', name: 'alice' },
  team: 'it',
  category: 'network',
  categoryConfidence: 0.7,
  priority: 'P2',
  priorityConfidence: 0.6,
  classificationReason: 'matched "vpn"',
  status: 'new',
  escalationLevel: 0,
  tags: ['vpn'],
  agentCards: [],
  createdAt: at,
  updatedAt: at,
  activity: [{ at, action: 'created', actor: { platform: 'slack', id: 'U1' } }],
  version: 1,
  ...over,
});

describe('ticket store', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('store');
  });
  afterAll(() => store?.close());

  it('round-trips a ticket with its fields, refs and audit trail', async () => {
    const saved = await store.tickets.insert(draft(5001, { agentCards: [{ platform: 'slack', channelId: 'C1', messageId: '1.1' }] }));
    const byId = await store.tickets.findById(saved.id);
    expect(byId).toEqual(saved);
    expect(await store.tickets.findByKey('T-5001')).toEqual(saved);
    expect(await store.tickets.findById('not-an-id')).toBeNull();
    expect(await store.tickets.findByKey('T-404')).toBeNull();
  });

  it('stores a new ticket with every field the schema declares, as a mongoose document would (the insert skips mongoose)', async () => {
    const saved = await store.tickets.insert(draft(5003));
    const Ticket = store.connection.model('Ticket');
    const stored = await Ticket.collection.findOne({ _id: saved.id as never });
    const { _id, ...expected } = new Ticket({ ...stored }).toObject({ depopulate: true });
    expect(Object.keys(stored!).sort()).toEqual(['_id', ...Object.keys(expected)].sort());
    expect(stored).toMatchObject(expected);
  });

  it('refuses a write based on a stale version and clears optional fields on save', async () => {
    const t = await store.tickets.insert(draft(5002, { assignee: { platform: 'slack', id: 'U9' } }));
    await store.tickets.save({ ...t, assignee: undefined, status: 'in_progress', version: 2 });
    await expect(store.tickets.save({ ...t, title: 'lost update', version: 2 })).rejects.toMatchObject({ code: 'chatdesk_ticket_conflict' });
    const stored = await store.tickets.findById(t.id);
    expect(stored).toMatchObject({ status: 'in_progress', version: 2, title: 'Ticket 5002' });
    expect(stored!.assignee).toBeUndefined();
  });

  it("writes the assistant's record with its audit line as the next version, and nothing when the ticket moved on", async () => {
    const saved = await store.tickets.insert(draft(5004));
    const offeredAt = new Date(saved.updatedAt.getTime() + 60_000);
    const entry = {
      at: offeredAt,
      action: 'assist_offered' as const,
      actor: { platform: 'system' as const, id: 'chatdesk' as const },
      note: 'duplicate T-5001',
    };
    expect(await store.tickets.updateAssistAudited(saved, { set: { possibleDuplicateOf: 'T-5001' } }, entry)).toBe(true);
    const after = (await store.tickets.findById(saved.id))!;
    expect(after.version).toBe(2);
    // Changed when the line was written, as any audited change (what "changed since" readers see).
    expect(after.updatedAt).toEqual(offeredAt);
    expect((await store.tickets.changedSince(offeredAt, 10)).map((c) => c.key)).toContain(saved.key);
    expect(after.assist?.possibleDuplicateOf).toBe('T-5001');
    expect(after.activity.at(-1)).toEqual(entry);
    // From the copy of version 1 again: refused, nothing written, and version 3 is still free for the next save.
    expect(await store.tickets.updateAssistAudited(saved, { set: { suggested: ['k1'] } }, entry)).toBe(false);
    const unchanged = (await store.tickets.findById(saved.id))!;
    expect(unchanged).toEqual(after);
    await store.tickets.save({ ...after, status: 'in_progress', version: 3 });
    expect((await store.tickets.findById(saved.id))!.status).toBe('in_progress');
  });

  it('hands out unique, increasing ticket numbers under concurrency', async () => {
    const numbers = await Promise.all(Array.from({ length: 40 }, () => store.tickets.nextNumber(1001)));
    expect(new Set(numbers).size).toBe(40);
    expect(Math.min(...numbers)).toBe(1001);
    expect(Math.max(...numbers)).toBe(1040);
  });

  it('never stores two tickets with one number: a collision takes the next free number', async () => {
    await store.tickets.insert(draft(6001));
    const second = await store.tickets.insert(draft(6001));
    expect(second.number).not.toBe(6001);
    expect(second.key).toBe(`T-${second.number}`);
  });

  it('stores one ticket per inbound request, even when two workers insert for it at once', async () => {
    const results = await Promise.allSettled([6101, 6102, 6103].map((n) => store.tickets.insert(draft(n, { intakeId: 'slack:cmd:twice' }))));
    const stored = results.filter((r) => r.status === 'fulfilled');
    expect(stored).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'chatdesk_intake_duplicate' });
    expect((await store.tickets.findByIntakeId('slack:cmd:twice'))?.id).toBe((stored[0] as PromiseFulfilledResult<{ id: string }>).value.id);
    // Tickets opened with no inbound request each have their own (hidden) id, so they never collide.
    const a = await store.tickets.insert(draft(6104));
    const b = await store.tickets.insert(draft(6105));
    expect([a.intakeId, (await store.tickets.findById(b.id))?.intakeId]).toEqual([undefined, undefined]);
  });

  it('stores an inbound request once: a redelivery (even concurrent) is a duplicate, and a claim takes over a released one', async () => {
    const event = {
      id: 'slack:cmd:abc',
      platform: 'slack' as const,
      user: { platform: 'slack' as const, id: 'U1' },
      locale: 'en' as const,
      request: { kind: 'command' as const, text: 'printer jammed' },
      reply: { via: 'respond' },
    };
    const now = new Date();
    const lease = new Date(now.getTime() + 30_000);
    const results = await Promise.all([1, 2, 3].map(() => store.inbox.accept(event, 'worker-a', now, lease)));
    expect(results.filter((r) => r === 'accepted')).toHaveLength(1);
    expect((await store.inbox.stats()).pending).toBe(1);
    // Leased to worker-a: nobody else may take it yet, unless worker-a is known dead.
    expect(await store.inbox.claimDue('worker-b', now, lease, 10, () => false)).toHaveLength(0);
    const takenOver = await store.inbox.claimDue('worker-b', now, lease, 10, (o) => o === 'worker-a');
    expect(takenOver.map((e) => e.event)).toEqual([event]);
    await store.inbox.markAnswered(event.id, { status: 'created', ticket: { id: 'x', key: 'T-4242' }, message: { text: 'Created T-4242' } });
    await store.inbox.release('worker-b', [event.id], now);
    const again = await store.inbox.claimDue('worker-c', new Date(now.getTime() + 1), lease, 10, () => false);
    expect(again).toHaveLength(1);
    // The next worker knows the person was already told (they are told once).
    expect(again[0]!.answered?.ticket?.key).toBe('T-4242');
    expect(again[0]!.fresh).toBeUndefined();
    await store.inbox.complete(event.id, now);
    expect((await store.inbox.stats()).pending).toBe(0);
    expect(await store.inbox.accept(event, 'worker-a', now, lease)).toBe('duplicate');
    expect(await store.inbox.purgeDone(new Date(now.getTime() + 1))).toBe(1);
  });

  it('lists by status, requester and assignee (the person on their platform), newest first', async () => {
    const requester = { platform: 'slack', id: 'U_LIST' } as const;
    const agent = { platform: 'slack', id: 'U_AGENT_LIST' } as const;
    await store.tickets.insert(draft(7001, { status: 'resolved', requester }));
    await store.tickets.insert(draft(7002, { requester, assignee: agent, status: 'in_progress' }));
    await store.tickets.insert(draft(7003, { requester: { platform: 'discord', id: 'U_LIST' } }));
    await store.tickets.insert(draft(7004, { status: 'waiting_on_requester', assignee: agent }));
    expect((await store.tickets.list({ requester })).map((t) => t.key)).toEqual(['T-7002', 'T-7001']);
    expect((await store.tickets.list({ requester, status: ['resolved'] })).map((t) => t.key)).toEqual(['T-7001']);
    expect((await store.tickets.list({ assignee: agent, status: ['in_progress', 'waiting_on_requester'] })).map((t) => t.key)).toEqual(['T-7004', 'T-7002']);
    // Several statuses with no person: one look per status, merged newest first and cut to the limit.
    const open = await store.tickets.list({ status: ['new', 'in_progress', 'waiting_on_requester'], limit: 2 });
    expect(open.map((t) => t.number)).toEqual([...open.map((t) => t.number)].sort((a, b) => b - a));
    expect(open).toHaveLength(2);
    expect(open[0]!.number).toBeGreaterThanOrEqual(7004);
  });

  it('counts tickets by status, closed ones included, without a pass over the history', async () => {
    await store.tickets.insert(draft(7201, { status: 'closed' }));
    await store.tickets.insert(draft(7202, { status: 'waiting_on_requester' }));
    const Ticket = store.connection.model('Ticket');
    const counts = await store.tickets.countByStatus();
    for (const status of ['new', 'triaged', 'in_progress', 'waiting_on_requester', 'resolved', 'closed'])
      expect(counts[status]).toBe(await Ticket.countDocuments({ status }));
    // A new live ticket shows at once (the closed count is kept for a few minutes).
    await store.tickets.insert(draft(7203, { status: 'waiting_on_requester' }));
    expect((await store.tickets.countByStatus()).waiting_on_requester).toBe(counts.waiting_on_requester! + 1);
  });

  it('records a one-time start-up step as done even when several starts record it at once', async () => {
    const Counter = store.connection.model('Counter');
    const marks = Array.from({ length: 8 }, (_, i) => `test:start-mark:${i}`);
    for (const id of marks) await Promise.all(Array.from({ length: 4 }, () => setStartMark({ Counter } as never, id, 1)));
    expect(await Counter.countDocuments({ _id: { $in: marks } })).toBe(marks.length);
  });

  it('tells what changed since a time, oldest first, whether the look spans a few seconds or falls far behind', async () => {
    const now = Date.now();
    const ago = (ms: number) => new Date(now - ms);
    // Seconds apart, and older ones outside the look; written out of order.
    const recent = await store.tickets.insert(draft(7101, { title: 'recent', updatedAt: ago(1200) }));
    const older = await store.tickets.insert(draft(7102, { title: 'older', updatedAt: ago(3400) }));
    await store.tickets.insert(draft(7103, { title: 'before the look', updatedAt: ago(9000) }));
    await store.tickets.save({ ...older, status: 'in_progress', updatedAt: ago(2500), version: 2 });
    const seen = (await store.tickets.changedSince(ago(4000), 50)).filter((c) => c.key.startsWith('T-71'));
    expect(seen.map((c) => [c.key, c.status])).toEqual([
      ['T-7102', 'in_progress'],
      ['T-7101', 'new'],
    ]);
    expect((await store.tickets.changedSince(ago(4000), 1)).length).toBe(1);
    // A look that fell ten minutes behind still finds them all.
    const far = (await store.tickets.changedSince(ago(600_000), 500)).filter((c) => c.key.startsWith('T-71')).map((c) => c.key);
    expect(far).toEqual(['T-7103', 'T-7102', 'T-7101']);
    expect(recent.title).toBe('recent');
  });
});

const embeddedOnly = process.env.MONGODB_URI ? describe.skip : describe;
embeddedOnly('embedded database (local run)', () => {
  it('keeps tickets across a restart of the embedded database', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chatdesk-local-'));
    const first = await openStore({ dataDir, logger: silentLogger() });
    await first.tickets.insert(draft(8001));
    await first.close();
    const second = await openStore({ dataDir, logger: silentLogger() });
    try {
      expect((await second.tickets.findByKey('T-8001'))?.title).toBe('Ticket 8001');
      expect(await second.tickets.nextNumber(1001)).toBe(1001);
    } finally {
      await second.close();
    }
  });
});
