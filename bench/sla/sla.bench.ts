/**
 * SLA timer benchmark (not a test): N open tickets whose first-response
 * reminder falls due inside a short window, fired by real worker processes
 * (Agenda sweep + SlaRunner on the embedded FerretDB, or MONGODB_URI).
 *
 * Reports, per scenario: how late each reminder was sent (send time minus due
 * time, p50/p99/max), duplicates (a ticket reminded twice) and misses (never
 * reminded), and worker RSS. Scenarios:
 *   steady      one worker, no faults
 *   kill-9      one worker, SIGKILLed mid-window and started again at once
 *   two-workers two workers on the same database
 *
 * Usage: npm run build && node dist/bench/sla/sla.bench.js [--tickets 10000] [--window 60] [--only steady]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/logger';
import { startEmbeddedMongo } from '../../src/store/embedded-mongo';
import { seedSlaBench } from './seed';
import { arg } from './args';

const TICKETS = Number(arg('tickets', '10000'));
const WINDOW_S = Number(arg('window', '60'));
const LEAD_S = 20; // time to start the workers before the first reminder is due
const TARGET_MIN = 10; // first-response target; the reminder fires at 100%
const SLA = {
  policies: Object.fromEntries(['P0', 'P1', 'P2', 'P3'].map((p) => [p, { firstResponse: `${TARGET_MIN}m`, resolution: '8h' }])),
  reminders: { fractions: [1] },
};
const logger = createLogger({ level: 'warn' });

function pct(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);
}

function startWorker(uri: string, sentLog: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'sla-worker.js')], {
    env: { ...process.env, MONGODB_URI: uri, SENT_LOG: sentLog, SLA_CONFIG: JSON.stringify(SLA), LOG_LEVEL: process.env.BENCH_WORKER_LOG_LEVEL ?? 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Keep reading the worker's stdout (its logs): a full pipe would block the worker. BENCH_WORKER_LOG names a file to keep them in.
  child.stdout!.on('data', (chunk: Buffer) => {
    if (process.env.BENCH_WORKER_LOG) appendFileSync(process.env.BENCH_WORKER_LOG, chunk);
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

function rssOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

interface Scenario {
  name: string;
  workers: number;
  killAtS?: number;
}

async function run(base: string, scenario: Scenario): Promise<void> {
  const url = new URL(base);
  url.pathname = `/slabench_${scenario.name.replace(/\W/g, '_')}_${Date.now()}`;
  const uri = url.toString();
  const dir = mkdtempSync(join(tmpdir(), 'chatdesk-sla-bench-'));
  const sentLog = join(dir, 'sent.jsonl');
  const seedStart = Date.now();
  const dueByKey = await seedSlaBench(uri, { tickets: TICKETS, windowS: WINDOW_S, leadS: LEAD_S, targetMin: TARGET_MIN }, logger);
  const seededIn = Date.now() - seedStart;
  const firstDue = Math.min(...dueByKey.values());
  const lastDue = Math.max(...dueByKey.values());
  let workers = await Promise.all(Array.from({ length: scenario.workers }, () => startWorker(uri, sentLog)));
  let peakRss = 0;
  const sampler = setInterval(() => {
    for (const w of workers) peakRss = Math.max(peakRss, rssOf(w.pid) || 0);
  }, 500);
  let killedAt: number | undefined;
  if (scenario.killAtS !== undefined) {
    await new Promise((r) => setTimeout(r, Math.max(0, firstDue + scenario.killAtS! * 1000 - Date.now())));
    killedAt = Date.now();
    workers[0]!.kill('SIGKILL');
    workers = [await startWorker(uri, sentLog), ...workers.slice(1)];
  }
  // Wait for the window to pass, then for stragglers (a claim left by a killed worker has a 120 s lease).
  const settle = scenario.killAtS !== undefined ? 135_000 : 15_000;
  const deadline = lastDue + settle;
  const expected = dueByKey.size;
  for (;;) {
    const sent = existsSync(sentLog) ? readFileSync(sentLog, 'utf8').split('\n').filter(Boolean).length : 0;
    if (Date.now() > deadline || (sent >= expected && Date.now() > lastDue + 3000)) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  clearInterval(sampler);
  for (const w of workers) w.kill('SIGTERM');

  const lines = existsSync(sentLog) ? readFileSync(sentLog, 'utf8').split('\n').filter(Boolean) : [];
  const seen = new Map<string, number>();
  const lateness: number[] = [];
  for (const line of lines) {
    const rec = JSON.parse(line) as { at: number; text: string };
    const key = /⏰ (B-\d+)/.exec(rec.text)?.[1];
    if (!key) continue;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (seen.get(key) === 1) lateness.push(rec.at - (dueByKey.get(key) as number));
  }
  lateness.sort((a, b) => a - b);
  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  const misses = [...dueByKey.keys()].filter((k) => !seen.has(k)).length;
  const afterKill = killedAt === undefined ? [] : [...seen.keys()].filter((k) => (dueByKey.get(k) as number) >= killedAt - 2000);
  const lateAfterKill = afterKill
    .map((k) => lines.map((l) => JSON.parse(l) as { at: number; text: string }).find((r) => r.text.includes(`⏰ ${k} `))!.at - (dueByKey.get(k) as number))
    .sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      scenario: scenario.name,
      tickets: TICKETS,
      windowS: WINDOW_S,
      seededMs: seededIn,
      sent: lines.length,
      lateMs: { p50: pct(lateness, 50), p99: pct(lateness, 99), max: lateness.at(-1) },
      ...(killedAt
        ? { killedAtS: scenario.killAtS, lateAfterKillMs: { p50: pct(lateAfterKill, 50), p99: pct(lateAfterKill, 99), max: lateAfterKill.at(-1) } }
        : {}),
      duplicates,
      misses,
      peakWorkerRssMb: Math.round(peakRss),
      throughputPerS: Math.round((lines.length / Math.max(1, (lateness.at(-1) ?? 0) + lastDue - firstDue)) * 1000),
    })}\n`,
  );
}

async function main(): Promise<void> {
  const embedded = process.env.MONGODB_URI ? undefined : await startEmbeddedMongo({ dataDir: mkdtempSync(join(tmpdir(), 'chatdesk-sla-db-')), logger });
  const base = process.env.MONGODB_URI ?? embedded!.uri;
  const only = arg('only', '');
  const scenarios: Scenario[] = [
    { name: 'steady', workers: 1 },
    { name: 'kill-9', workers: 1, killAtS: Math.round(WINDOW_S / 2) },
    { name: 'two-workers', workers: 2 },
  ].filter((s) => !only || s.name === only);
  try {
    for (const s of scenarios) await run(base, s);
  } finally {
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
