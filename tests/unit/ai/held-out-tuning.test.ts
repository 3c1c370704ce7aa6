/**
 * Tuning the offline category model on the team's own history: the abstain
 * threshold reaches the target precision on held-out tickets (and abstains
 * on nothing when the model is precise enough), on real help-desk-style data
 * (Banking77 customer-support requests, tests/fixtures/data).
 */
import { readFileSync } from 'node:fs';
import type { LabeledExample } from '../../../src/ai/classifier.port';
import { parseCsvRecords } from '../../../src/ai/offline/csv';
import { thresholdForPrecision, tuneCategoryModel } from '../../../src/ai/offline/held-out-tuning';
import { fixturePath } from '../../support/fixtures';

describe('threshold for a target precision', () => {
  const s = (confidence: number, correct: boolean) => ({ confidence, correct });

  it('answers everything when all answers together reach the target', () => {
    expect(thresholdForPrecision([s(0.9, true), s(0.6, true), s(0.3, false), s(0.2, true)], 0.75)).toEqual({ threshold: 0, coverage: 1, precision: 0.75 });
  });

  it('cuts at the lowest confidence that keeps the answered ones at the target', () => {
    // Sorted: 0.95 ✓, 0.9 ✓, 0.8 ✗, 0.7 ✓, 0.6 ✓, 0.4 ✗, 0.3 ✗ → top 5 are 4/5 = 0.8; top 6 are 4/6.
    const cut = thresholdForPrecision([s(0.4, false), s(0.95, true), s(0.7, true), s(0.8, false), s(0.3, false), s(0.9, true), s(0.6, true)], 0.8);
    expect(cut).toEqual({ threshold: 0.6, coverage: 5 / 7, precision: 0.8 });
  });

  it('never splits equal confidences', () => {
    // 0.9 ✓ then two at 0.5 (one wrong): 2/3 with both, so the cut is above them.
    expect(thresholdForPrecision([s(0.9, true), s(0.5, true), s(0.5, false)], 0.9)).toEqual({ threshold: 0.9, coverage: 1 / 3, precision: 1 });
  });
});

describe('tuning on held-out history', () => {
  // 18 intents of Banking77, 30 requests each, plus 6 intents with only 8 (an imbalanced taxonomy).
  const rows = parseCsvRecords(readFileSync(fixturePath('data', 'banking77', 'train.csv'), 'utf8')).records;
  const byLabel = new Map<string, LabeledExample[]>();
  for (const r of rows) {
    const label = String(r.category);
    const list = byLabel.get(label) ?? [];
    list.push({ text: String(r.text), label });
    byLabel.set(label, list);
  }
  const labels = [...byLabel.keys()].sort().slice(0, 24);
  const examples = labels.flatMap((label, i) => byLabel.get(label)!.slice(0, i < 18 ? 30 : 8));
  const strict = tuneCategoryModel(examples, 0.9)!;

  it('reaches the target precision on the answered held-out tickets, abstaining on fewer as the target drops', () => {
    const loose = tuneCategoryModel(examples, 0.5)!;
    expect(strict.heldOut.n).toBeGreaterThan(100);
    expect(strict.abstainBelow).toBeLessThan(0.9); // below the cap, so the target holds
    expect(strict.heldOut.answeredPrecision).toBeGreaterThanOrEqual(0.9);
    expect(strict.heldOut.coverage).toBeLessThan(1); // the model is not 90% accurate on this
    expect(strict.heldOut.accuracy).toBeLessThan(0.9);
    // A model above 50% accuracy answers everything at a 0.5 target.
    expect(loose.heldOut.accuracy).toBeGreaterThan(0.5);
    expect(loose).toMatchObject({ abstainBelow: 0, heldOut: { coverage: 1 } });
    expect(strict.abstainBelow).toBeGreaterThan(loose.abstainBelow);
  });

  it('keeps class weights only when they help the held-out figures, and says what the other choice scored', () => {
    const tuning = strict;
    const { heldOut } = tuning;
    expect(heldOut.alternative.balanced).toBe(!tuning.balanced);
    if (tuning.balanced) expect(heldOut.macroF1).toBeGreaterThanOrEqual(heldOut.alternative.macroF1 + 0.01);
    else expect(heldOut.macroF1 < heldOut.alternative.macroF1 + 0.01 || heldOut.accuracy > heldOut.alternative.accuracy + 0.005).toBe(true);
  });

  it('does not tune on too little history', () => {
    expect(tuneCategoryModel(examples.slice(0, 60), 0.8)).toBeUndefined();
  });
});
