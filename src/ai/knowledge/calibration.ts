/**
 * Choosing minimum similarity scores on labelled data (intent data sets:
 * two texts with the same intent stand for "same problem").
 *
 * Setting, open-set like a real desk: the index holds up to `perLabel` texts of
 * each "known" label (a knowledge base / the open tickets); queries come from
 * all labels, including labels with nothing in the index, whose right answer
 * is "no match". A query is answered when its best hit scores ≥ t; the answer
 * is right when that hit has the query's label.
 *   precision = right answers / answers;
 *   recall    = right answers / queries whose label is in the index.
 */
import { parseCsvRecords } from '../offline/csv';
import { fnv1a32, hashSplit } from '../offline/rng';
import { SimilarityIndex } from './similarity-index';

export interface LabeledText {
  text: string;
  label: string;
}

export interface ScoredQuery {
  /** Best hit's score (0 when none). */
  score: number;
  /** The best hit has the query's label. */
  right: boolean;
  /** The query's label has texts in the index. */
  known: boolean;
}

export interface OpenSetSplit {
  index: LabeledText[];
  queries: LabeledText[];
}

/** Labels whose fnv1a32(seed:label) % 100 < unknownPercent have no text in the index. */
export function isUnknownLabel(label: string, unknownPercent: number, seed: number): boolean {
  return fnv1a32(`${seed}:${label}`) % 100 < unknownPercent;
}

/** Index = first `perLabel` texts of each known label of `pool`; queries = `queries` as given. */
export function openSetSplit(
  pool: readonly LabeledText[],
  queries: readonly LabeledText[],
  opts: { perLabel: number; unknownPercent: number; seed: number },
): OpenSetSplit {
  const taken = new Map<string, number>();
  const index: LabeledText[] = [];
  for (const e of pool) {
    if (isUnknownLabel(e.label, opts.unknownPercent, opts.seed)) continue;
    const n = taken.get(e.label) ?? 0;
    if (n >= opts.perLabel) continue;
    taken.set(e.label, n + 1);
    index.push(e);
  }
  return { index, queries: [...queries] };
}

export function scoreQueries(split: OpenSetSplit): ScoredQuery[] {
  const idx = new SimilarityIndex<string>();
  for (const [i, e] of split.index.entries()) idx.add(String(i), e.text, e.label);
  const known = new Set(split.index.map((e) => e.label));
  return split.queries.map((q) => {
    const top = idx.search(q.text, { k: 1 })[0];
    return { score: top?.score ?? 0, right: top !== undefined && top.meta === q.label, known: known.has(q.label) };
  });
}

export interface PrecisionRecall {
  threshold: number;
  precision: number;
  recall: number;
  answered: number;
}

export function precisionRecallAt(scored: readonly ScoredQuery[], threshold: number): PrecisionRecall {
  let answered = 0;
  let right = 0;
  let known = 0;
  for (const s of scored) {
    if (s.known) known++;
    if (s.score >= threshold && s.score > 0) {
      answered++;
      if (s.right) right++;
    }
  }
  return { threshold, precision: answered > 0 ? right / answered : 1, recall: known > 0 ? right / known : 0, answered };
}

/** Smallest threshold on a 0.01 grid whose precision reaches `target` (the highest-recall such threshold). */
export function thresholdForPrecision(scored: readonly ScoredQuery[], target: number): PrecisionRecall {
  for (let i = 1; i <= 100; i++) {
    const pr = precisionRecallAt(scored, i / 100);
    if (pr.precision >= target && pr.answered > 0) return pr;
  }
  return precisionRecallAt(scored, 1);
}

export const CALIBRATION_SPLIT = { perLabel: 10, unknownPercent: 30, seed: 7 } as const;

export interface CalibrationResult {
  /** Chosen on the training side only. */
  chosen: PrecisionRecall;
  /** The chosen threshold applied to the held-out side. */
  heldOut: PrecisionRecall;
}

/**
 * The recipe behind the shipped thresholds: pick the threshold on
 * (trainPool → trainQueries), report it on (testPool → testQueries).
 */
export function calibrate(
  train: { pool: readonly LabeledText[]; queries: readonly LabeledText[] },
  test: { pool: readonly LabeledText[]; queries: readonly LabeledText[] },
  targetPrecisions: readonly number[],
): CalibrationResult[] {
  const trainScores = scoreQueries(openSetSplit(train.pool, train.queries, CALIBRATION_SPLIT));
  const testScores = scoreQueries(openSetSplit(test.pool, test.queries, CALIBRATION_SPLIT));
  return targetPrecisions.map((target) => {
    const chosen = thresholdForPrecision(trainScores, target);
    return { chosen, heldOut: precisionRecallAt(testScores, chosen.threshold) };
  });
}

export interface CalibrationSets {
  train: { pool: LabeledText[]; queries: LabeledText[] };
  test: { pool: LabeledText[]; queries: LabeledText[] };
}

/**
 * The data behind the shipped thresholds, from the shared data folder:
 *   en: Banking77 — train split 80/20 by content hash (seed 7) for choosing; train → test.csv for reporting;
 *   zh: SMP-ECDT (label = domain:intent) — 80/20 (seed 7) into train/test, train again 80/20 (seed 8) for choosing.
 */
export function calibrationSets(dataDir: string, read: (path: string) => string): { en: CalibrationSets; zh: CalibrationSets } {
  const csv = (file: string): LabeledText[] =>
    parseCsvRecords(read(`${dataDir}/${file}`)).records.map((r) => ({ text: r.text ?? '', label: r.category ?? '' }));
  const enTrain = csv('banking77/train.csv');
  const enTest = csv('banking77/test.csv');
  const enFit = hashSplit(enTrain, (e) => e.text, 20, 7);
  const zhAll = (JSON.parse(read(`${dataDir}/smp-ecdt-zh/smp2019_train.json`)) as Array<{ text: string; domain: string; intent: string }>).map((r) => ({
    text: r.text,
    label: `${r.domain}:${r.intent}`,
  }));
  const zh = hashSplit(zhAll, (e) => e.text, 20, 7);
  const zhFit = hashSplit(zh.train, (e) => e.text, 20, 8);
  return {
    en: { train: { pool: enFit.train, queries: enFit.test }, test: { pool: enTrain, queries: enTest } },
    zh: { train: { pool: zhFit.train, queries: zhFit.test }, test: { pool: zh.train, queries: zh.test } },
  };
}
