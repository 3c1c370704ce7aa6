/**
 * The REST API on the embedded database (prints figures; not a test).
 *
 *   npm run build && node dist/bench/api.bench.js [--rate 10] [--seconds 20] [--small 1000] [--large 100000] [--rounds 30]
 *
 * Two chatdesk processes run side by side (dist/src/main.js, each on its own embedded FerretDB on
 * PostgreSQL, the playground as their messenger) with CHATDESK_ADMIN_TOKEN; this process drives them over HTTP.
 *   1. the small desk gets the newest `--small` tickets of the seeded history, stored straight into
 *      its database; the large desk all `--large` of them (the same desk with a longer history);
 *   2. creation on the small desk: POST /api/v1/tickets at `--rate` a second for `--seconds`, open
 *      loop (request i goes at start + i/rate): latency p50/p95/p99 and tickets created a second;
 *   3. list/search: each query of QUERIES `--rounds` times on each desk, one request at a time,
 *      alternating between the desks, so both see the same machine (on a shared VM whose speed
 *      drifts, runs one after the other compared the drift). Goal: p95 at large <= 1.5 x p95 at small.
 * The seeded desk opens a ticket every 10 minutes, for 5,000 requesters; tickets older than
 * 3 days are closed. Ends with a BENCH_JSON line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { defaultDeskConfig } from '../src/config/default-desk-config';
import { hourOf, numberBlockOf, personKey } from '../src/store/ticket-buckets';
import { freePort, startAppProcess } from '../tests/support/app-process';
import { cpuProbeMs } from './process-cpu';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const rate = Number(arg('rate', '10'));
const seconds = Number(arg('seconds', '20'));
const small = Number(arg('small', '1000'));
const large = Number(arg('large', '100000'));
const rounds = Number(arg('rounds', '30'));

const STEP_MS = 10 * 60_000;
const REQUESTERS = 5000;
const WORDS = ['printer jammed', 'vpn drops', 'password reset', 'new laptop', 'outlook crashes'];
const CATEGORIES = ['hardware', 'network', 'access', 'hardware', 'software'];
const PRIORITIES = ['P1', 'P2', 'P2', 'P3'];
const OPEN = ['new', 'triaged', 'in_progress', 'waiting_on_requester'];

/** What a dashboard or an integration asks most (`GET /api/v1/tickets?…`); `page2` follows the first page's cursor. */
const QUERIES: Record<string, string> = {
  newest: 'limit=50',
  page2: 'limit=50',
  open: 'status=new,triaged,in_progress&limit=50',
  'team+priority': 'team=it&priority=P2&limit=50',
  updated: 'sort=-updatedAt&limit=50',
  search: 'q=printer&limit=50',
  'sla breached': 'sla=breached,warning&limit=50',
  requester: 'requester=slack:U0042&limit=20',
};

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ticket `number` (1 … large): the higher, the newer; `large` is now minus a step. */
function seedDoc(number: number, now: number): Record<string, unknown> {
  const created = new Date(now - (large - number + 1) * STEP_MS);
  const updated = new Date(Math.min(now - 1000, created.getTime() + (number % 48) * 30 * 60_000));
  const recent = now - created.getTime() < 3 * 86_400_000;
  const status = recent && number % 3 === 0 ? OPEN[number % OPEN.length]! : 'closed';
  const requester = { platform: 'slack', id: `U${String(number % REQUESTERS).padStart(4, '0')}` };
  return {
    _id: new mongoose.Types.ObjectId().toHexString(),
    number,
    key: `T-${number}`,
    title: `${WORDS[number % WORDS.length]} (${number})`,
    description: 'seeded history for the API bench',
    type: 'incident',
    fields: {},
    requester,
    team: number % 4 === 0 ? 'people' : 'it',
    category: CATEGORIES[number % CATEGORIES.length],
    categoryConfidence: 0.8,
    priority: PRIORITIES[number % PRIORITIES.length],
    priorityConfidence: 0.7,
    classificationReason: 'seed',
    status,
    assignee: status === 'new' ? null : { platform: 'slack', id: `A${number % 20}` },
    escalationLevel: 0,
    tags: number % 97 === 0 ? ['outage'] : [],
    requesterThread: null,
    agentCards: [],
    createdAt: created,
    updatedAt: updated,
    updatedSec: Math.floor(updated.getTime() / 1000),
    numberBlock: numberBlockOf(number),
    updatedHour: hourOf(updated),
    requesterKey: personKey(requester),
    assigneeKey: status === 'new' ? null : `slack:A${number % 20}`,
    firstResponseAt: created,
    resolvedAt: status === 'closed' ? updated : null,
    closedAt: status === 'closed' ? updated : null,
    activity: [{ at: created, action: 'created', actor: requester }],
    sla: null,
    slaNextAt: null,
    slaSlot: null,
    watchers: [],
    assist: {},
    // Unique, as every stored ticket's is (tickets the bench stores straight have no request behind them).
    intakeId: `seed:${number}`,
    version: 1,
  };
}

