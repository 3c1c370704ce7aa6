/**
 * Slack slash-command ack latency: the real chatdesk app vs a bare Bolt app that only acks
 * (prints figures; not a test — timing assertions do not belong in tests).
 *
 *   npm run build && npm run bench:ack
 *   BENCH_RATE=20 BENCH_SECONDS=15 BENCH_WARMUP_SECONDS=2 npm run bench:ack
 *
 * One process, two threads:
 *   - main thread: the Slack emulator (tests/emulators/slack) and the open-loop load generator;
 *   - a worker thread: the targets — the real chatdesk app (startChatdesk: Bolt on chatdesk's HTTP
 *     server, seed classifier, embedded FerretDB unless MONGODB_URI is set) and a bare Bolt app
 *     whose `/ticket` listener only calls ack().
 * The emulator does real work for every card/DM/response_url the app sends (body decoding, OpenAPI
 * and Block Kit checks); on the app's event loop that would be charged to the app's acks only.
 * The worker keeps the generator's timers and the emulator's work off the targets' event loop,
 * so both targets are measured on the same loop under the same conditions.
 *
 * Schedule: warm-up (bare, then app; discarded), then bare, app, bare, app — each target's
 * BENCH_SECONDS split in two halves, so slow drift of the machine (CPU frequency, FerretDB's
 * SQLite files growing, GC) falls on both targets alike. The targets are not loaded at the same
 * time: on 2 cores the app's post-ack work (classification, DB writes, card/DM posts) would slow
 * the bare app's acks too and hide the difference we want to see. Before every bare phase the
 * app's background work is drained (all cards posted), so the bare phases run on a quiet loop and
 * the app phases carry their own background work, as in production.
 *
 * Open loop: request i is sent at start + i/rate whatever happened to earlier requests, so a slow
 * target does not lower the offered load. Latency = request start (fetch) → full HTTP response
 * (Bolt's ack), measured by the generator on the main thread.
 *
 * Output: a table and one line `BENCH_JSON {...}` with all figures. Exit code 0 on success,
 * 1 if a target answered more than BENCH_MAX_ERROR_RATE (default 1%) of requests with non-200,
 * if tickets were lost, or on a crash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { App, LogLevel } from '@slack/bolt';
import { startChatdesk } from '../src/app';
import { loadConfig } from '../src/config/load-config';
import { silentLogger } from '../src/logger';
import { startSlackEmulator } from '../tests/emulators/slack';
import { sendSlashCommand } from '../tests/emulators/slack/inbound';

type Target = 'bare' | 'app';

interface WorkerInit {
  botToken: string;
  signingSecret: string;
  apiUrl: string;
  agentChannel: string;
  dataDir: string;
  mongoUri?: string;
}

type ToWorker = { type: 'phase-start' } | { type: 'phase-end' } | { type: 'stats' } | { type: 'stop' };
interface LoopStats {
  eluPct: number;
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
}
interface WorkerStats {
  tickets: number;
  titles: string[];
  heapUsedMB: number;
  heapTotalMB: number;
  rssMB: number;
}
type FromWorker =
  | { type: 'ready'; appUrl: string; bareUrl: string; startupMs: number; embedded: boolean }
  | { type: 'phase'; loop: LoopStats }
  | { type: 'stats'; stats: WorkerStats }
  | { type: 'stopped' }
  | { type: 'error'; message: string };

const AGENTS = 'C0AGENTS';
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

// ---------------------------------------------------------------------------------------------
// Worker thread: the two targets.
// ---------------------------------------------------------------------------------------------

async function workerMain(init: WorkerInit): Promise<void> {
  const port = parentPort!;
  const send = (m: FromWorker) => port.postMessage(m);

  const started = performance.now();
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: init.botToken,
    SLACK_SIGNING_SECRET: init.signingSecret,
    SLACK_API_URL: init.apiUrl,
    SLACK_AGENT_CHANNEL: init.agentChannel,
    CHATDESK_DATA_DIR: init.dataDir,
    ...(init.mongoUri ? { MONGODB_URI: init.mongoUri } : {}),
    ...(process.env.FERRETDB_BIN ? { FERRETDB_BIN: process.env.FERRETDB_BIN } : {}),
  };
  const chatdesk = await startChatdesk(loadConfig(env), silentLogger());
  const startupMs = performance.now() - started;

  const bare = new App({
    token: init.botToken,
    signingSecret: init.signingSecret,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: init.apiUrl, retryConfig: { retries: 0 } },
  });
  bare.command('/ticket', async ({ ack }) => {
    await ack();
  });
  const server = (await bare.start({ port: 0, host: '127.0.0.1' })) as { address(): AddressInfo | string | null };
  const barePort = (server.address() as AddressInfo).port;

  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let eluStart = performance.eventLoopUtilization();

  port.on('message', (msg: ToWorker) => {
    void (async () => {
      try {
        if (msg.type === 'phase-start') {
          histogram.reset();
          histogram.enable();
          eluStart = performance.eventLoopUtilization();
        } else if (msg.type === 'phase-end') {
          histogram.disable();
          const elu = performance.eventLoopUtilization(eluStart);
          const ns = (v: number) => round(v / 1e6, 1);
          send({
            type: 'phase',
            loop: {
              eluPct: round(elu.utilization * 100),
              delayP50Ms: ns(histogram.percentile(50)),
              delayP99Ms: ns(histogram.percentile(99)),
              delayMaxMs: ns(histogram.max),
            },
          });
        } else if (msg.type === 'stats') {
          const tickets = await chatdesk.store.tickets.list({ limit: 1_000_000 });
          const mem = process.memoryUsage();
          send({
            type: 'stats',
            stats: {
              tickets: tickets.length,
              titles: tickets.map((t) => t.title),
              heapUsedMB: mb(mem.heapUsed),
              heapTotalMB: mb(mem.heapTotal),
              rssMB: mb(mem.rss),
            },
          });
        } else if (msg.type === 'stop') {
          if (init.mongoUri) await chatdesk.store.connection.dropDatabase().catch(() => undefined);
          await bare.stop().catch(() => undefined);
          await chatdesk.stop();
          send({ type: 'stopped' });
          port.close();
        }
      } catch (err) {
        send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    })();
  });
  send({ type: 'ready', appUrl: `${chatdesk.url}/slack/events`, bareUrl: `http://127.0.0.1:${barePort}/slack/events`, startupMs, embedded: !init.mongoUri });
}

// ---------------------------------------------------------------------------------------------
// Main thread: emulator, load generator, report.
// ---------------------------------------------------------------------------------------------

/** Realistic `/ticket` texts (English and Chinese); a ref number makes every title unique. */
const TEXTS_EN = [
  'printer on floor {n} is jammed again',
  'VPN drops every few minutes when working from home',
  'cannot log in to Jira, says my account is locked',
  'need access to the finance shared drive for the Q{q} close',
  'laptop battery swells and the trackpad no longer clicks',
  'Outlook keeps asking for my password since this morning',
  'suspicious email asking me to reset my password, did not click the link',
  'the air conditioning in meeting room {n}B is not working',
  'please set up a new hire starting Monday: accounts, laptop and badge',
  'Wi-Fi on floor {n} is very slow, video calls keep freezing',
  'Excel crashes when I open the monthly report with macros',
  'my badge does not open the garage door anymore',
  'production dashboard is down for the whole sales team, urgent',
  'need a second monitor and a docking station for my desk',
  'shared calendar for the support rota disappeared',
];
const TEXTS_ZH = [
  '{n}楼的打印机又卡纸了',
  'VPN 每隔几分钟就断开，在家无法办公',
  '无法登录邮箱，提示密码错误，但我没有改过密码',
  '申请开通财务共享盘的访问权限',
  '笔记本电脑开不了机，电源灯一直闪',
  '会议室{n}的投影仪连不上',
  '收到可疑邮件，要求我点击链接验证账号',
  '新员工下周一入职，需要开通账号和准备电脑',
  '公司 Wi-Fi 很慢，视频会议一直卡顿',
  '报销系统提交时报错，页面一直转圈',
];

