/**
 * Tunes the category model on the team's own history before it is trained
 * for good: a stratified 20% of the history is held out, the model is trained
 * on the rest with and without class weights, and
 *   - class weights are kept when they help on the held-out slice (macro-F1
 *     up by at least 0.01 with accuracy down by at most 0.005: imbalanced
 *     taxonomies, where the small categories otherwise drown);
 *   - the abstain threshold is the lowest confidence at which the answered
 *     held-out tickets still reach the target precision (so the model sends
 *     to triage only what it would get wrong too often, and nothing at all
 *     when it is precise enough without abstaining).
 * Pure and deterministic for a given seed. The figures are kept for the
 * classifier's status (what an admin sees).
 */
import type { LabeledExample } from '../classifier.port';
import { classificationReport } from './metrics';
import { stratifiedSplit } from './rng';
import { OfflineTextClassifier, type TextClassifierOptions } from './text-classifier';

/** Below this many examples, held-out figures are too noisy to tune on. */
export const MIN_EXAMPLES_TO_TUNE = 100;
/** Abstaining never goes above this threshold (the model still answers what it is fairly sure of). */
const MAX_THRESHOLD = 0.9;

export interface HeldOutFigures {
  /** Held-out examples. */
  n: number;
  accuracy: number;
  macroF1: number;
  /** Share of held-out tickets the model answers at the chosen threshold. */
  coverage: number;
  /** Precision of those answers. */
  answeredPrecision: number;
  /** The figures without class weights, when the weighted model was chosen (and the reverse). */
  alternative: { balanced: boolean; accuracy: number; macroF1: number };
}

export interface CategoryTuning {
  balanced: boolean;
  abstainBelow: number;
  targetPrecision: number;
  heldOut: HeldOutFigures;
}

/**
 * The lowest threshold t such that the predictions with confidence >= t have
 * precision >= target, maximising how many are answered. 0 when every
 * prediction together already reaches the target.
 */
export function thresholdForPrecision(
  scored: ReadonlyArray<{ confidence: number; correct: boolean }>,
  target: number,
): { threshold: number; coverage: number; precision: number } {
  if (scored.length === 0) return { threshold: 0, coverage: 1, precision: 0 };
  const sorted = [...scored].sort((a, b) => b.confidence - a.confidence);
  let correct = 0;
  let best = -1;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.correct) correct++;
    // Only cut between different confidences: a threshold cannot split ties.
    const boundary = i === sorted.length - 1 || sorted[i + 1]!.confidence < sorted[i]!.confidence;
    if (boundary && correct / (i + 1) >= target) best = i;
  }
  if (best === sorted.length - 1) return { threshold: 0, coverage: 1, precision: correct / sorted.length };
  if (best < 0) {
    // Not even its surest answers reach the target: abstain below the cap, answer the rest.
    const answered = sorted.filter((s) => s.confidence >= MAX_THRESHOLD);
    return {
      threshold: MAX_THRESHOLD,
      coverage: answered.length / sorted.length,
      precision: answered.length ? answered.filter((s) => s.correct).length / answered.length : 0,
    };
  }
  const threshold = Math.min(MAX_THRESHOLD, sorted[best]!.confidence);
  const answered = sorted.filter((s) => s.confidence >= threshold);
  return { threshold, coverage: answered.length / sorted.length, precision: answered.filter((s) => s.correct).length / answered.length };
}

/** Undefined when there is too little history to tune on (the caller keeps its defaults). */
export function tuneCategoryModel(
  examples: readonly LabeledExample[],
  targetPrecision: number,
  options: Partial<TextClassifierOptions> = {},
): CategoryTuning | undefined {
  if (examples.length < MIN_EXAMPLES_TO_TUNE || new Set(examples.map((e) => e.label)).size < 2) return undefined;
  const { train, test } = stratifiedSplit(examples, (e) => e.label, 0.2, options.seed ?? 42);
  if (test.length < 20) return undefined;
  const evaluate = (balanced: boolean) => {
    const model = OfflineTextClassifier.train(train, { ...options, balanced });
    const predictions = test.map((e) => model.predict(e.text));
    const report = classificationReport(
      test.map((e) => e.label),
      predictions.map((p) => p.label),
    );
    return { balanced, report, scored: predictions.map((p, i) => ({ confidence: p.confidence, correct: p.label === test[i]!.label })) };
  };
  const plain = evaluate(false);
  const weighted = evaluate(true);
  const helps = weighted.report.macroF1 >= plain.report.macroF1 + 0.01 && weighted.report.accuracy >= plain.report.accuracy - 0.005;
  const chosen = helps ? weighted : plain;
  const other = helps ? plain : weighted;
  const cut = thresholdForPrecision(chosen.scored, targetPrecision);
  return {
    balanced: chosen.balanced,
    abstainBelow: round(cut.threshold),
    targetPrecision,
    heldOut: {
      n: test.length,
      accuracy: round(chosen.report.accuracy),
      macroF1: round(chosen.report.macroF1),
      coverage: round(cut.coverage),
      answeredPrecision: round(cut.precision),
      alternative: { balanced: other.balanced, accuracy: round(other.report.accuracy), macroF1: round(other.report.macroF1) },
    },
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
