/**
 * How long the live classifier takes to retrain, and whether the event loop
 * stays free meanwhile (prints figures; not a test).
 *
 *   npm run build && node dist/bench/classifier/retrain.bench.js [--sizes 200,2000,10000] [--desk]
 *
 * Data: Banking77 train (CC BY 4.0; $CHATDESK_BENCH_DATA, default tests/fixtures/data), rows in a fixed
 * shuffled order, as the team's imported history, with priorities P0-P3 assigned round robin; the seed is not added (a team that
 * imported 2+ categories trains on its own examples only). For each size: the time the worker
 * trains both models, the wall time of a retraining as the live classifier runs it (worker start,
 * training, restoring the models in the main thread), and the main thread's longest event-loop
 * delay during it, next to the same training done in the main thread.
 *
 * --desk also runs a real chatdesk on the embedded FerretDB (tools/ferretdb, temp dir) and times an
 * import of the largest size through POST /admin/classifier/import (parse, store, retrain), the start
 * of a second desk on that database (it trains from the stored examples before it listens) and the
 * periodic check for other processes' examples when nothing changed.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PRIORITIES } from '../../src/ai/classifier.port';
import { inlineTrainer, workerTrainer, type ModelTrainer, type TrainRequest } from '../../src/ai/learning/model-trainer';
import { parseCsvRecords } from '../../src/ai/offline/csv';
import { startChatdesk } from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import { silentLogger } from '../../src/logger';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/**
 * The data sets: CHATDESK_BENCH_DATA names a folder with the public sets (banking77/, clinc150/, …, as
 * the data sets' own releases lay them out); by default the extracts the repository ships in tests/fixtures/data.
 */
const DATA = process.env.CHATDESK_BENCH_DATA ?? path.resolve(repoRoot(), 'tests', 'fixtures', 'data');
const sizesArg = process.argv.indexOf('--sizes');
const SIZES = (sizesArg > 0 ? process.argv[sizesArg + 1]! : '200,2000,10000').split(',').map(Number);

async function measure(trainer: ModelTrainer, request: TrainRequest): Promise<{ trainingMs: number; wallMs: number; maxDelayMs: number }> {
  // A heartbeat every 5 ms: the longest gap between two beats is how long a chat request would have waited.
  let last = performance.now();
  let maxGap = 0;
  const beat = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 5);
  await new Promise((r) => setTimeout(r, 20));
  maxGap = 0;
  last = performance.now();
  const t0 = performance.now();
  const trained = await trainer(request);
  const wallMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 20)); // let the heartbeat see the end of a blocking training
  clearInterval(beat);
  return { trainingMs: trained.trainingMs, wallMs, maxDelayMs: Math.max(0, maxGap - 5) };
}

async function main(): Promise<void> {
  const file = path.join(DATA, 'banking77', 'train.csv');
  const sorted = parseCsvRecords(readFileSync(file, 'utf8')).records;
  // The file is sorted by label: take rows in a fixed pseudo-random order (by a hash of the text).
  const key = (t: string) => createHash('sha256').update(t).digest('hex');
  const records = sorted
    .map((r) => ({ r, k: key(r.text ?? '') }))
    .sort((a, b) => (a.k < b.k ? -1 : 1))
    .map((x) => x.r);
  process.stdout.write(`retraining (2 models: category + priority), data ${file}\n`);
  process.stdout.write('examples  labels  worker train s  retrain wall s  max loop delay ms | in-thread train s  max loop delay ms\n');
  for (const n of SIZES) {
    const rows = records.slice(0, n);
    const request: TrainRequest = {
      category: rows.map((r) => ({ text: r.text!, label: r.category! })),
      priority: rows.map((r, i) => ({ text: r.text!, label: PRIORITIES[i % PRIORITIES.length]! })),
    };
    const labels = new Set(request.category.map((e) => e.label)).size;
    const w = await measure(workerTrainer(), request);
    const i = await measure(inlineTrainer, request);
    process.stdout.write(
      `${String(rows.length).padStart(8)}  ${String(labels).padStart(6)}  ${(w.trainingMs / 1000).toFixed(2).padStart(14)}  ${(w.wallMs / 1000).toFixed(2).padStart(14)}  ${w.maxDelayMs.toFixed(0).padStart(17)} | ${(i.trainingMs / 1000).toFixed(2).padStart(17)}  ${i.maxDelayMs.toFixed(0).padStart(17)}\n`,
    );
  }
}

async function desk(n: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chatdesk-retrain-bench-'));
  const bin = process.env.FERRETDB_BIN ?? path.join(repoRoot(), 'tools', 'ferretdb', 'bin', 'ferretdb-launcher');
  const child = spawn(bin, ['-dir', dir], { stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    const base = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', (l) => resolve(l.trim())));
    const uri = new URL(base);
    uri.pathname = '/bench_retrain';
    const token = 'bench-admin-token-0123456789';
    const env = { PORT: '0', HOST: '127.0.0.1', MONGODB_URI: uri.toString(), LOG_LEVEL: 'silent', CHATDESK_ADMIN_TOKEN: token, CHATDESK_SLA_WORKER: 'false' };
    const file = readFileSync(path.join(DATA, 'banking77', 'train.csv'), 'utf8')
      .split('\n')
      .slice(0, n + 1)
      .join('\n');
    let t = performance.now();
    const first = await startChatdesk(loadConfig(env), silentLogger());
    process.stdout.write(`desk start, empty store: ${((performance.now() - t) / 1000).toFixed(2)} s\n`);
    t = performance.now();
    const res = await fetch(`${first.url}/admin/classifier/import?format=csv`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: file });
    const body = (await res.json()) as { imported?: number; model?: { state: string; trainingMs: number } };
    process.stdout.write(
      `import of ${body.imported} examples: HTTP ${res.status} after ${((performance.now() - t) / 1000).toFixed(2)} s (model ${body.model?.state}, training ${((body.model?.trainingMs ?? 0) / 1000).toFixed(2)} s)\n`,
    );
    t = performance.now();
    const second = await startChatdesk(loadConfig(env), silentLogger());
    process.stdout.write(`second desk start, ${body.imported} stored examples: ${((performance.now() - t) / 1000).toFixed(2)} s\n`);
    t = performance.now();
    const changed = await second.liveClassifier.checkForUpdates();
    process.stdout.write(`check for other processes' examples (changed: ${changed}): ${(performance.now() - t).toFixed(0)} ms\n`);
    await second.stop();
    await first.stop();
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

main()
  .then(() => (process.argv.includes('--desk') ? desk(Math.max(...SIZES)) : undefined))
  .catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
