/**
 * Durable intake under sustained load, on the embedded database (prints figures; not a test).
 *
 *   npm run build && node dist/bench/intake.bench.js --backend postgresql --preseed 1000 --rate 50 --seconds 60
 *
 * chatdesk runs as its own process (dist/src/main.js) on its own embedded database
 * (CHATDESK_EMBEDDED_DB=--backend), Slack on, against the Slack emulator in this process.
 * `--preseed N` stores N closed and open tickets first (straight into the database), then
 * restarts chatdesk so it starts on a desk with that history.
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
import { startSlackEmulator } from '../tests/emulators/slack';
import { sendSlashCommand } from '../tests/emulators/slack/inbound';
import { freePort, startAppProcess } from '../tests/support/app-process';
import { cpuDelta, cpuProbeMs, treeCpuMs } from './process-cpu';

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

async function seed(uri: string, n: number): Promise<void> {
  const conn = await mongoose.createConnection(uri).asPromise();
  const tickets = conn.collection<{ _id: string } & Record<string, unknown>>('tickets');
  const at = new Date(Date.now() - 2 * 365 * 86_400_000);
  for (let i = 0; i < n; i += 1000) {
    const docs: Array<{ _id: string } & Record<string, unknown>> = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      const created = new Date(at.getTime() + j * 60_000);
      const open = j % 10 === 0;
      docs.push({
        _id: new mongoose.Types.ObjectId().toHexString(),
        number: 5_000_000 + j,
        key: `H-${5_000_000 + j}`,
        title: `history ${j}: ${['printer jammed', 'vpn drops', 'password reset', 'new laptop', 'outlook crashes'][j % 5]}`,
        description: 'seeded history for the intake bench',
        type: 'incident',
        fields: {},
        requester: { platform: 'slack', id: USERS[j % USERS.length] },
        team: 'it',
        category: ['hardware', 'network', 'access', 'hardware', 'software'][j % 5],
        categoryConfidence: 0.8,
        priority: 'P2',
        priorityConfidence: 0.7,
        classificationReason: 'seed',
        status: open ? 'in_progress' : 'closed',
        assignee: null,
        escalationLevel: 0,
        tags: [],
        requesterThread: null,
        agentCards: [],
        createdAt: created,
        updatedAt: created,
        firstResponseAt: created,
        resolvedAt: open ? null : created,
        closedAt: open ? null : created,
        activity: [{ at: created, action: 'created', actor: { platform: 'slack', id: USERS[j % USERS.length] } }],
        sla: null,
        slaNextAt: null,
        watchers: [],
        assist: null,
        intakeId: `seed:${j}`,
        version: 1,
      });
    }
    await tickets.insertMany(docs, { ordered: false });
  }
  await conn.close();
}

async function main(): Promise<void> {
  const probeBefore = cpuProbeMs();
  const emu = await startSlackEmulator();
  for (const id of USERS) emu.addUser({ id, name: id.slice(2).toLowerCase(), realName: id.slice(2) });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `chatdesk-intake-bench-${backend}-`));
  const env = {
    SLACK_BOT_TOKEN: emu.botToken,
    SLACK_SIGNING_SECRET: emu.signingSecret,
    SLACK_API_URL: emu.apiUrl,
    SLACK_AGENT_CHANNEL: AGENTS,
    CHATDESK_DATA_DIR: dataDir,
    CHATDESK_EMBEDDED_DB: backend,
    CHATDESK_INBOX_MAX_AGE_S: arg('max-age', '600'),
    CHATDESK_INBOX_MAX_DEPTH: '100000',
    // e.g. --app-node-options "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the app (written when it stops).
    ...(arg('concurrency', '') ? { CHATDESK_INTAKE_CONCURRENCY: arg('concurrency', '') } : {}),
    ...(arg('app-node-options', '') ? { NODE_OPTIONS: arg('app-node-options', '') } : {}),
  };
  const port = await freePort();
  let app = await startAppProcess(env, port, 180_000);
  const uri = String(app.logs.find((l) => l.msg === 'embedded database started')?.uri ?? '');
  if (!uri) throw new Error('the app did not log its embedded database URI');
  if (preseed > 0) {
    const t0 = Date.now();
    await seed(uri, preseed);
    console.log(`seeded ${preseed} tickets in ${round((Date.now() - t0) / 1000)} s; restarting chatdesk on them`);
    await app.terminate();
    app = await startAppProcess(env, port, 180_000);
  }
  const dbUri = String(app.logs.find((l) => l.msg === 'embedded database started')?.uri ?? uri);

  // 1. Baseline: bare Bolt, one insert into the same database, then ack.
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

  // 2. chatdesk.
  if (app.child.exitCode !== null) throw new Error(`chatdesk exited (${app.child.exitCode}); stderr: ${app.stderr()}`);
  const writesBefore = await writes(app.url);
  const commandsBefore = await commandCounts(app.url);
  const ticketsBefore = await metric(app.url, /chatdesk_tickets\{status="[a-z_]+"\}/);
  const cpuBefore = treeCpuMs(app.child.pid!);
  const benchCpuBefore = process.cpuUsage();
  const count = Math.round(rate * seconds);
  const results = await load(count, (i) =>
    sendSlashCommand(emu, `${app.url}/slack/events`, { text: `bench ${i} printer on floor ${i % 9} is jammed`, userId: USERS[i % USERS.length]! }),
  );
  const loadEnd = Date.now();
  const acked = results.filter((r) => r.status === 200);
  const cardAt = () => {
    const at = new Map<number, number>();
    for (const c of emu.callsTo('chat.postMessage')) {
      if (c.args.channel !== AGENTS) continue;
      const m = /\bbench (\d+) printer/.exec(String(c.args.text));
      if (m && !at.has(Number(m[1]))) at.set(Number(m[1]), c.at);
    }
    return at;
  };
  let cards = cardAt();
  const cardsAtLoadEnd = cards.size;
  const drainDeadline = Date.now() + drainSeconds * 1000;
  while (acked.some((r) => !cards.has(r.i)) && Date.now() < drainDeadline) {
    await sleep(1000);
    cards = cardAt();
  }
  const drainedMs = Date.now() - loadEnd;
  const cpu = cpuDelta(cpuBefore, treeCpuMs(app.child.pid!));
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const created = (await metric(app.url, /chatdesk_tickets\{status="[a-z_]+"\}/)) - ticketsBefore;
  const writesPerTicket = ((await writes(app.url)) - writesBefore) / Math.max(1, created);
  const commandsAfter = await commandCounts(app.url);
  const perTicket = Object.fromEntries(
    Object.entries(commandsAfter)
      .map(([k, v]) => [k, round((v - (commandsBefore[k] ?? 0)) / Math.max(1, created))] as const)
      .filter(([, v]) => v > 0),
  );
  const probeAfter = cpuProbeMs();
  const rssMB = (await metric(app.url, /chatdesk_process_resident_memory_bytes/)) / 1024 / 1024;
  const cardLatency = acked.filter((r) => cards.has(r.i)).map((r) => cards.get(r.i)! - r.sentAt);
  const ackApp = acked.map((r) => r.ms);
  const ackBase = baseline.filter((r) => r.status === 200).map((r) => r.ms);
  const summary = {
    backend,
    preseed,
    rate,
    seconds,
    sent: count,
    acked: acked.length,
    refused: results.length - acked.length,
    noCardByEnd: acked.filter((r) => !cards.has(r.i)).length,
    cardsAtLoadEnd,
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
    // CPU ms per ticket stored, from the load's start to the last card: the app, FerretDB, PostgreSQL, and this process (emulator + load).
    cpuMsPerTicket: Object.fromEntries(
      Object.entries({ ...cpu, bench: (benchCpu.user + benchCpu.system) / 1000 }).map(([k, v]) => [k, round(v / Math.max(1, created))]),
    ),
  };
  console.table(summary);
  console.log('database commands per ticket:', perTicket);
  console.log(`BENCH_JSON ${JSON.stringify(summary)}`);
  await app.terminate();
  await emu.close();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
