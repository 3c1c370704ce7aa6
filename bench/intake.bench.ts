/**
 * Durable intake under sustained load, on the embedded database (prints figures; not a test).
 *
 *   npm run build && node dist/bench/intake.bench.js --backend postgresql --preseed 1000 --rate 50 --seconds 60
 *
 * chatdesk runs as its own process (dist/src/main.js) on its own embedded database
 * (CHATDESK_EMBEDDED_DB=--backend), Slack on, against the Slack emulator in this process.
 * `--preseed N` stores N closed and open tickets first (straight into the database), then
 * restarts chatdesk so it starts on a desk with that history.
 * `--desks postgresql:1000,postgresql:100000,sqlite:1000` runs several such desks side by side, each
 * with its own process and database, each sent request i at the same moment (`--rate` a second
 * each): on a machine whose speed drifts, desks compared in one run see the same machine. Prints a
 * BENCH_JSON line per desk and a BENCH_RATIO line of each desk against the first.
 *
 * Phases, open loop (request i is sent at start + i/rate, whatever happened before):
 *   1. baseline: a bare Bolt app in this process whose /ticket listener does one insert into the
 *      same database (a collection of its own) before ack(), `--baseline-seconds` long;
 *   2. chatdesk: signed /ticket commands for `--seconds`.
 * Measured: ack latency (HTTP round trip) for both and their p99 ratio; command -> card latency
 * (request sent -> the card's chat.postMessage reached the emulator); acknowledged requests with no
 * card by the end (lost); refused (non-200) answers; database writes per ticket (from /metrics);
 * the app's RSS. Then the highest rate tried with p95 < 1 s is what the summary names.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import mongoose from 'mongoose';
import type { NewTicket } from '../src/domain/ticket/ticket.repository.port';
import { toNewRecord } from '../src/store/ticket.mapper';
import { startSlackEmulator } from '../tests/emulators/slack';
import { sendSlashCommand } from '../tests/emulators/slack/inbound';
import { freePort, startAppProcess } from '../tests/support/app-process';
import { cpuDelta, cpuProbeMs, stolenMs, treeCpuMs } from './process-cpu';

const AGENTS = 'C0AGENTS';
const USERS = ['U0ANNA', 'U0BEN', 'U0CHLOE', 'U0DEV', 'U0EMMA', 'U0FINN', 'U0GWEN', 'U0HUGO'];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const backend = arg('backend', 'postgresql');
const preseed = Number(arg('preseed', '1000'));
const rate = Number(arg('rate', '50'));
const seconds = Number(arg('seconds', '60'));
const baselineSeconds = Number(arg('baseline-seconds', '20'));
const drainSeconds = Number(arg('drain-seconds', '300'));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const round = (n: number) => Math.round(n * 10) / 10;

async function metric(url: string, re: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${re.source} (\\S+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}
/** Database commands sent so far by the app, by `command collection` (from /metrics). */
async function commandCounts(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Object.fromEntries(
    [...text.matchAll(/^chatdesk_db_commands_total\{command="([^"]+)",collection="([^"]*)"\} (\S+)$/gm)].map((m) => [`${m[1]!} ${m[2]!}`, Number(m[3])]),
  );
}
const writes = (url: string) => metric(url, /chatdesk_db_commands_total\{command="(?:insert|update|delete|findAndModify)",collection="[^"]*"\}/);

/** Open-loop load: `send(i)` at start + i/rate; resolves with each request's latency and status. */
async function load(
  count: number,
  send: (i: number) => Promise<{ status: number; ms: number }>,
): Promise<Array<{ i: number; sentAt: number; ms: number; status: number }>> {
  const start = performance.now();
  const out: Array<Promise<{ i: number; sentAt: number; ms: number; status: number }>> = [];
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const sentAt = Date.now();
    out.push(
      send(i).then(
        (r) => ({ i, sentAt, ...r }),
        () => ({ i, sentAt, ms: Number.NaN, status: 0 }),
      ),
    );
  }
  return Promise.all(out);
}

