/**
 * The SLA worker's store on the run's database: a worker that starts with nothing
 * in memory (after a crash) fires from the copy of the ticket its wake-up carries,
 * and refuses that copy once the ticket has changed since.
 */
import { startClock } from '../../src/domain/sla/clock';
import type { NewTicket } from '../../src/domain/ticket/ticket.repository.port';
import { silentLogger } from '../../src/logger';
import { spawnSync } from 'node:child_process';
import { openStore, type Store } from '../../src/store/database';
import { registerModels } from '../../src/store/ticket.model';
import { newWorkerName } from '../../src/store/worker-identity';
import { testMongoUri } from '../support/test-db';

const at = new Date('2026-11-23T09:00:00Z');
const wakeAt = new Date(at.getTime() + 8 * 60_000);
const draft = (number: number): NewTicket => ({
  number, key: `T-${number}`, title: `Printer ${number} jams`, description: 'Since this morning', type: 'incident', fields: { location: 'HQ 3' },
  requester: { platform: 'slack', id: 'U1', name: 'alice' }, team: 'it', category: 'hardware', categoryConfidence: 0.7, priority: 'P2',
  priorityConfidence: 0.6, classificationReason: 'test', status: 'new', escalationLevel: 0, tags: [],
  agentCards: [{ platform: 'slack', channelId: 'C1', messageId: `17000.${number}` }], createdAt: at, updatedAt: at,
  activity: [{ at, action: 'created', actor: { platform: 'slack', id: 'U1' } }], sla: startClock(at, 'P2'), version: 1,
});

/** Workers on one database of their own: each new connection is a new worker, with no ticket in memory. */
function workersOn(label: string): () => Promise<Store> {
  const uri = testMongoUri(label);
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });
  return async () => {
    const store = await openStore({ uri, dataDir: '', logger: silentLogger() });
    stores.push(store);
    return store;
  };
}

describe('SLA store: wake-ups carry their ticket', () => {
  const freshWorker = workersOn('sla-store');

  /** What the worker does after handling a ticket: load it, then write its next wake-up. */
  async function scheduleNext(store: Store, ticketId: string, version: number) {
    await store.slaNotifications.load([ticketId]);
    await store.slaNotifications.schedule([{ ticketId, at: wakeAt, version }]);
  }

  it('a restarted worker fires from the wake-up’s copy, without reading the ticket', async () => {
    const first = await freshWorker();
    const ticket = await first.tickets.insert(draft(1001));
    await scheduleNext(first, ticket.id, 1);

    const restarted = await freshWorker();
    const due = await restarted.slaNotifications.dueTimers(wakeAt, 100);
    expect(due.filter((t) => t.ticketId === ticket.id && !t.changed).map((t) => t.at)).toEqual([wakeAt]);
    await restarted.slaNotifications.prefetch([ticket.id]);
    const state = (await restarted.slaNotifications.load([ticket.id])).get(ticket.id);
    expect(state?.ticket).toEqual(await first.tickets.findById(ticket.id));
    expect(restarted.slaNotifications.stats()).toEqual({ ticketsRead: 0, fromSnapshots: 1, snapshotsRefused: 0 });
  });

  it('refuses the copy once the ticket changed (here: assigned) and reads the ticket instead', async () => {
    const first = await freshWorker();
    const ticket = await first.tickets.insert(draft(1002));
    await scheduleNext(first, ticket.id, 1);
    const assignee = { platform: 'slack' as const, id: 'U9', name: 'bob' };
    await first.tickets.save({ ...ticket, assignee, status: 'in_progress', version: 2 });

    const restarted = await freshWorker();
    await restarted.slaNotifications.dueTimers(wakeAt, 100);
    await restarted.slaNotifications.prefetch([ticket.id]);
    const state = (await restarted.slaNotifications.load([ticket.id])).get(ticket.id);
    expect(state?.ticket.version).toBe(2);
    expect(state?.ticket.assignee).toEqual(assignee);
    expect(restarted.slaNotifications.stats()).toEqual({ ticketsRead: 1, fromSnapshots: 0, snapshotsRefused: 1 });
  });

  it('a copy carries the SLA audit rows, so what was sent is not sent again', async () => {
    const first = await freshWorker();
    const ticket = await first.tickets.insert(draft(1003));
    await first.slaNotifications.load([ticket.id]);
    const key = `${ticket.id}:first_response:reminder:0.75`;
    expect((await first.slaNotifications.claim([{ key, ticketId: ticket.id }], at, 120_000)).get(key)).toEqual({ status: 'claimed' });
    const entry = { at, action: 'sla_reminder' as const, actor: { platform: 'system' as const, id: 'chatdesk' as const }, to: 'agent_channel', note: 'first_response 75%' };
    await first.slaNotifications.confirm([{ key, ticketId: ticket.id, entry, position: 1, auditCount: 0 }]);
    await first.slaNotifications.schedule([{ ticketId: ticket.id, at: wakeAt, version: 1 }]);

    const restarted = await freshWorker();
    await restarted.slaNotifications.dueTimers(wakeAt, 100);
    const state = (await restarted.slaNotifications.load([ticket.id])).get(ticket.id);
    expect(restarted.slaNotifications.stats().fromSnapshots).toBe(1);
    expect([...(state?.sent ?? [])]).toEqual([key]);
    expect(state?.auditCount).toBe(1);
    expect(state?.ticket.activity.map((a) => a.action)).toEqual(['created', 'sla_reminder']);
  });
});