function ticketText(seq: number): string {
  const zh = seq % 3 === 2; // one in three in Chinese
  const list = zh ? TEXTS_ZH : TEXTS_EN;
  const base = list[seq % list.length]!.replace('{n}', String((seq % 9) + 1)).replace('{q}', String((seq % 4) + 1));
  return zh ? `${base}（编号 ${seq}）` : `${base} (ref ${seq})`;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name}=${raw}: expected a number in [${min}, ${max}]`);
  return n;
}

interface Sample {
  target: Target;
  ms: number;
  status: number;
  lagMs: number;
  title: string;
  sentAt: number;
}

interface PhaseResult {
  target: Target;
  samples: Sample[];
  seconds: number;
  loop: LoopStats;
}

async function mainThread(): Promise<number> {
  const rate = envNumber('BENCH_RATE', 20, 0.1, 2000);
  const seconds = envNumber('BENCH_SECONDS', 15, 1, 600);
  const warmupSeconds = envNumber('BENCH_WARMUP_SECONDS', 2, 0, 60);
  const maxErrorRate = envNumber('BENCH_MAX_ERROR_RATE', 0.01, 0, 1);
  const requestTimeoutMs = envNumber('BENCH_REQUEST_TIMEOUT_MS', 10_000, 100, 60_000);
  const drainTimeoutMs = envNumber('BENCH_DRAIN_TIMEOUT_MS', 30_000, 1000, 300_000);

  const emu = await startSlackEmulator();
  const USERS = ['U0ALICE', 'U0BORIS', 'U0CHEN', 'U0DIANA', 'U0EMEKA', 'U0FATIMA', 'U0GRETA', 'U0HAO'];
  for (const id of USERS) emu.addUser({ id, name: id.slice(2).toLowerCase(), realName: id.slice(2) });

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chatdesk-bench-ack-'));
  let mongoUri: string | undefined;
  if (process.env.MONGODB_URI) {
    // A fresh database on the given server (dropped at the end), so counts start at zero.
    const u = new URL(process.env.MONGODB_URI);
    u.pathname = `/chatdesk_bench_ack_${process.pid}_${Date.now()}`;
    mongoUri = u.toString();
  }
  const init: WorkerInit = {
    botToken: emu.botToken,
    signingSecret: emu.signingSecret,
    apiUrl: emu.apiUrl,
    agentChannel: AGENTS,
    dataDir,
    ...(mongoUri ? { mongoUri } : {}),
  };
  const worker = new Worker(__filename, { workerData: init });

  const waiters: Array<{ type: FromWorker['type']; resolve: (m: FromWorker) => void }> = [];
  let workerFailure: Error | undefined;
  const failAll = (err: Error) => {
    workerFailure ??= err;
    for (const w of waiters.splice(0)) w.resolve({ type: 'error', message: err.message });
  };
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'error') return failAll(new Error(`worker: ${m.message}`));
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', (code) => failAll(new Error(`worker exited (code ${code})`)));
  const request = <T extends FromWorker['type']>(type: T, msg?: ToWorker, timeoutMs = 60_000): Promise<Extract<FromWorker, { type: T }>> =>
    new Promise((resolve, reject) => {
      if (workerFailure) return reject(workerFailure);
      const waiter: (typeof waiters)[number] = {
        type,
        resolve: (m: FromWorker) => {
          clearTimeout(timer);
          if (m.type === 'error') reject(new Error(m.message));
          else resolve(m as Extract<FromWorker, { type: T }>);
        },
      };
      const timer = setTimeout(() => {
        const i = waiters.indexOf(waiter);
        if (i >= 0) waiters.splice(i, 1);
        reject(new Error(`worker did not answer ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(waiter);
      if (msg) worker.postMessage(msg);
    });

  let exitCode = 1;
  try {
    const ready = await request('ready', undefined, 120_000);
    const urls: Record<Target, string> = { bare: ready.bareUrl, app: ready.appUrl };
    let seq = 0;
    let appSent = 0;

    const cardCalls = () => emu.callsTo('chat.postMessage').filter((c) => c.args.channel === AGENTS && c.status === 200);
    /** Waits until the app has posted a card for every ticket sent to it (bounded). */
    const drainApp = async (): Promise<boolean> => {
      const deadline = Date.now() + drainTimeoutMs;
      while (cardCalls().length < appSent) {
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 20));
      }
      return true;
    };

    /** Open-loop phase: request i goes out at t0 + i/rate regardless of completions. */
    const runPhase = async (target: Target, phaseSeconds: number): Promise<PhaseResult> => {
      const n = Math.max(1, Math.round(rate * phaseSeconds));
      const interval = 1000 / rate;
      worker.postMessage({ type: 'phase-start' } satisfies ToWorker); // no reply
      const inflight: Promise<Sample>[] = [];
      const t0 = performance.now() + 5;
      let next = 0;
      await new Promise<void>((resolve) => {
        const tick = () => {
          const now = performance.now();
          while (next < n && t0 + next * interval <= now) {
            const scheduled = t0 + next * interval;
            const s = seq++;
            const text = ticketText(s);
            const userId = USERS[s % USERS.length]!;
            const lagMs = performance.now() - scheduled;
            const sentAt = Date.now();
            if (target === 'app') appSent++;
            inflight.push(
              sendSlashCommand(emu, urls[target], { text, userId, userName: userId.slice(2).toLowerCase(), channelId: 'C0GENERAL' }).then(
                (r) => ({ target, ms: r.ms, status: r.status, lagMs, title: text, sentAt }),
                () => ({ target, ms: NaN, status: 0, lagMs, title: text, sentAt }),
              ),
            );
            next++;
          }
          if (next >= n) return resolve();
          setTimeout(tick, Math.max(0, t0 + next * interval - performance.now()));
        };
        tick();
      });
      const sendSeconds = (performance.now() - t0) / 1000;
      const samples = await Promise.race([
        Promise.all(inflight),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`${target}: responses still missing after ${requestTimeoutMs} ms`)), requestTimeoutMs + 1000),
        ),
      ]);
      const { loop } = await request('phase', { type: 'phase-end' });
      // achieved rate = requests / time from first send to last send (+1 interval)
      return { target, samples, seconds: sendSeconds + interval / 1000, loop };
    };

    process.stdout.write(
      `slack-ack bench: ${rate} req/s, ${seconds} s per target (2 halves), warm-up ${warmupSeconds} s per target; ` +
        `chatdesk started in ${Math.round(ready.startupMs)} ms (${ready.embedded ? 'embedded FerretDB' : 'MONGODB_URI'})\n`,
    );

    const phases: PhaseResult[] = [];
    let drainedOk = true;
    if (warmupSeconds > 0) {
      await runPhase('bare', warmupSeconds);
      await runPhase('app', warmupSeconds);
      drainedOk = (await drainApp()) && drainedOk;
    }
    const half = seconds / 2;
    for (const target of ['bare', 'app', 'bare', 'app'] as const) {
      if (target === 'bare') drainedOk = (await drainApp()) && drainedOk;
      phases.push(await runPhase(target, half));
    }
    const lastAppSendAt = Math.max(...phases.filter((p) => p.target === 'app').flatMap((p) => p.samples.map((s) => s.sentAt)));
    drainedOk = (await drainApp()) && drainedOk;
    // The DM confirmation and response_url follow the card; give them a moment so the DB count is final.
    await new Promise((r) => setTimeout(r, 500));

    const { stats } = await request('stats', { type: 'stats' });
    const mainMem = process.memoryUsage();

    // ---- figures ----
    const summarize = (target: Target) => {
      const ps = phases.filter((p) => p.target === target);
      const samples = ps.flatMap((p) => p.samples);
      const ok = samples
        .filter((s) => s.status === 200)
        .map((s) => s.ms)
        .sort((a, b) => a - b);
      const all = samples
        .filter((s) => Number.isFinite(s.ms))
        .map((s) => s.ms)
        .sort((a, b) => a - b);
      const seconds = ps.reduce((a, p) => a + p.seconds, 0);
      const lags = samples.map((s) => s.lagMs).sort((a, b) => a - b);
      return {
        count: samples.length,
        errors: samples.filter((s) => s.status !== 200).length,
        p50: round(quantile(all, 0.5), 2),
        p90: round(quantile(all, 0.9), 2),
        p99: round(quantile(all, 0.99), 2),
        max: round(all[all.length - 1] ?? NaN, 2),
        okP99: round(quantile(ok, 0.99), 2),
        rate: round(samples.length / seconds, 2),
        halves: ps.map((p) => {
          const h = p.samples
            .map((s) => s.ms)
            .filter(Number.isFinite)
            .sort((a, b) => a - b);
          return { p50: round(quantile(h, 0.5), 2), p99: round(quantile(h, 0.99), 2), max: round(h[h.length - 1] ?? NaN, 2) };
        }),
        sendLagP99: round(quantile(lags, 0.99), 2),
        workerLoop: ps.map((p) => p.loop),
      };
    };
    const bare = summarize('bare');
    const app = summarize('app');
    const ratio = { p50: round(app.p50 / bare.p50, 2), p99: round(app.p99 / bare.p99, 2) };

    // Tickets: every title sent to the app (warm-up included) must be in the database exactly once.
    const appTitles = new Set(phases.filter((p) => p.target === 'app').flatMap((p) => p.samples.map((x) => x.title)));
    const stored = new Set(stats.titles);
    const lostMeasured = [...appTitles].filter((t) => !stored.has(t)).length;
    const cards = cardCalls();
    const lastCardAt = Math.max(...cards.map((c) => c.at));
    const dupTitles = stats.titles.length - stored.size;

    // Card latency per measured app request: command sent → its card posted (emulator clock).
    const cardAt = new Map<string, number>();
    for (const c of cards) {
      const blocks = JSON.stringify(c.args.blocks ?? '');
      const m = /(\(ref \d+\)|（编号 \d+）)/.exec(blocks);
      if (m) cardAt.set(m[1]!, c.at);
    }
    const cardLat = phases
      .filter((p) => p.target === 'app')
      .flatMap((p) => p.samples)
      .map((s) => {
        const ref = /(\(ref \d+\)|（编号 \d+）)$/.exec(s.title)?.[1];
        const at = ref ? cardAt.get(ref) : undefined;
        return at === undefined ? NaN : at - s.sentAt;
      })
      .filter(Number.isFinite)
      .sort((a, b) => a - b);

    const result = {
      bench: 'slack-ack',
      rate,
      secondsPerTarget: seconds,
      warmupSeconds,
      schedule: 'bare,app,bare,app (halves), warm-up discarded, app drained before each bare phase',
      db: ready.embedded ? 'embedded-ferretdb' : 'mongodb-uri',
      cpus: os.cpus().length,
      node: process.version,
      bare,
      app: {
        ...app,
        ticketsSentTotal: appSent,
        ticketsInDb: stats.tickets,
        ticketsLostMeasured: lostMeasured,
        duplicateTitles: dupTitles,
        cardsPosted: cards.length,
        lastCardAfterLastSendMs: round(lastCardAt - lastAppSendAt, 0),
        cardLatencyP50Ms: round(quantile(cardLat, 0.5), 0),
        cardLatencyP99Ms: round(quantile(cardLat, 0.99), 0),
        drained: drainedOk,
      },
      ratio,
      memory: {
        rssMB: mb(mainMem.rss),
        mainHeapUsedMB: mb(mainMem.heapUsed),
        targetsHeapUsedMB: stats.heapUsedMB,
        targetsHeapTotalMB: stats.heapTotalMB,
      },
      emulatorSchemaViolations: emu.schemaViolations.length,
    };

    const pad = (s: string | number, w: number) => String(s).padStart(w);
    const line = (name: string, r: typeof bare) =>
      `${name.padEnd(9)}${pad(r.count, 6)}${pad(r.errors, 6)}${pad(r.p50, 9)}${pad(r.p90, 9)}${pad(r.p99, 9)}${pad(r.max, 9)}${pad(r.rate, 8)}   ` +
      `${r.halves.map((h) => `${h.p50}/${h.p99}`).join('  ')}   ${r.workerLoop.map((l) => `${l.eluPct}%/${l.delayMaxMs}`).join('  ')}`;
    const out = [
      '',
      `target    count   err   p50 ms   p90 ms   p99 ms   max ms   req/s   halves p50/p99 ms   worker ELU/loop-delay max ms`,
      line('bare', bare),
      line('chatdesk', app),
      `ratio app/bare: p50 ${ratio.p50}x, p99 ${ratio.p99}x   (goal: <= 1.2)`,
      `tickets: ${stats.tickets} in DB / ${appSent} sent to the app (incl. warm-up); measured lost: ${lostMeasured}; duplicate titles: ${dupTitles}; cards posted: ${cards.length}`,
      `cards: last card ${result.app.lastCardAfterLastSendMs} ms after the last command; command→card p50 ${result.app.cardLatencyP50Ms} ms, p99 ${result.app.cardLatencyP99Ms} ms`,
      `memory: process RSS ${result.memory.rssMB} MB; heap used: targets' thread ${stats.heapUsedMB} MB, main thread (emulator+generator) ${result.memory.mainHeapUsedMB} MB`,
      `generator send lag p99: bare ${bare.sendLagP99} ms, app ${app.sendLagP99} ms; emulator schema violations: ${result.emulatorSchemaViolations}`,
      '',
      `BENCH_JSON ${JSON.stringify(result)}`,
      '',
    ];
    process.stdout.write(out.join('\n'));

    const bad: string[] = [];
    if (bare.errors > maxErrorRate * bare.count) bad.push(`bare: ${bare.errors}/${bare.count} non-200`);
    if (app.errors > maxErrorRate * app.count) bad.push(`chatdesk: ${app.errors}/${app.count} non-200`);
    if (lostMeasured > 0 || stats.tickets !== appSent) bad.push(`tickets: ${stats.tickets} in DB, ${appSent} sent`);
    if (!drainedOk) bad.push(`cards: not all posted within ${drainTimeoutMs} ms`);
    if (bad.length > 0) process.stderr.write(`slack-ack bench FAILED: ${bad.join('; ')}\n`);
    exitCode = bad.length > 0 ? 1 : 0;
  } catch (err) {
    process.stderr.write(`slack-ack bench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    exitCode = 1;
  } finally {
    if (!workerFailure) await request('stopped', { type: 'stop' }, 30_000).catch((e: unknown) => process.stderr.write(`stop: ${String(e)}\n`));
    await worker.terminate().catch(() => undefined);
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return exitCode;
}

if (isMainThread) {
  mainThread().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`slack-ack bench crashed: ${String(err)}\n`);
      process.exit(1);
    },
  );
} else {
  workerMain(workerData as WorkerInit).catch((err: unknown) => {
    parentPort!.postMessage({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies FromWorker);
  });
}
