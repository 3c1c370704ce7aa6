/** Classification metrics (accuracy, per-label precision/recall/F1, macro-F1). */

export interface LabelMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  n: number;
  accuracy: number;
  /** Unweighted mean F1 over labels that occur in the gold or predicted labels. */
  macroF1: number;
  perLabel: LabelMetrics[];
}

export function classificationReport(gold: readonly string[], predicted: readonly string[]): ClassificationReport {
  if (gold.length !== predicted.length) throw new RangeError('gold and predicted must have the same length');
  const tp = new Map<string, number>();
  const goldCount = new Map<string, number>();
  const predCount = new Map<string, number>();
  let correct = 0;
  gold.forEach((g, i) => {
    const p = predicted[i]!;
    goldCount.set(g, (goldCount.get(g) ?? 0) + 1);
    predCount.set(p, (predCount.get(p) ?? 0) + 1);
    if (g === p) {
      correct++;
      tp.set(g, (tp.get(g) ?? 0) + 1);
    }
  });
  const labels = [...new Set([...goldCount.keys(), ...predCount.keys()])].sort();
  const perLabel = labels.map((label) => {
    const t = tp.get(label) ?? 0;
    const pc = predCount.get(label) ?? 0;
    const gc = goldCount.get(label) ?? 0;
    const precision = pc > 0 ? t / pc : 0;
    const recall = gc > 0 ? t / gc : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support: gc };
  });
  const macroF1 = perLabel.length > 0 ? perLabel.reduce((s, m) => s + m.f1, 0) / perLabel.length : 0;
  return { n: gold.length, accuracy: gold.length > 0 ? correct / gold.length : 0, macroF1, perLabel };
}

/** Value at quantile q (0..1) of `values` (nearest-rank). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx]!;
}
