/**
 * Offline classifier benchmark (prints figures; not a test).
 *
 *   npx tsc -p tsconfig.build.json && node --expose-gc dist/bench/classifier.bench.js [--sklearn] [--quick] [--knowledge | --knowledge-only]
 *
 * Data: $CHATDESK_BENCH_DATA (a folder of the public sets), default the extracts in tests/fixtures/data (see its README for licences).
 * Splits (fixed in advance, never tuned on):
 *   - CLINC150: train → val; out-of-scope: abstention threshold chosen on training data only
 *     (a held-out 20% of train + oos_train), then applied to val + oos_val;
 *   - Banking77: train → test;
 *   - synthetic tickets (german file, complete): queue and priority, content-hash split 80/20 (seed 7);
 *   - smp-ecdt-zh (Chinese): domain, content-hash split 80/20 (seed 7).
 * --knowledge adds the similarity figures (src/ai/knowledge): the duplicate / answer thresholds chosen on
 * training data with their held-out precision and recall, and a 10k-entry index's build time, memory and search latency.
 * --sklearn also runs bench/baselines/run-sklearn.sh (TF-IDF + LogisticRegression / LinearSVC,
 * same splits) and prints its figures alongside.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LabeledExample } from '../src/ai/classifier.port';
import { parseCsvRecords } from '../src/ai/offline/csv';
import { classificationReport, quantile } from '../src/ai/offline/metrics';
import { hashSplit } from '../src/ai/offline/rng';
import { OfflineTextClassifier } from '../src/ai/offline/text-classifier';
import { calibrate, calibrationSets } from '../src/ai/knowledge/calibration';
import { SimilarityIndex } from '../src/ai/knowledge/similarity-index';
import { ANSWER_TARGET_PRECISION, DUPLICATE_TARGET_PRECISION } from '../src/ai/knowledge/thresholds';

const SPLIT_SEED = 7;
const TEST_PERCENT = 20;

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the repository root (package.json) above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const ROOT = repoRoot();
/**
 * The data sets: CHATDESK_BENCH_DATA names a folder with the public sets (banking77/, clinc150/, …, as
 * the data sets' own releases lay them out); by default the extracts the repository ships in tests/fixtures/data.
 */
const DATA = process.env.CHATDESK_BENCH_DATA ?? path.resolve(ROOT, 'tests', 'fixtures', 'data');

interface Row {
  dataset: string;
  model: string;
  nTrain: number;
  nTest: number;
  accuracy: number;
  macroF1: number;
  trainS?: number;
  p50Ms?: number;
  p99Ms?: number;
  heapMB?: number;
  modelKB?: number;
}

const rows: Row[] = [];
const notes: string[] = [];

/** JS heap plus ArrayBuffers (the model's weights live in typed arrays, outside heapUsed). */
function usedMemory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function majority(dataset: string, train: LabeledExample[], test: LabeledExample[]): void {
  const counts = new Map<string, number>();
  for (const e of train) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  const rep = classificationReport(
    test.map((e) => e.label),
    test.map(() => top),
  );
  rows.push({ dataset, model: 'majority class', nTrain: train.length, nTest: test.length, accuracy: rep.accuracy, macroF1: rep.macroF1 });
}

function trainTimed(train: LabeledExample[]): { model: OfflineTextClassifier; trainS: number; heapMB: number } {
  gc();
  const before = usedMemory();
  const t0 = performance.now();
  const model = OfflineTextClassifier.train(train);
  const trainS = (performance.now() - t0) / 1000;
  gc();
  const heapMB = (usedMemory() - before) / 1e6;
  return { model, trainS, heapMB };
}

function evaluate(dataset: string, train: LabeledExample[], test: LabeledExample[]): OfflineTextClassifier {
  majority(dataset, train, test);
  const { model, trainS, heapMB } = trainTimed(train);
  const latencies: number[] = [];
  const pred: string[] = [];
  for (const e of test) {
    const t0 = performance.now();
    const p = model.predict(e.text);
    latencies.push(performance.now() - t0);
    pred.push(p.label);
  }
  const rep = classificationReport(
    test.map((e) => e.label),
    pred,
  );
  rows.push({
    dataset,
    model: 'chatdesk offline',
    nTrain: train.length,
    nTest: test.length,
    accuracy: rep.accuracy,
    macroF1: rep.macroF1,
    trainS,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    heapMB,
    modelKB: JSON.stringify(model.toJSON()).length / 1024,
  });
  return model;
}

function readCsv(file: string): Record<string, string>[] {
  return parseCsvRecords(readFileSync(path.join(DATA, file), 'utf8')).records;
}

