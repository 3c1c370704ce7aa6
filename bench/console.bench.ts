/**
 * The console's queue and reports queries at two sizes of history, in one run,
 * on the embedded database (FerretDB 1.24 on PostgreSQL): BENCH_SIZES tickets
 * (default 1000 then 100000) at 100 tickets a day, so a bigger desk is a
 * longer history at the same daily rate, with the same open backlog (150).
 * Prints p50/p95 per query and size, and the p95 ratio largest/smallest.
 *
 *   npm run build && node dist/bench/console.bench.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DateTime } from 'luxon';
import { PRIORITIES } from '../src/ai/classifier.port';
import { parseQueueQuery } from '../src/console/queue-query';
import { QueueService } from '../src/console/queue-service';
import { DailyStatsRecorder } from '../src/console/daily-stats-recorder';
import { ReportService } from '../src/console/report-service';
import { defaultDeskConfig } from '../src/config/default-desk-config';
import { deskConfigSchema } from '../src/config/desk-config.schema';
import { loadSlaConfig } from '../src/config/sla-config';
import { startClock } from '../src/domain/sla/clock';
import type { Ticket, UserRef } from '../src/domain/ticket/ticket';
import { applyAction } from '../src/domain/ticket/transitions';
import { silentLogger } from '../src/logger';
import { openStore } from '../src/store/database';
import { toRecord } from '../src/store/ticket.mapper';
import type { TicketRecord } from '../src/store/ticket.model';

const SIZES = (process.env.BENCH_SIZES ?? '1000,100000').split(',').map(Number);
const REPS = Number(process.env.BENCH_REPS ?? 20);
const PER_DAY = 100;
const BACKLOG = 150;
const DAY = 86_400_000;
const TEAMS = ['it', 'people', 'facilities'];
const CATEGORIES = ['hardware', 'software', 'network', 'access', 'email'];
const PHRASES = [
  'printer on floor 3 jams',
  'vpn disconnects from home',
  'laptop does not boot',
  'password reset needed',
  'email not syncing on phone',
  'monitor flickers',
  'access to the finance share',
  '打印机卡纸',
  '无法连接 VPN',
];
const agent: UserRef = { platform: 'slack', id: 'U0BOB', name: 'bob' };

function ticketAt(number: number, createdAt: Date, open: boolean, now: Date): Omit<Ticket, 'id'> {
  const priority = PRIORITIES[number % 4]!;
  const phrase = PHRASES[number % PHRASES.length]!;
  // One ticket in 500 carries a rare word.
  const rare = number % 500 === 0 ? ' zebra' : '';
  let t: Ticket = {
    id: `t${number}`,
    number,
    key: `T-${number}`,
    title: `${phrase}${rare} #${number}`,
    description: `${phrase}, reported by user ${number % 97}${rare}`,
    type: 'incident',
    fields: {},
    // UREG: a requester with 20 tickets among the newest 1,000, at every size; the others' tickets grow with the history.
    requester:
      10_000_000 - number < 1000 && number % 50 === 0
        ? { platform: 'slack', id: 'UREG' }
        : { platform: (['slack', 'teams', 'discord', 'feishu'] as const)[number % 4]!, id: `U${number % 997}` },
    team: TEAMS[number % 3]!,
    category: CATEGORIES[number % 5]!,
    categoryConfidence: 0.9,
    priority,
    priorityConfidence: 0.9,
    classificationReason: 'bench',
    status: 'triaged',
    escalationLevel: 0,
    tags: number % 7 === 0 ? ['vpn'] : [],
    agentCards: [],
    createdAt,
    updatedAt: createdAt,
    activity: [{ at: createdAt, action: 'created', actor: { platform: 'slack', id: 'U0' } }],
    sla: startClock(createdAt, priority),
    version: 1,
  } as Ticket;
  if (number % 3 !== 0 || !open)
    t = applyAction(t, { kind: 'claim' }, agent, new Date(Math.min(now.getTime(), createdAt.getTime() + ((number % 60) + 5) * 60_000)));
  if (!open) t = applyAction(t, { kind: 'resolve' }, agent, new Date(Math.min(now.getTime(), createdAt.getTime() + ((number % 48) + 1) * 3_600_000)));
  const { id: _id, ...rest } = t;
  return rest;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)]!;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'chatdesk-console-bench-'));
  const store = await openStore({ dataDir, ferretdbBinary: process.env.FERRETDB_BIN, logger: silentLogger() });
  const sla = loadSlaConfig(deskConfigSchema.parse(defaultDeskConfig));
  const now = new Date();
  const Ticket = store.connection.model<TicketRecord>('Ticket');
  const results: Record<string, Record<number, { p50: number; p95: number; rows: number }>> = {};
  let inserted = 0;
  try {
    for (const size of SIZES) {
      // The newest BACKLOG tickets are open; every older one resolved. Numbers count back from the newest.
      const t0 = performance.now();
      for (let start = inserted; start < size; start += 1000) {
        const batch: Array<Record<string, unknown>> = [];
        for (let i = start; i < Math.min(size, start + 1000); i++) {
          const number = 10_000_000 - i;
          const createdAt = new Date(now.getTime() - Math.floor((i * DAY) / PER_DAY) - 60_000);
          // Each its own intake id (the index is unique): without one, every insert after the first was refused unseen.
          batch.push({ _id: `t${number}`, ...toRecord(ticketAt(number, createdAt, i < BACKLOG, now)), intakeId: `direct:t${number}` });
        }
        const res = await Ticket.collection.insertMany(batch as never[], { ordered: false });
        if (res.insertedCount !== batch.length) throw new Error(`seeding: ${res.insertedCount} of ${batch.length} tickets stored`);
      }
      inserted = size;
      process.stdout.write(`seeded ${size} tickets (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
      const queue = new QueueService({ tickets: store.consoleTickets, sla, timeZone: 'UTC', firstNumber: 10_000_000 - size + 1, now: () => now });
      // The reports' summary as a start after an upgrade builds it: from every ticket stored (timed).
      await store.dailyStats.clear();
      const b0 = performance.now();
      await new DailyStatsRecorder({
        store: store.dailyStats,
        eachBatch: (n, work) => store.consoleTickets.eachBatch(n, work),
        sla,
        timeZone: 'UTC',
        logger: silentLogger(),
      }).start();
      process.stdout.write(
        `summary built from ${size} tickets in ${((performance.now() - b0) / 1000).toFixed(1)} s (load average ${loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')})\n`,
      );
      const reports = new ReportService({ summary: store.dailyStats, sla, timeZone: 'UTC', now: () => now });
      const me: UserRef = agent;
      const q = (s: string) => parseQueueQuery(new URLSearchParams(s));
      const today = DateTime.fromJSDate(now, { zone: 'UTC' });
      const range = (days: number) => ({ from: today.minus({ days: days - 1 }).toISODate()!, to: today.toISODate()! });
      const cases: Array<[string, () => Promise<number>]> = [
        ['queue: open (default view)', async () => (await queue.page({ kind: 'all' }, q(''), me)).tickets.length],
        ['queue: open, team it, sorted by priority', async () => (await queue.page({ kind: 'teams', teams: ['it'] }, q('sort=priority'), me)).tickets.length],
        ['queue: open, search "printer"', async () => (await queue.page({ kind: 'all' }, q('q=printer'), me)).tickets.length],
        ['queue: all statuses, page 1', async () => (await queue.page({ kind: 'all' }, q('status=any'), me)).tickets.length],
        ['queue: all statuses, page 4', async () => (await queue.page({ kind: 'all' }, q('status=any&page=4'), me)).tickets.length],
        ['queue: resolved, team it, P1', async () => (await queue.page({ kind: 'all' }, q('status=resolved&team=it&priority=P1'), me)).tickets.length],
        ['queue: all statuses, search "printer"', async () => (await queue.page({ kind: 'all' }, q('status=any&q=printer'), me)).tickets.length],
        ['queue: all statuses, search rare "zebra"', async () => (await queue.page({ kind: 'all' }, q('status=any&q=zebra'), me)).tickets.length],
        [
          "queue: a requester's own tickets (20 at both sizes)",
          async () => (await queue.page({ kind: 'own', user: { platform: 'slack', id: 'UREG' } }, q('status=any'), me)).tickets.length,
        ],
        [
          "queue: a requester's own tickets (U4: more with the history)",
          async () => (await queue.page({ kind: 'own', user: { platform: 'slack', id: 'U4' } }, q('status=any'), me)).tickets.length,
        ],
        ['reports: last 7 days', async () => (await reports.report('all', range(7))).totals.created],
        ['reports: last 30 days', async () => (await reports.report('all', range(30))).totals.created],
        ['reports: last 90 days', async () => (await reports.report('all', range(90))).totals.created],
        ['reports: last 7 days, team it', async () => (await reports.report(['it'], range(7))).totals.created],
      ];
      for (const [name, run] of cases) {
        await run(); // warm-up
        const times: number[] = [];
        let rows = 0;
        for (let i = 0; i < REPS; i++) {
          const s = performance.now();
          rows = await run();
          times.push(performance.now() - s);
        }
        results[name] ??= {};
        results[name][size] = { p50: pct(times, 50), p95: pct(times, 95), rows };
        process.stdout.write(
          `${size}\t${name}\tp50 ${pct(times, 50).toFixed(1)} ms\tp95 ${pct(times, 95).toFixed(1)} ms\t(${rows})\tload ${loadavg()[0]!.toFixed(1)}\n`,
        );
      }
    }
    const [small, large] = [SIZES[0]!, SIZES[SIZES.length - 1]!];
    process.stdout.write(`\n| query | p95 @${small} | p95 @${large} | ratio |\n|---|---|---|---|\n`);
    for (const [name, bySize] of Object.entries(results)) {
      const a = bySize[small]!;
      const b = bySize[large]!;
      process.stdout.write(`| ${name} | ${a.p95.toFixed(1)} ms | ${b.p95.toFixed(1)} ms | ${(b.p95 / a.p95).toFixed(2)} |\n`);
    }
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