/** Stores `n` tickets of a two-year history (one in ten still open) as the app stores them (the store's own mapper). */
async function seed(uri: string, n: number): Promise<void> {
  const conn = await mongoose.createConnection(uri).asPromise();
  const tickets = conn.collection<{ _id: string } & Record<string, unknown>>('tickets');
  const at = new Date(Date.now() - 2 * 365 * 86_400_000);
  for (let i = 0; i < n; i += 1000) {
    const docs: Array<{ _id: string } & Record<string, unknown>> = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      const created = new Date(at.getTime() + j * 60_000);
      const open = j % 10 === 0;
      const requester = { platform: 'slack' as const, id: USERS[j % USERS.length]! };
      const ticket: NewTicket = {
        number: 5_000_000 + j,
        key: `H-${5_000_000 + j}`,
        title: `history ${j}: ${['printer jammed', 'vpn drops', 'password reset', 'new laptop', 'outlook crashes'][j % 5]}`,
        description: 'seeded history for the intake bench',
        type: 'incident',
        fields: {},
        requester,
        team: 'it',
        category: ['hardware', 'network', 'access', 'hardware', 'software'][j % 5]!,
        categoryConfidence: 0.8,
        priority: 'P2',
        priorityConfidence: 0.7,
        classificationReason: 'seed',
        status: open ? 'in_progress' : 'closed',
        escalationLevel: 0,
        tags: [],
        agentCards: [],
        createdAt: created,
        updatedAt: created,
        firstResponseAt: created,
        ...(open ? {} : { resolvedAt: created, closedAt: created }),
        activity: [{ at: created, action: 'created', actor: requester }],
        intakeId: `seed:${j}`,
        version: 1,
      };
      docs.push(toNewRecord(new mongoose.Types.ObjectId().toHexString(), ticket) as unknown as { _id: string } & Record<string, unknown>);
    }
    await tickets.insertMany(docs, { ordered: false });
  }
  await conn.close();
}

/** Waits until the app sends fewer than 60 database commands a second for 3 s running (an idle desk sends about 25: its pollers; start-up work such as a backfill is then over). */
async function quiet(url: string): Promise<void> {
  const total = () => metric(url, /chatdesk_db_commands_total\{command="[^"]+",collection="[^"]*"\}/);
  let calm = 0;
  let last = await total();
  for (const deadline = Date.now() + 600_000; calm < 3 && Date.now() < deadline; ) {
    await sleep(1000);
    const now = await total();
    calm = now - last < 60 ? calm + 1 : 0;
    last = now;
  }
}

interface DeskSpec {
  backend: string;
  preseed: number;
  /** Environment of this desk's process only (`postgresql:1000:GOGC=400;CHATDESK_INTAKE_CONCURRENCY=16`): A/B runs side by side. */
  env: Record<string, string>;
}

/** `K=V,K=V` (or `;`-separated inside a desk spec) as an environment. */
const envOf = (list: string, sep: string): Record<string, string> =>
  Object.fromEntries(
    list
      .split(sep)
      .filter((kv) => kv.includes('='))
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );

/** `--desks postgresql:1000,postgresql:100000` (several side by side), else `--backend` and `--preseed`. */
const desks: DeskSpec[] = arg('desks', `${backend}:${preseed}`)
  .split(',')
  .map((d) => {
    const [b = backend, n = String(preseed), e = ''] = d.split(':');
    return { backend: b, preseed: Number(n), env: envOf(e, ';') };
  });

