/**
 * The SLA worker's store on the run's database: the SLA audit is in the ticket's
 * own activity (what a restarted worker reads to know what was sent), the wake-up
 * is the ticket's own slaNextAt (a save writes nothing more), data of the earlier
 * layout (sla_audit) is folded into the tickets, and claims of a dead worker are
 * taken over.
 */
import { startClock } from '../../src/domain/sla/clock';
import type { Ticket } from '../../src/domain/ticket/ticket';
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
  number,
  key: `T-${number}`,
  title: `Printer ${number} jams`,
  description: 'Since this morning',
  type: 'incident',
  fields: { location: 'HQ 3' },
  requester: { platform: 'slack', id: 'U1', name: 'alice' },
  team: 'it',
  category: 'hardware',
  categoryConfidence: 0.7,
  priority: 'P2',
  priorityConfidence: 0.6,
  classificationReason: 'test',
  status: 'new',
  escalationLevel: 0,
  tags: [],
  agentCards: [{ platform: 'slack', channelId: 'C1', messageId: `17000.${number}` }],
  createdAt: at,
  updatedAt: at,
  activity: [{ at, action: 'created', actor: { platform: 'slack', id: 'U1' } }],
  sla: startClock(at, 'P2'),
  slaNextAt: wakeAt,
  version: 1,
});
const ping = {
  at,
  action: 'sla_reminder' as const,
  actor: { platform: 'system' as const, id: 'chatdesk' as const },
  to: 'agent_channel',
  note: 'first_response 75%',
};

/** Workers on one database of their own: each new connection is a new worker, with nothing in memory. */
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

/** The database commands `fn` sends, as `command collection` (e.g. `update tickets`). */
async function commandsOf(store: Store, fn: () => Promise<unknown>): Promise<Record<string, number>> {
  const count = () => new Map(store.commandCounts().map((c) => [`${c.command} ${c.collection}`, c.n]));
  const before = count();
  await fn();
  return Object.fromEntries([...count()].filter(([k, n]) => n !== (before.get(k) ?? 0)).map(([k, n]) => [k, n - (before.get(k) ?? 0)]));
}

const wakeUpsOf = async (store: Store, ticketId: string) =>
  (await store.slaNotifications.dueTimers(new Date(at.getTime() + 86_400_000), 10_000)).filter((tm) => tm.ticketId === ticketId).map((tm) => tm.at.getTime());
const deliver = (ticket: Ticket, key: string, nextAt?: Date) => ({
  ticketId: ticket.id,
  version: ticket.version,
  delivered: [{ key, ticketId: ticket.id, entry: ping }],
  nextAt,
});

describe('SLA store: the audit is in the ticket', () => {
  const freshWorker = workersOn('sla-store');

  it('a sent reminder is in the ticket’s activity, and a restarted worker knows it was sent', async () => {
    const first = await freshWorker();
    const ticket = await first.tickets.insert(draft(1001));
    const key = `${ticket.id}:first_response:reminder:0.75:1`;
    expect((await first.slaNotifications.claim([{ key, ticketId: ticket.id }], at, 120_000)).get(key)).toEqual({ status: 'claimed' });
    const later = new Date(wakeAt.getTime() + 60_000);
    await first.slaNotifications.record([deliver(ticket, key, later)], at);

    const restarted = await freshWorker();
    const state = (await restarted.slaNotifications.load([ticket.id])).get(ticket.id);
    expect([...(state?.sent ?? [])]).toEqual([key]);
    expect(state?.ticket.activity).toEqual([...ticket.activity, ping]);
    expect(state?.ticket.slaNextAt).toEqual(later);
    expect(await wakeUpsOf(restarted, ticket.id)).toEqual([later.getTime()]);
    expect((await restarted.tickets.findById(ticket.id))?.activity.map((a) => a.action)).toEqual(['created', 'sla_reminder']);
    expect((await restarted.tickets.list({ notified: 'agent_channel' })).map((tk) => tk.key)).toContain(ticket.key);
  });

  it('recording a reminder moves the version on: a save based on the ticket before it is refused, not lost over it', async () => {
    const store = await freshWorker();
    const ticket = await store.tickets.insert(draft(1002));
    const key = `${ticket.id}:first_response:reminder:0.75:1`;
    await store.slaNotifications.claim([{ key, ticketId: ticket.id }], at, 120_000);
    await store.slaNotifications.record([deliver(ticket, key)], at);
    const assigned: Ticket = { ...ticket, assignee: { platform: 'slack', id: 'U9' }, version: 2 };
    await expect(store.tickets.save(assigned)).rejects.toMatchObject({ code: 'chatdesk_ticket_conflict' });
    const current = (await store.tickets.findById(ticket.id)) as Ticket;
    await store.tickets.save({ ...current, assignee: { platform: 'slack', id: 'U9' }, version: current.version + 1 });
    const stored = (await store.slaNotifications.load([ticket.id])).get(ticket.id);
    expect(stored?.ticket.activity.map((a) => a.action)).toEqual(['created', 'sla_reminder']);
    expect([...(stored?.sent ?? [])]).toEqual([key]);
  });

  it('a ticket changed while the worker sent keeps the entry and its own newer wake-up', async () => {
    const store = await freshWorker();
    const ticket = await store.tickets.insert(draft(1003));
    const key = `${ticket.id}:first_response:reminder:0.75:1`;
    const sooner = new Date(at.getTime() + 60_000);
    await store.tickets.save({ ...ticket, priority: 'P0', slaNextAt: sooner, version: 2 });
    await store.slaNotifications.claim([{ key, ticketId: ticket.id }], at, 120_000);
    await store.slaNotifications.record([deliver(ticket, key, new Date(wakeAt.getTime() + 3_600_000))], at);
    const stored = (await store.slaNotifications.load([ticket.id])).get(ticket.id);
    expect(stored?.ticket).toMatchObject({ priority: 'P0', slaNextAt: sooner, version: 3 });
    expect(stored?.ticket.activity.map((a) => a.action)).toEqual(['created', 'sla_reminder']);
  });
});

