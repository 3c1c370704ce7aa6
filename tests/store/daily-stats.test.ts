/**
 * The reports' per-day summary on the real database: counting a ticket
 * replaces its last counted contribution, so a retried count, an older
 * version after a newer one, and counts racing from two connections (two
 * processes) leave every figure as the tickets make it.
 */
import { DailyStatsRecorder } from '../../src/console/daily-stats-recorder';
import { commentRowOf, contributionOf, openRowOf } from '../../src/console/report-contribution';
import { RECENT_COMMENTS, ReportService } from '../../src/console/report-service';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import { deskConfigSchema } from '../../src/config/desk-config.schema';
import { loadSlaConfig } from '../../src/config/sla-config';
import { startClock } from '../../src/domain/sla/clock';
import type { Ticket, UserRef } from '../../src/domain/ticket/ticket';
import { applyAction } from '../../src/domain/ticket/transitions';
import { silentLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store/database';
import { toRecord } from '../../src/store/ticket.mapper';
import { testMongoUri } from '../support/test-db';
import { aTicket } from '../support/ticket-factory';

const sla = loadSlaConfig(deskConfigSchema.parse(defaultDeskConfig));
const bob: UserRef = { platform: 'slack', id: 'UBOB', name: 'Bob' };
const alice: UserRef = { platform: 'slack', id: 'UALICE', name: 'Alice' };
const day = new Date('2026-11-23T09:00:00Z');
const min = (n: number) => new Date(day.getTime() + n * 60_000);

const ticket = (n: number): Ticket =>
  aTicket({
    id: `t${n}`,
    number: n,
    key: `T-${n}`,
    requester: alice,
    team: n % 2 ? 'it' : 'people',
    createdAt: day,
    updatedAt: day,
    activity: [{ at: day, action: 'created', actor: alice }],
    sla: startClock(day, 'P2'),
  });

/** Claimed after n minutes, resolved after 2n, rated n % 5 + 1: each step a version. */
function lifeOf(n: number): Ticket[] {
  const created = ticket(n);
  const claimed = applyAction(created, { kind: 'claim' }, bob, min(n));
  const resolved = applyAction(claimed, { kind: 'resolve' }, bob, min(2 * n));
  const rated = applyAction(resolved, { kind: 'rate', score: (n % 5) + 1 }, alice, min(2 * n + 1));
  return [created, claimed, resolved, rated];
}

describe('daily stats', () => {
  let a: Store;
  let b: Store;
  const reportOf = (store: Store, teams: readonly string[] | 'all' = 'all') =>
    new ReportService({ summary: store.dailyStats, sla, timeZone: 'UTC', now: () => min(24 * 60) }).report(teams, {
      from: '2026-11-23',
      to: '2026-11-23',
    });
  const count = (store: Store, t: Ticket) => store.dailyStats.count(t.id, t.version, contributionOf(t, 'UTC', sla), openRowOf(t), commentRowOf(t, 'UTC'));

  /** A recorder of store a's summary in `timeZone`: when it builds, it reads every ticket stored. */
  const recorder = (timeZone: string) =>
    new DailyStatsRecorder({ store: a.dailyStats, eachBatch: (n, work) => a.consoleTickets.eachBatch(n, work), sla, timeZone, logger: silentLogger() });
  /** Stores a ticket straight into store a's collection (no change hook: only a build counts it). */
  const storeDirectly = async (t: Ticket) => {
    const { id: _id, ...rest } = t;
    await a.connection.model('Ticket').collection.insertOne({ _id: t.id, ...toRecord(rest), intakeId: `direct:${t.id}` } as never);
  };

  beforeAll(async () => {
    const uri = testMongoUri('daily-stats');
    a = await openStore({ uri, dataDir: '', logger: silentLogger() });
    b = await openStore({ uri, dataDir: '', logger: silentLogger() });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts each version of a ticket once, whatever is retried or arrives late', async () => {
    const [created, claimed, resolved, rated] = lifeOf(30);
    expect(await count(a, created!)).toBe('counted');
    expect(await count(a, claimed!)).toBe('counted');
    expect((await reportOf(a)).totals).toMatchObject({ created: 1, resolved: 0, backlogNow: 1 });
    expect(await count(a, claimed!)).toBe('skipped'); // a retried save of the same version
    expect(await count(a, rated!)).toBe('counted');
    expect(await count(a, resolved!)).toBe('skipped'); // an older version after a newer one
    const r = await reportOf(a);
    expect(r.totals).toMatchObject({ created: 1, resolved: 1, backlogNow: 0, firstResponse: { p50: 30, n: 1 }, resolution: { p50: 60, n: 1 } });
    expect(r.totals.csat).toEqual({ n: 1, average: 1, distribution: [1, 0, 0, 0, 0] });
    // Reopened: no longer resolved.
    const reopened = applyAction(rated!, { kind: 'reopen' }, alice, min(100));
    await count(a, reopened);
    expect((await reportOf(a)).totals).toMatchObject({ created: 1, resolved: 0, backlogNow: 1, resolution: { n: 0 } });
    await a.dailyStats.clear();
  });

  it('adds up tickets counted at once from two connections, retries and duplicates included', async () => {
    const lives = Array.from({ length: 20 }, (_, i) => lifeOf(i + 1));
    // Every version of every ticket, from both stores in turn, each twice, all at once.
    await Promise.all(lives.flatMap((life, i) => life.flatMap((t, j) => [count((i + j) % 2 ? a : b, t), count((i + j) % 2 ? b : a, t)])));
    // The newest versions again (a late retry of the last save).
    await Promise.all(lives.map((life) => count(a, life[3]!)));
    const r = await reportOf(a);
    expect(r.totals).toMatchObject({ created: 20, resolved: 20, backlogNow: 0 });
    expect(r.totals.firstResponse.n).toBe(20);
    expect(r.totals.csat).toEqual({ n: 20, average: 3, distribution: [4, 4, 4, 4, 4] });
    expect(r.by.team.map((x) => [x.key, x.created])).toEqual([
      ['it', 10],
      ['people', 10],
    ]);
    // The first-response p50 is the 10th of 1..20 minutes, p90 the 18th (minutes below an hour have a bucket each).
    expect(r.totals.firstResponse).toMatchObject({ p50: 10, p90: 18 });
  });

  it('counts batches of tickets as it counts one: batches racing from two connections, a version twice, a wrong guess that a ticket is new', async () => {
    await a.dailyStats.clear();
    const lives = Array.from({ length: 30 }, (_, i) => lifeOf(i + 1));
    const item = (t: Ticket, fresh = false) => ({ ticketId: t.id, version: t.version, next: contributionOf(t, 'UTC', sla), open: openRowOf(t), fresh });
    // Created, all new, in one batch; then claimed and resolved in batches from both connections at once, each version
    // twice, and some "new" once more (a guess proven wrong: their ledgers exist).
    expect(await a.dailyStats.countMany(lives.map((l) => item(l[0]!, true)))).toEqual(lives.map(() => 'counted'));
    await Promise.all([
      a.dailyStats.countMany(lives.map((l) => item(l[1]!))),
      b.dailyStats.countMany(lives.map((l) => item(l[1]!))),
      b.dailyStats.countMany(lives.slice(0, 10).map((l) => item(l[0]!, true))),
    ]);
    expect((await reportOf(a)).totals).toMatchObject({ created: 30, resolved: 0, backlogNow: 30, firstResponse: { n: 30 } });
    await Promise.all([a.dailyStats.countMany(lives.map((l) => item(l[3]!))), b.dailyStats.countMany(lives.map((l) => item(l[2]!)))]);
    const r = await reportOf(a);
    expect(r.totals).toMatchObject({ created: 30, resolved: 30, backlogNow: 0 });
    expect(r.totals.csat).toEqual({ n: 30, average: 3, distribution: [6, 6, 6, 6, 6] });
    expect((await a.dailyStats.open()).length).toBe(0);
  });

  it("a new ticket's open row is inserted; one left by a count that stopped before its ledger is replaced, never doubled", async () => {
    await a.dailyStats.clear();
    const lives = Array.from({ length: 6 }, (_, i) => lifeOf(i + 200));
    const item = (t: Ticket) => ({ ticketId: t.id, version: t.version, next: contributionOf(t, 'UTC', sla), open: openRowOf(t), fresh: true });
    // Tickets 200-202 had their open rows written as claimed by a count that stopped there (no ledger, no summary).
    const rows = a.connection.db!.collection('daily_stats_open');
    await rows.insertMany(
      lives.slice(0, 3).map((l) => {
        const { id, ...row } = openRowOf(l[1]!)!;
        return { _id: id, ...row };
      }) as never[],
    );
    expect(await a.dailyStats.countMany(lives.map((l) => item(l[0]!)))).toEqual(lives.map(() => 'counted'));
    const open = await a.dailyStats.open();
    expect(open.map((o) => o.id).sort()).toEqual(lives.map((l) => l[0]!.id).sort());
    // Each row is the ticket as counted now (new, unassigned), not what the stopped count left.
    expect(open.map((o) => o.status)).toEqual(lives.map(() => 'new'));
    expect((await reportOf(a)).totals).toMatchObject({ created: 6, backlogNow: 6 });
  });

  it('the recorder counts a burst of changes, each ticket once at its newest version, and a report waits for them', async () => {
    await a.dailyStats.clear();
    await a.dailyStats.markBuilt('UTC/v2');
    const recorder = new DailyStatsRecorder({ store: a.dailyStats, eachBatch: async () => 0, sla, timeZone: 'UTC', logger: silentLogger() });
    await recorder.start();
    const lives = Array.from({ length: 40 }, (_, i) => lifeOf(i + 100));
    // Every step of every ticket as the store reports them; the first 20 stop at claimed (still open).
    for (const [i, life] of lives.entries()) for (const t of life.slice(0, i < 20 ? 2 : 4)) recorder.changed(t);
    await recorder.settled();
    const r = await reportOf(a);
    expect(r.totals).toMatchObject({ created: 40, resolved: 20, backlogNow: 20 });
    expect((await a.dailyStats.open()).map((o) => o.id).sort()).toEqual(
      lives
        .slice(0, 20)
        .map((l) => l[0]!.id)
        .sort(),
    );
    // A later change is counted on top (the summary is not rebuilt).
    for (const life of lives.slice(0, 20)) recorder.changed(life[3]!);
    await recorder.settled();
    expect((await reportOf(a)).totals).toMatchObject({ created: 40, resolved: 40, backlogNow: 0 });
    recorder.stop();
  });

  it('is built once from the tickets already stored, and again when the time zone changes', async () => {
    await a.dailyStats.clear();
    // Tickets stored before the summary existed (straight into the collection: no change hook).
    await storeDirectly(lifeOf(7)[3]!);
    await recorder('UTC').start();
    expect((await reportOf(a)).totals).toMatchObject({ created: 1, resolved: 1, csat: { n: 1, average: 3 } });
    // Built: a second start reads no ticket (one stored meanwhile behind its back stays uncounted) …
    await storeDirectly({ ...lifeOf(9)[0]!, id: 't9x', number: 9009, key: 'T-9009' });
    await recorder('UTC').start();
    expect((await reportOf(a)).totals.created).toBe(1);
    // … and another time zone rebuilds it (the summary's days are the desk's days).
    await recorder('Asia/Shanghai').start();
    expect(await a.dailyStats.builtFor()).toBe('Asia/Shanghai/v2');
    const shanghai = await new ReportService({ summary: a.dailyStats, sla, timeZone: 'Asia/Shanghai', now: () => min(24 * 60) }).report('all', {
      from: '2026-11-23',
      to: '2026-11-23',
    });
    expect(shanghai.totals).toMatchObject({ created: 2, resolved: 1 });
  });

  it("keeps the comments on ratings beside the summary: a report lists its teams' newest, at most RECENT_COMMENTS; a rebuild lists them again", async () => {
    await a.dailyStats.clear();
    /** Ticket n's life, then the comment on its rating after 100 + n minutes. */
    const commented = (n: number) => applyAction(lifeOf(n)[3]!, { kind: 'csat_comment', text: `comment ${n}` }, alice, min(100 + n));
    const tickets = Array.from({ length: RECENT_COMMENTS + 5 }, (_, i) => commented(i + 1));
    // Half counted in one batch, half one by one; then all again from another connection, batched: skipped.
    const half = Math.floor(tickets.length / 2);
    const item = (t: Ticket) => ({
      ticketId: t.id,
      version: t.version,
      next: contributionOf(t, 'UTC', sla),
      open: openRowOf(t),
      comment: commentRowOf(t, 'UTC'),
    });
    expect(await a.dailyStats.countMany(tickets.slice(0, half).map(item))).toEqual(tickets.slice(0, half).map(() => 'counted'));
    await Promise.all(tickets.slice(half).map((t) => count(a, t)));
    expect(await b.dailyStats.countMany(tickets.map(item))).toEqual(tickets.map(() => 'skipped'));
    const r = await reportOf(a);
    expect(r.comments.map((c) => c.text)).toEqual(Array.from({ length: RECENT_COMMENTS }, (_, i) => `comment ${RECENT_COMMENTS + 5 - i}`));
    expect(r.comments[0]).toEqual({ key: 'T-25', team: 'it', score: 1, at: min(125), text: 'comment 25' });
    const people = await reportOf(a, ['people']);
    expect(people.comments.map((c) => c.key)).toEqual(Array.from({ length: 12 }, (_, i) => `T-${24 - 2 * i}`));
    // Rebuilt from the stored tickets (the summary dropped): the comment is listed again.
    await a.dailyStats.clear();
    await storeDirectly({ ...commented(3), id: 't3c', number: 3003, key: 'T-3003' });
    await recorder('UTC').start();
    expect((await reportOf(a)).comments).toEqual([{ key: 'T-3003', team: 'it', score: 4, at: min(103), text: 'comment 3' }]);
  });
});