describe('SLA store: a restarted worker warms up in one pass', () => {
  const freshWorker = workersOn('sla-warm');

  it('takes every due ticket from the copies written with their wake-ups, except the one changed since', async () => {
    const first = await freshWorker();
    const tickets = await Promise.all([2001, 2002, 2003].map((n) => first.tickets.insert(draft(n))));
    await first.slaNotifications.load(tickets.map((tk) => tk.id));
    await first.slaNotifications.schedule(tickets.map((tk) => ({ ticketId: tk.id, at: wakeAt, version: 1 })));
    const changed = tickets[2]!;
    await first.tickets.save({ ...changed, priority: 'P1', version: 2 });

    const restarted = await freshWorker();
    const due = await restarted.slaNotifications.warmUp(wakeAt, 100);
    expect(new Set(due.filter((tm) => !tm.changed).map((tm) => tm.ticketId))).toEqual(new Set(tickets.map((tk) => tk.id)));
    expect(due.some((tm) => tm.changed && tm.ticketId === changed.id)).toBe(true);
    expect(restarted.slaNotifications.stats()).toEqual({ ticketsRead: 0, fromSnapshots: 2, snapshotsRefused: 1 });
    expect(restarted.slaNotifications.cached(tickets.map((tk) => tk.id))).toEqual(new Set([tickets[0]!.id, tickets[1]!.id]));
    const states = await restarted.slaNotifications.load(tickets.map((tk) => tk.id));
    expect(states.get(changed.id)?.ticket.priority).toBe('P1');
    expect(states.get(tickets[0]!.id)?.ticket).toEqual(await first.tickets.findById(tickets[0]!.id));
  });

  it('handled wake-ups are cleared (changed ones too) and the others stay', async () => {
    const first = await freshWorker();
    const [a, b] = await Promise.all([2101, 2102].map((n) => first.tickets.insert(draft(n))));
    const later = new Date(wakeAt.getTime() + 60_000);
    await first.slaNotifications.schedule([
      { ticketId: a!.id, at: wakeAt, version: 1 },
      { ticketId: b!.id, at: later, version: 1 },
    ]);
    await first.tickets.save({ ...a!, priority: 'P1', version: 2 });
    const mine = (await first.slaNotifications.dueTimers(later, 1000)).filter((tm) => tm.ticketId === a!.id || tm.ticketId === b!.id);
    // Each: changed at insert (v1), its wake-up; a also changed at v2.
    expect(mine).toHaveLength(5);
    await first.slaNotifications.clearTimers(mine.filter((tm) => tm.ticketId === a!.id).map((tm) => tm.id));
    const left = (await first.slaNotifications.dueTimers(later, 1000)).filter((tm) => tm.ticketId === a!.id || tm.ticketId === b!.id);
    expect(left.map((tm) => [tm.ticketId, tm.at.getTime()])).toEqual([
      [b!.id, 0],
      [b!.id, later.getTime()],
    ]);
  });
});

describe('SLA store: claims of a worker that died', () => {
  const open = workersOn('sla-claims');
  const worker = async () => (await open()).slaNotifications;
  const sec = (n: number) => new Date(at.getTime() + n * 1000);

  it('are taken over 20 s after its last heartbeat, not after the 120 s lease; a beating worker keeps its claims', async () => {
    const [killed, beating, other] = [await worker(), await worker(), await worker()];
    await killed.heartbeat(sec(0));
    await beating.heartbeat(sec(0));
    const lease = 120_000;
    expect((await killed.claim([{ key: 'k-dead', ticketId: 't1' }], sec(0), lease)).get('k-dead')).toEqual({ status: 'claimed' });
    expect((await beating.claim([{ key: 'k-live', ticketId: 't2' }], sec(0), lease)).get('k-live')).toEqual({ status: 'claimed' });

    // 10 s later both owners look alive.
    expect((await other.claim([{ key: 'k-dead', ticketId: 't1' }], sec(10), lease)).get('k-dead')).toEqual({ status: 'busy', leaseEndsAt: sec(20) });
    // One keeps beating; the other was killed.
    await beating.heartbeat(sec(15));
    const later = await other.claim(
      [
        { key: 'k-dead', ticketId: 't1' },
        { key: 'k-live', ticketId: 't2' },
      ],
      sec(21),
      lease,
    );
    expect(later.get('k-dead')).toEqual({ status: 'claimed' });
    expect(later.get('k-live')).toEqual({ status: 'busy', leaseEndsAt: sec(35) });
  });

  it('are taken over at once when its process is gone from this machine (a restart after kill -9)', async () => {
    const store = await open();
    const exited = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const killed = newWorkerName().split('/').map((part, i) => (i === 3 ? String(exited) : part)).join('/');
    const models = registerModels(store.connection);
    // Its last beat is fresh: without knowing its process is gone, this claim would wait 20 s.
    await models.SlaWorker.collection.insertOne({ _id: killed, at: sec(100) } as never);
    await models.SlaNotification.collection.insertOne({ _id: 'k-killed', ticketId: 't9', state: 'sending', at: sec(100), owner: killed } as never);
    const restarted = store.slaNotifications;
    expect((await restarted.claim([{ key: 'k-killed', ticketId: 't9' }], sec(101), 120_000)).get('k-killed')).toEqual({ status: 'claimed' });
  });

  it('a worker whose own last beat is too old stops sending', async () => {
    const log = await worker();
    expect(log.maySend()).toBe(true);
    await log.heartbeat(new Date(Date.now() - 13_000));
    expect(log.maySend()).toBe(false);
    await log.heartbeat(new Date());
    expect(log.maySend()).toBe(true);
  });
});