/** A chatdesk process on its own embedded database, restarted on `preseed` stored tickets. */
async function startDesk(emu: Awaited<ReturnType<typeof startSlackEmulator>>, spec: DeskSpec) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `chatdesk-intake-bench-${spec.backend}-`));
  const env = {
    SLACK_BOT_TOKEN: emu.botToken,
    SLACK_SIGNING_SECRET: emu.signingSecret,
    SLACK_API_URL: emu.apiUrl,
    SLACK_AGENT_CHANNEL: AGENTS,
    CHATDESK_DATA_DIR: dataDir,
    CHATDESK_EMBEDDED_DB: spec.backend,
    CHATDESK_INBOX_MAX_AGE_S: arg('max-age', '600'),
    CHATDESK_INBOX_MAX_DEPTH: '100000',
    // e.g. --app-node-options "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the app (written when it stops).
    ...(arg('concurrency', '') ? { CHATDESK_INTAKE_CONCURRENCY: arg('concurrency', '') } : {}),
    ...(arg('app-node-options', '') ? { NODE_OPTIONS: arg('app-node-options', '') } : {}),
    // e.g. --app-env GOGC=400 (reaches FerretDB too: it inherits the app's environment), for every desk.
    ...envOf(arg('app-env', ''), ','),
    ...spec.env,
  };
  // `BENCH_MAIN=/path/to/dist/src/main.js` in a desk's spec runs another build of chatdesk (a change against its parent, side by side).
  const { BENCH_MAIN: mainJs, ...appEnv } = env as Record<string, string>;
  const port = await freePort();
  let app = await startAppProcess(appEnv, port, 180_000, mainJs);
  const uri = String(app.logs.find((l) => l.msg === 'embedded database started')?.uri ?? '');
  if (!uri) throw new Error('the app did not log its embedded database URI');
  if (spec.preseed > 0) {
    const t0 = Date.now();
    await seed(uri, spec.preseed);
    console.log(`${spec.backend}: seeded ${spec.preseed} tickets in ${round((Date.now() - t0) / 1000)} s; restarting chatdesk on them`);
    await app.terminate();
    app = await startAppProcess(appEnv, port, 600_000, mainJs);
  }
  const dbUri = String(app.logs.find((l) => l.msg === 'embedded database started')?.uri ?? uri);
  await quiet(app.url);
  return { spec, app, dbUri, dataDir };
}

/** The desks started so far (stopped on the way out, whatever fails). */
const running: Array<Awaited<ReturnType<typeof startDesk>>> = [];

/** The bare Bolt baseline: one insert into `dbUri` (a collection of its own), then ack. Ack latencies. */
async function baselineAcks(emu: Awaited<ReturnType<typeof startSlackEmulator>>, dbUri: string) {
  const conn = await mongoose.createConnection(dbUri).asPromise();
  const baselineCol = conn.collection<{ _id: string } & Record<string, unknown>>('bench_baseline');
  const receiver = new HTTPReceiver({ signingSecret: emu.signingSecret, processBeforeResponse: true, logLevel: LogLevel.ERROR });
  const bare = new App({ token: emu.botToken, receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: emu.apiUrl } });
  bare.command('/ticket', async ({ command, ack }) => {
    await baselineCol.insertOne({ _id: command.trigger_id, text: command.text, user: command.user_id, at: new Date() });
    await ack();
  });
  const barePort = await freePort();
  await receiver.start(barePort);
  const baseline = await load(Math.round(rate * baselineSeconds), (i) =>
    sendSlashCommand(emu, `http://127.0.0.1:${barePort}/slack/events`, { text: `baseline ${i}`, userId: USERS[i % USERS.length]! }),
  );
  await receiver.stop();
  await conn.close();
  return baseline.filter((r) => r.status === 200).map((r) => r.ms);
}