describe('SLA store: the wake-up is the ticket’s own slaNextAt', () => {
  const freshWorker = workersOn('sla-saves');

  it('a ticket and each save of it write no SLA collection, a priority change included; the worker finds it by its second', async () => {
    const store = await freshWorker();
    const sla = (cmds: Record<string, number>) => Object.keys(cmds).filter((k) => /sla/.test(k));
    let ticket: Ticket | undefined;
    const inserted = await commandsOf(store, async () => (ticket = await store.tickets.insert(draft(3001))));
    expect([inserted['insert tickets'], sla(inserted)]).toEqual([1, []]);
    expect(await wakeUpsOf(store, ticket!.id)).toEqual([wakeAt.getTime()]);

    const sooner = new Date(at.getTime() + 60_000);
    const raised: Ticket = { ...ticket!, priority: 'P0', slaNextAt: sooner, version: 2 };
    const saved = await commandsOf(store, () => store.tickets.save(raised));
    expect([saved['update tickets'], sla(saved)]).toEqual([1, []]);
    expect(await wakeUpsOf(store, ticket!.id)).toEqual([sooner.getTime()]);
    const inThatSecond = await store.slaNotifications.timersBetween(sooner, sooner);
    expect(inThatSecond.find((tm) => tm.ticketId === ticket!.id)?.state?.ticket).toEqual(raised);
    expect(await store.slaNotifications.timersBetween(wakeAt, wakeAt)).toEqual([]);
  });

  it('a wake-up written for a time already past is read in the second it was written', async () => {
    const store = await freshWorker();
    const written = new Date(wakeAt.getTime() + 30_000);
    const ticket = await store.tickets.insert({ ...draft(3101), updatedAt: written });
    expect((await store.slaNotifications.timersBetween(written, written)).map((tm) => [tm.ticketId, tm.at])).toEqual([[ticket.id, wakeAt]]);
  });
});

describe('SLA store: data of the earlier layout', () => {
  const freshWorker = workersOn('sla-fold');

  it('folds the SLA audit kept in sla_audit into its tickets once (an entry a save already copied is not repeated)', async () => {
    const store = await freshWorker();
    const copied = { ...ping, note: 'first_response 50%' };
    const ticket = await store.tickets.insert({ ...draft(4001), activity: [...draft(4001).activity, copied] });
    const db = store.connection.db!;
    await db.collection('sla_audit').insertMany([
      { _id: `${ticket.id}#0`, ticketId: ticket.id, key: 'k50', pos: 1, entry: { ...copied, to: 'agent_channel', from: null } },
      { _id: `${ticket.id}#1`, ticketId: ticket.id, key: 'k75', pos: 1, entry: ping },
    ] as never[]);
    await db.collection('sla_heads').insertOne({ _id: ticket.id, v: 1 } as never);
    await store.slaNotifications.prepare();
    await store.slaNotifications.prepare();

    const state = (await store.slaNotifications.load([ticket.id])).get(ticket.id);
    expect(state?.ticket.activity.map((a) => a.note ?? a.action)).toEqual(['created', 'first_response 50%', 'first_response 75%']);
    expect(new Set(state?.sent)).toEqual(new Set(['k50', 'k75']));
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => ['sla_audit', 'sla_heads', 'sla_snapshots'].includes(n))).toEqual([]);
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
    const killed = newWorkerName()
      .split('/')
      .map((part, i) => (i === 3 ? String(exited) : part))
      .join('/');
    const models = registerModels(store.connection);
    // Its last beat is fresh: without knowing its process is gone, this claim would wait 20 s.
    await models.SlaWorker.collection.insertOne({ _id: killed, at: sec(100) } as never);
    await models.SlaNotification.collection.insertOne({ _id: 'k-killed', ticketId: 't9', state: 'sending', at: sec(100), owner: killed } as never);
    const restarted = store.slaNotifications;
    expect((await restarted.claim([{ key: 'k-killed', ticketId: 't9' }], sec(101), 120_000)).get('k-killed')).toEqual({ status: 'claimed' });
  });

  it('a claim of a worker killed after sending, before writing the ticket, is not sent again and its entry is handed back', async () => {
    const store = await open();
    const ticket = await store.tickets.insert(draft(5001));
    const exited = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const killed = newWorkerName()
      .split('/')
      .map((part, i) => (i === 3 ? String(exited) : part))
      .join('/');
    const models = registerModels(store.connection);
    const key = `${ticket.id}:first_response:reminder:1:1`;
    await models.SlaNotification.collection.insertMany([
      { _id: key, ticketId: ticket.id, state: 'sending', at: sec(100), owner: killed },
      { _id: `${key}#sent`, ticketId: ticket.id, state: 'sent', at: sec(100), entry: ping },
    ] as never[]);
    expect((await store.slaNotifications.claim([{ key, ticketId: ticket.id }], sec(101), 120_000)).get(key)).toEqual({ status: 'sent', entry: ping });
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
