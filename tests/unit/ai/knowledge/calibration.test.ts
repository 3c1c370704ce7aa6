/**
 * The shipped English similarity thresholds are what the calibration recipe chooses on training
 * data (Banking77, in tests/fixtures/data), and they hold on held-out data.
 *
 * The Chinese thresholds were chosen on SMP-ECDT, which states no licence and so cannot ship with
 * the repository; `node dist/bench/classifier.bench.js --knowledge-only` re-runs that choice with
 * CHATDESK_DATA_DIR pointing at a copy of it.
 */
import { readFileSync } from 'node:fs';
import { calibrate, calibrationSets } from '../../../../src/ai/knowledge/calibration';
import { ANSWER_MIN_SCORE, ANSWER_TARGET_PRECISION, DUPLICATE_MIN_SCORE, DUPLICATE_TARGET_PRECISION } from '../../../../src/ai/knowledge/thresholds';
import { fixturePath } from '../../../support/fixtures';

// calibrationSets reads both languages' files; the Chinese one is not in the repository (see above).
const sets = calibrationSets(fixturePath('data'), (p) => (p.endsWith('smp-ecdt-zh/smp2019_train.json') ? '[]' : readFileSync(p, 'utf8')));

describe('similarity thresholds (en)', () => {
  const [dup, ans] = calibrate(sets.en.train, sets.en.test, [DUPLICATE_TARGET_PRECISION, ANSWER_TARGET_PRECISION]);

  it('are the ones chosen on training data', () => {
    expect(dup!.chosen.threshold).toBe(DUPLICATE_MIN_SCORE.en);
    expect(ans!.chosen.threshold).toBe(ANSWER_MIN_SCORE.en);
  });

  it('keep precision near the target on held-out data, and find something', () => {
    expect(dup!.heldOut.precision).toBeGreaterThan(DUPLICATE_TARGET_PRECISION - 0.08);
    expect(ans!.heldOut.precision).toBeGreaterThan(ANSWER_TARGET_PRECISION - 0.08);
    expect(dup!.heldOut.recall).toBeGreaterThan(0.1);
    expect(ans!.heldOut.recall).toBeGreaterThan(dup!.heldOut.recall);
  });
});