async function main(): Promise<void> {
  const probeBefore = cpuProbeMs();
  const emu = await startSlackEmulator();
  for (const id of USERS) emu.addUser({ id, name: id.slice(2).toLowerCase(), realName: id.slice(2) });
  const started = running;
  for (const spec of desks) started.push(await startDesk(emu, spec));

  // 1. Baseline: bare Bolt, one insert into the first desk's database, then ack.
  const ackBase = await baselineAcks(emu, started[0]!.dbUri);

  // 2. chatdesk: every desk gets request i at the same moment (`--rate` a second each), so desks side by side see the same machine.
  const before = await Promise.all(
    started.map(async ({ app }) => {
      if (app.child.exitCode !== null) throw new Error(`chatdesk exited (${app.child.exitCode}); stderr: ${app.stderr()}`);
      return {
        writes: await writes(app.url),
        commands: await commandCounts(app.url),
        tickets: await metric(app.url, /chatdesk_tickets\{status="[a-z_]+"\}/),
        cpu: treeCpuMs(app.child.pid!),
      };
    }),
  );
  const benchCpuBefore = process.cpuUsage();
  const stolenBefore = stolenMs();
  const loadStarted = Date.now();
  // CPU of each desk's processes every 10 s of load (ms of CPU per second): a warm-up that costs more shows here.
  const cpuWindows = started.map(() => [] as Array<Record<string, number>>);
  let lastCpu = started.map(({ app }) => treeCpuMs(app.child.pid!));
  const sampler = setInterval(() => {
    lastCpu = started.map(({ app }, k) => {
      const now = treeCpuMs(app.child.pid!);
      const d = cpuDelta(lastCpu[k], now);
      if (d) cpuWindows[k]!.push(Object.fromEntries(Object.entries(d).map(([n, v]) => [n, round(v / 10)])));
      return now;
    });
  }, 10_000);
  const count = Math.round(rate * seconds);
  const perDesk = await Promise.all(
    started.map(({ app }, k) =>
      load(count, (i) =>
        sendSlashCommand(emu, `${app.url}/slack/events`, { text: `bench ${k}-${i} printer on floor ${i % 9} is jammed`, userId: USERS[i % USERS.length]! }),
      ),
    ),
  );
  const loadEnd = Date.now();
  clearInterval(sampler);
  const acked = perDesk.map((results) => results.filter((r) => r.status === 200));
  const cardAt = () => {
    const at = started.map(() => new Map<number, number>());
    for (const c of emu.callsTo('chat.postMessage')) {
      if (c.args.channel !== AGENTS) continue;
      const m = /\bbench (\d+)-(\d+) printer/.exec(String(c.args.text));
      const desk = m ? at[Number(m[1])] : undefined;
      if (m && desk && !desk.has(Number(m[2]))) desk.set(Number(m[2]), c.at);
    }
    return at;
  };
  let cards = cardAt();
  const cardsAtLoadEnd = cards.map((c) => c.size);
  const drainDeadline = Date.now() + drainSeconds * 1000;
  const missing = () => acked.some((list, k) => list.some((r) => !cards[k]!.has(r.i)));
  while (missing() && Date.now() < drainDeadline) {
    await sleep(1000);
    cards = cardAt();
  }
  const drainedMs = Date.now() - loadEnd;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const stolen = stolenMs();
  // Of the 2 cores' time from the load's start to the last card, the share the hypervisor gave elsewhere.
  const stolenPct =
    stolen !== undefined && stolenBefore !== undefined ? round((100 * (stolen - stolenBefore)) / ((Date.now() - loadStarted) * os.cpus().length)) : undefined;
  const probeAfter = cpuProbeMs();
  const summaries = [];
  for (const [k, { spec, app }] of started.entries()) {
    const b = before[k]!;
    const cpu = cpuDelta(b.cpu, treeCpuMs(app.child.pid!));
    const created = (await metric(app.url, /chatdesk_tickets\{status="[a-z_]+"\}/)) - b.tickets;
    const writesPerTicket = ((await writes(app.url)) - b.writes) / Math.max(1, created);
    const commandsAfter = await commandCounts(app.url);
    const perTicket = Object.fromEntries(
      Object.entries(commandsAfter)
        .map(([name, v]) => [name, round((v - (b.commands[name] ?? 0)) / Math.max(1, created))] as const)
        .filter(([, v]) => v > 0),
    );
    const rssMB = (await metric(app.url, /chatdesk_process_resident_memory_bytes/)) / 1024 / 1024;
    const deskCards = cards[k]!;
    const cardLatency = acked[k]!.filter((r) => deskCards.has(r.i)).map((r) => deskCards.get(r.i)! - r.sentAt);
    const ackApp = acked[k]!.map((r) => r.ms);
    const summary = {
      backend: spec.backend,
      preseed: spec.preseed,
      ...(Object.keys(spec.env).length > 0
        ? {
            env: Object.entries(spec.env)
              .map(([k, v]) => `${k}=${v}`)
              .join(' '),
          }
        : {}),
      rate,
      seconds,
      sent: count,
      acked: acked[k]!.length,
      refused: perDesk[k]!.length - acked[k]!.length,
      noCardByEnd: acked[k]!.filter((r) => !deskCards.has(r.i)).length,
      cardsAtLoadEnd: cardsAtLoadEnd[k],
      drainedSec: round(drainedMs / 1000),
      ackP50Ms: round(pct(ackApp, 50)),
      ackP99Ms: round(pct(ackApp, 99)),
      baselineAckP50Ms: round(pct(ackBase, 50)),
      baselineAckP99Ms: round(pct(ackBase, 99)),
      ackP99Ratio: round((pct(ackApp, 99) / pct(ackBase, 99)) * 100) / 100,
      cardP50Ms: round(pct(cardLatency, 50)),
      cardP95Ms: round(pct(cardLatency, 95)),
      cardP99Ms: round(pct(cardLatency, 99)),
      writesPerTicket: round(writesPerTicket),
      rssMB: round(rssMB),
      // The machine's speed before and after (bench/process-cpu.ts): lower is faster.
      cpuProbeMs: [probeBefore, probeAfter],
      ...(stolenPct !== undefined ? { stolenPct } : {}),
      // CPU ms per ticket stored, from the load's start to the last card: the app, FerretDB, PostgreSQL, and this
      // process (emulator + load, shared by the desks side by side).
      cpuMsPerTicket: Object.fromEntries(
        Object.entries({ ...cpu, bench: (benchCpu.user + benchCpu.system) / 1000 / started.length }).map(([name, v]) => [
          name,
          round(v / Math.max(1, created)),
        ]),
      ),
    };
    console.table(summary);
    // Card latency by the second the request was sent, 10 s at a time: a tail that comes in bursts shows here.
    const windows = new Map<number, number[]>();
    const loadStart = Math.min(...acked[k]!.map((r) => r.sentAt));
    for (const r of acked[k]!) {
      if (!deskCards.has(r.i)) continue;
      const w = Math.floor((r.sentAt - loadStart) / 10_000);
      windows.set(w, [...(windows.get(w) ?? []), deskCards.get(r.i)! - r.sentAt]);
    }
    console.log('card p50 / p95 ms by 10 s sent:', [...windows].map(([w, xs]) => `${w * 10}s ${round(pct(xs, 50))}/${round(pct(xs, 95))}`).join(', '));
    console.log(
      'CPU ms per second by 10 s of load:',
      cpuWindows[k]!.map(
        (w, i) =>
          `${i * 10}s ${Object.entries(w)
            .map(([n, v]) => `${n} ${v}`)
            .join(' ')}`,
      ).join(', '),
    );
    console.log('database commands per ticket:', perTicket);
    if (k === 0) {
      // Slack Web API calls and response_url posts seen by the emulator (every desk's), per ticket stored.
      const byMethod = new Map<string, number>();
      for (const c of emu.calls) byMethod.set(c.method, (byMethod.get(c.method) ?? 0) + 1);
      const stored = started.length * Math.max(1, created);
      console.log('Slack calls per ticket:', Object.fromEntries([...byMethod].map(([m, n]) => [m, round(n / stored)]).filter(([, v]) => Number(v) > 0)));
    }
    console.log(`BENCH_JSON ${JSON.stringify(summary)}`);
    summaries.push(summary);
  }
  if (summaries.length > 1) {
    const deskCpuOf = (sm: { cpuMsPerTicket: Record<string, number> }) =>
      Object.entries(sm.cpuMsPerTicket)
        .filter(([name]) => name !== 'bench')
        .reduce((sum, [, v]) => sum + v, 0);
    const [first, ...rest] = summaries;
    for (const other of rest) {
      const ratio = (key: 'cardP95Ms' | 'cardP99Ms' | 'ackP99Ms') => round((other[key] / first![key]) * 100) / 100;
      const compared = {
        of: `${other.backend}:${other.preseed}${other.env ? ` ${other.env}` : ''}`,
        to: `${first!.backend}:${first!.preseed}${first!.env ? ` ${first!.env}` : ''}`,
        cardP95: ratio('cardP95Ms'),
        cardP99: ratio('cardP99Ms'),
        ackP99: ratio('ackP99Ms'),
        // CPU of the app, FerretDB and PostgreSQL per ticket: the figure a change of the work itself moves.
        deskCpu: Math.round((deskCpuOf(other) / deskCpuOf(first!)) * 100) / 100,
      };
      console.log(`BENCH_RATIO ${JSON.stringify(compared)}`);
    }
  }
  for (const { app, dataDir } of started) {
    await app.terminate();
    rmSync(dataDir, { recursive: true, force: true });
  }
  await emu.close();
}

main().catch(async (err) => {
  console.error(err);
  // A desk that did start is stopped with its embedded database, not left running (a later desk may have failed to start).
  await Promise.all(running.map(({ app }) => app.terminate().catch(() => undefined)));
  process.exit(1);
});