function clinc(): void {
  const raw = JSON.parse(readFileSync(path.join(DATA, 'clinc150', 'train_val.json'), 'utf8')) as Record<string, [string, string][]>;
  const toEx = (r: [string, string]): LabeledExample => ({ text: r[0], label: r[1] });
  const train = raw.train!.map(toEx);
  const val = raw.val!.map(toEx);
  const model = evaluate('clinc150 (val)', train, val);

  // Threshold on training data only: fit on 80% of train, score the held-out 20% + oos_train.
  const { train: fitPart, test: holdPart } = hashSplit(train, (e) => e.text, TEST_PERCENT, SPLIT_SEED);
  const probe = OfflineTextClassifier.train(fitPart);
  const heldIn = holdPart.map((e) => {
    const p = probe.predict(e.text);
    return { ok: p.label === e.label, conf: p.confidence };
  });
  const heldOos = raw.oos_train!.map((r) => probe.predict(r[0]).confidence);
  let best = { score: -1, threshold: 0 };
  for (let i = 0; i <= 200; i++) {
    const t = i / 200;
    const inScore = heldIn.filter((h) => h.ok && h.conf >= t).length / heldIn.length;
    const oosRecall = heldOos.filter((c) => c < t).length / heldOos.length;
    const score = (inScore + oosRecall) / 2;
    if (score > best.score) best = { score, threshold: t };
  }
  const t = best.threshold;
  const valPreds = val.map((e) => model.predict(e.text));
  const inAcc = valPreds.filter((p, i) => p.confidence >= t && p.label === val[i]!.label).length / val.length;
  const inAbstain = valPreds.filter((p) => p.confidence < t).length / val.length;
  const oosRecall = raw.oos_val!.filter((r) => model.predict(r[0]).confidence < t).length / raw.oos_val!.length;
  notes.push(
    `clinc150 out-of-scope (chatdesk offline): threshold ${t.toFixed(3)} (chosen on held-out train + oos_train) → ` +
      `in-scope accuracy counting abstentions as wrong ${pct(inAcc)}, in-scope abstain rate ${pct(inAbstain)}, oos recall (abstained) ${pct(oosRecall)}`,
  );
}

