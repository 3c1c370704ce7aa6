/** The shipped similarity thresholds are what the calibration recipe chooses on training data, and they hold on held-out data. */
import { readFileSync } from 'node:fs';
import { calibrate, calibrationSets } from '../../../../src/ai/knowledge/calibration';
import { ANSWER_MIN_SCORE, ANSWER_TARGET_PRECISION, DUPLICATE_MIN_SCORE, DUPLICATE_TARGET_PRECISION } from '../../../../src/ai/knowledge/thresholds';
import { sharedPath } from '../../../support/shared-dir';

const sets = calibrationSets(sharedPath('data'), (p) => readFileSync(p, 'utf8'));

describe.each(['en', 'zh'] as const)('similarity thresholds (%s)', (lang) => {
  const [dup, ans] = calibrate(sets[lang].train, sets[lang].test, [DUPLICATE_TARGET_PRECISION, ANSWER_TARGET_PRECISION]);

  it('are the ones chosen on training data', () => {
    expect(dup!.chosen.threshold).toBe(DUPLICATE_MIN_SCORE[lang]);
    expect(ans!.chosen.threshold).toBe(ANSWER_MIN_SCORE[lang]);
  });

  it('keep precision near the target on held-out data, and find something', () => {
    expect(dup!.heldOut.precision).toBeGreaterThan(DUPLICATE_TARGET_PRECISION - 0.08);
    expect(ans!.heldOut.precision).toBeGreaterThan(ANSWER_TARGET_PRECISION - 0.08);
    expect(dup!.heldOut.recall).toBeGreaterThan(0.1);
    expect(ans!.heldOut.recall).toBeGreaterThan(dup!.heldOut.recall);
  });
});