/** Stores tickets `from` … `to` (inclusive) straight into the database, 1,000 at a time. */
async function seed(db: mongoose.Connection, from: number, to: number, now: number): Promise<void> {
  const tickets = db.collection<{ _id: string } & Record<string, unknown>>('tickets');
  for (let i = from; i <= to; i += 1000) {
    const docs = [];
    for (let n = i; n <= Math.min(to, i + 999); n++) docs.push(seedDoc(n, now) as { _id: string } & Record<string, unknown>);
    await tickets.insertMany(docs, { ordered: false });
  }
}

async function call(url: string, token: string, method: string, pathAndQuery: string, body?: unknown) {
  const t0 = performance.now();
  const res = await fetch(`${url}${pathAndQuery}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, any>;
  return { ms: performance.now() - t0, status: res.status, json };
}

type QueryStats = Record<string, { p50: number; p95: number; n: number; errors: number; returned: number }>;

/**
 * Each query `rounds` times on both desks, one request at a time, alternating: the small desk, then the
 * large one. Both see the same machine at nearly the same moment, so a busy or slowed-down machine
 * moves both figures and not their ratio. p50/p95 per query and over all, per desk.
 */
async function queries(desks: Array<{ url: string; token: string }>) {
  const out = desks.map(() => ({ perQuery: {} as QueryStats, all: [] as number[] }));
  for (const [name, query] of Object.entries(QUERIES)) {
    const state = await Promise.all(
      desks.map(async (d) => ({
        ms: [] as number[],
        errors: 0,
        returned: 0,
        cursor: name === 'page2' ? String((await call(d.url, d.token, 'GET', `/api/v1/tickets?${query}`)).json.nextCursor ?? '') : '',
      })),
    );
    for (let i = 0; i < rounds; i++) {
      for (const [k, d] of desks.entries()) {
        const st = state[k]!;
        const r = await call(d.url, d.token, 'GET', `/api/v1/tickets?${query}${st.cursor ? `&cursor=${st.cursor}` : ''}`);
        if (r.status !== 200) st.errors++;
        else st.returned = r.json.tickets.length;
        st.ms.push(r.ms);
      }
    }
    state.forEach((st, k) => {
      out[k]!.all.push(...st.ms);
      out[k]!.perQuery[name] = { p50: round(pct(st.ms, 50)), p95: round(pct(st.ms, 95)), n: st.ms.length, errors: st.errors, returned: st.returned };
    });
  }
  return out.map((o) => ({ perQuery: o.perQuery, p50: round(pct(o.all, 50)), p95: round(pct(o.all, 95)) }));
}

async function create(url: string, token: string) {
  const count = Math.round(rate * seconds);
  const start = performance.now() + 200;
  const results: Array<Promise<{ ms: number; status: number }>> = [];
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    results.push(
      call(url, token, 'POST', '/api/v1/tickets', {
        title: `${WORDS[i % WORDS.length]} on floor ${i % 9} (bench ${i})`,
        requester: `slack:U${String(i % REQUESTERS).padStart(4, '0')}`,
        fields: { impact: 'me' },
      }).catch(() => ({ ms: Number.NaN, status: 0 })),
    );
  }
  const done = await Promise.all(results);
  const wall = (performance.now() - start) / 1000;
  const ok = done.filter((r) => r.status === 201);
  const ms = ok.map((r) => r.ms);
  return {
    sent: count,
    created: ok.length,
    errors: count - ok.length,
    p50: round(pct(ms, 50)),
    p95: round(pct(ms, 95)),
    p99: round(pct(ms, 99)),
    perSecond: round(ok.length / wall),
  };
}

/** A chatdesk process on its own embedded database holding the newest `tickets` of the seeded history, with an API token. */
async function startDesk(tickets: number, now: number) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chatdesk-api-bench-'));
  // The desk numbers tickets from 1: the seeded history is 1 … tickets, the API's tickets come after.
  const deskPath = path.join(dataDir, 'desk.json');
  writeFileSync(deskPath, JSON.stringify({ ...defaultDeskConfig, firstTicketNumber: 1 }));
  const admin = randomBytes(24).toString('hex');
  const env = {
    CHATDESK_DATA_DIR: dataDir,
    CHATDESK_EMBEDDED_DB: 'postgresql',
    CHATDESK_CONFIG: deskPath,
    CHATDESK_PLAYGROUND: 'true',
    CHATDESK_ADMIN_TOKEN: admin,
    CHATDESK_API_RATE_LIMIT: '1000000',
    LOG_LEVEL: 'info',
  };
  const app = await startAppProcess(env, await freePort(), 180_000);
  const uri = String(app.logs.find((l) => l.msg === 'embedded database started')?.uri ?? '');
  if (!uri) throw new Error('the app did not log its embedded database URI');
  const db = await mongoose.createConnection(uri).asPromise();
  const t0 = Date.now();
  await seed(db, large - tickets + 1, large, now);
  await db.collection('counters').updateOne({ _id: 'ticket' as never }, { $set: { seq: large } }, { upsert: true });
  console.log(`seeded ${tickets} tickets in ${round((Date.now() - t0) / 1000)} s`);
  const made = await call(app.url, admin, 'POST', '/api/v1/tokens', { name: 'bench', scopes: ['tickets:write'] });
  if (made.status !== 201) throw new Error(`no token: ${JSON.stringify(made.json)}`);
  return {
    url: app.url,
    token: String(made.json.secret),
    stored: () => db.collection('tickets').estimatedDocumentCount(),
    stop: async () => {
      await db.close();
      await app.terminate();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const now = Date.now();
  const probeBefore = cpuProbeMs();
  const smallDesk = await startDesk(small, now);
  const largeDesk = await startDesk(large, now);
  try {
    const creation = await create(smallDesk.url, smallDesk.token);
    console.log(
      `creation at ${rate}/s for ${seconds} s: ${creation.created}/${creation.sent} created, p50 ${creation.p50} ms, p95 ${creation.p95} ms, p99 ${creation.p99} ms, ${creation.perSecond}/s`,
    );
    await sleep(2000);
    const [atSmall, atLarge] = (await queries([smallDesk, largeDesk])) as [
      Awaited<ReturnType<typeof queries>>[number],
      Awaited<ReturnType<typeof queries>>[number],
    ];
    const stored = await largeDesk.stored();

    console.log(`\nlist/search latency (ms), ${rounds} requests per query on each desk, one at a time, alternating between the desks`);
    console.log(
      `${'query'.padEnd(16)}${`p50 @${small}`.padStart(12)}${`p95 @${small}`.padStart(12)}${`p50 @${large}`.padStart(14)}${`p95 @${large}`.padStart(14)}  ratio p95`,
    );
    for (const name of Object.keys(QUERIES)) {
      const a = atSmall.perQuery[name]!;
      const b = atLarge.perQuery[name]!;
      console.log(
        `${name.padEnd(16)}${String(a.p50).padStart(12)}${String(a.p95).padStart(12)}${String(b.p50).padStart(14)}${String(b.p95).padStart(14)}  ${round(b.p95 / a.p95)}`,
      );
    }
    const ratio = round(atLarge.p95 / atSmall.p95);
    console.log(
      `${'all'.padEnd(16)}${String(atSmall.p50).padStart(12)}${String(atSmall.p95).padStart(12)}${String(atLarge.p50).padStart(14)}${String(atLarge.p95).padStart(14)}  ${ratio}`,
    );
    console.log(`goal p95 @${large} <= 1.5 x p95 @${small}: ${ratio <= 1.5 ? 'met' : 'NOT met'} (${stored} tickets stored in the large desk)`);
    const cpuProbe = [probeBefore, cpuProbeMs()];
    console.log(
      `BENCH_JSON ${JSON.stringify({ bench: 'api', rate, seconds, small, large, stored, creation, atSmall, atLarge, ratioP95: ratio, loadavg: os.loadavg(), cpuProbeMs: cpuProbe })}`,
    );
  } finally {
    await smallDesk.stop();
    await largeDesk.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