function banking(): void {
  const toEx = (r: Record<string, string>): LabeledExample => ({ text: r.text ?? '', label: r.category ?? '' });
  const train = readCsv('banking77/train.csv').map(toEx);
  const test = readCsv('banking77/test.csv').map(toEx);
  evaluate('banking77 (test)', train, test);
  // Retraining cost for incremental learning (retrain from the full example set).
  for (const n of [1000, 10000]) {
    const subset = train.slice(0, Math.min(n, train.length));
    const t0 = performance.now();
    OfflineTextClassifier.train(subset);
    notes.push(`retrain from scratch, ${subset.length} banking77 examples (incl. calibration pass): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }
}

function tickets(): void {
  const recs = readCsv('support-tickets-synthetic/dataset-tickets-german_normalized.csv');
  for (const field of ['queue', 'priority'] as const) {
    const all = recs.map((r) => ({ text: `${r.subject ?? ''}\n${r.body ?? ''}`, label: r[field] ?? '' }));
    const { train, test } = hashSplit(all, (e) => e.text, TEST_PERCENT, SPLIT_SEED);
    evaluate(`synthetic tickets de: ${field}${field === 'priority' ? ' (synthetic)' : ''}`, train, test);
  }
}

function smp(): void {
  const raw = JSON.parse(readFileSync(path.join(DATA, 'smp-ecdt-zh', 'smp2019_train.json'), 'utf8')) as { text: string; domain: string }[];
  const all = raw.map((r) => ({ text: r.text, label: r.domain }));
  const { train, test } = hashSplit(all, (e) => e.text, TEST_PERCENT, SPLIT_SEED);
  evaluate('smp-ecdt-zh domain (zh)', train, test);
}

function knowledge(): void {
  const sets = calibrationSets(DATA, (p) => readFileSync(p, 'utf8'));
  for (const lang of ['en', 'zh'] as const) {
    const [dup, ans] = calibrate(sets[lang].train, sets[lang].test, [DUPLICATE_TARGET_PRECISION, ANSWER_TARGET_PRECISION]);
    for (const [what, r] of [
      ['duplicates', dup!],
      ['answers', ans!],
    ] as const) {
      notes.push(
        `similarity ${what} (${lang}): threshold ${r.chosen.threshold.toFixed(2)} chosen on train (precision ${pct(r.chosen.precision)}, recall ${pct(r.chosen.recall)}) → ` +
          `held-out precision ${pct(r.heldOut.precision)}, recall ${pct(r.heldOut.recall)} (${r.heldOut.answered} answered)`,
      );
    }
  }
  const texts = sets.en.test.pool.slice(0, 10_000);
  gc();
  const before = usedMemory();
  const t0 = performance.now();
  const index = new SimilarityIndex<number>();
  for (const [i, e] of texts.entries()) index.add(String(i), e.text, i);
  const buildS = (performance.now() - t0) / 1000;
  index.search('warm up', { k: 5 });
  gc();
  const heapMB = (usedMemory() - before) / 1e6;
  const latencies = sets.en.test.queries.slice(0, 1000).map((q) => {
    const s = performance.now();
    index.search(q.text, { k: 5 });
    return performance.now() - s;
  });
  notes.push(
    `similarity index, ${index.size} banking77 texts: build ${buildS.toFixed(2)} s, ${heapMB.toFixed(0)} MB retained, ` +
      `search (k=5) p50 ${quantile(latencies, 0.5).toFixed(2)} ms, p99 ${quantile(latencies, 0.99).toFixed(2)} ms over ${latencies.length} queries`,
  );
}

function sklearn(): void {
  const script = path.join(ROOT, 'bench', 'baselines', 'run-sklearn.sh');
  const res = spawnSync('bash', [script, '--json'], { encoding: 'utf8', env: { ...process.env, CHATDESK_BENCH_DATA: DATA }, maxBuffer: 1 << 24 });
  if (res.status !== 0) {
    notes.push(`sklearn baseline failed (exit ${res.status}): ${(res.stderr || '').trim().slice(-500)}`);
    return;
  }
  for (const line of res.stdout.split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    if (typeof r.accuracy === 'number') {
      const ds = String(r.dataset)
        .replace('synthetic tickets de: priority', 'synthetic tickets de: priority (synthetic)')
        .replace('smp-ecdt-zh domain', 'smp-ecdt-zh domain (zh)');
      rows.push({
        dataset: ds,
        model: String(r.model),
        nTrain: Number(r.n_train),
        nTest: Number(r.n_test),
        accuracy: r.accuracy,
        macroF1: Number(r.macro_f1),
        trainS: Number(r.train_s),
      });
    } else {
      notes.push(
        `clinc150 out-of-scope (${String(r.model)}): threshold ${Number(r.threshold).toFixed(3)} → in-scope accuracy counting abstentions as wrong ${pct(Number(r.in_scope_accuracy_with_abstain))}, ` +
          `in-scope abstain rate ${pct(Number(r.in_scope_abstain_rate))}, oos recall ${pct(Number(r.oos_recall))}`,
      );
    }
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function fmt(x: number | undefined, digits: number): string {
  return x === undefined || Number.isNaN(x) ? '-' : x.toFixed(digits);
}

function print(): void {
  const order = [...new Set(rows.map((r) => r.dataset))];
  const header = ['dataset', 'model', 'train/test', 'acc', 'macroF1', 'train s', 'p50 ms', 'p99 ms', 'heap MB', 'model KB'];
  const lines = [header];
  for (const ds of order) {
    for (const r of rows.filter((x) => x.dataset === ds)) {
      lines.push([
        r.dataset,
        r.model,
        `${r.nTrain}/${r.nTest}`,
        pct(r.accuracy),
        pct(r.macroF1),
        fmt(r.trainS, 1),
        fmt(r.p50Ms, 3),
        fmt(r.p99Ms, 3),
        fmt(r.heapMB, 0),
        fmt(r.modelKB, 0),
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  for (const l of lines) console.log(l.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  console.log('');
  for (const n of notes) console.log(`- ${n}`);
  console.log(
    `- node ${process.version}, ${process.platform}/${process.arch}; latency = one predict() call per test item; ` +
      `heap MB = retained heap + ArrayBuffer growth after training, i.e. the live model (needs --expose-gc); ` +
      `peak RSS of the whole bench process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
}

function main(): void {
  if (!existsSync(DATA)) {
    console.error(`data directory not found: ${DATA} (set CHATDESK_BENCH_DATA)`);
    process.exitCode = 1;
    return;
  }
  const quick = process.argv.includes('--quick');
  if (process.argv.includes('--knowledge-only')) {
    knowledge();
    print();
    return;
  }
  banking();
  if (!quick) {
    clinc();
    tickets();
    smp();
  }
  if (process.argv.includes('--knowledge')) knowledge();
  if (process.argv.includes('--sklearn')) sklearn();
  print();
}

main();
