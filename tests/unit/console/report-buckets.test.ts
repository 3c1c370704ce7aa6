/** The reports' time histograms: how wide a bucket is, and what a percentile read from them gives. */
import { bucketOf } from '../../../src/console/report-contribution';
import { timing } from '../../../src/console/report-service';

/** Nearest-rank percentile of exact values, as the reports computed it from tickets. */
const exact = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * values.length) - 1)]!;

function histogram(values: number[]) {
  const counts = new Map<number, number>();
  const sums = new Map<number, number>();
  for (const v of values) {
    counts.set(bucketOf(v), (counts.get(bucketOf(v)) ?? 0) + 1);
    sums.set(bucketOf(v), (sums.get(bucketOf(v)) ?? 0) + v);
  }
  return timing(counts, sums);
}

describe('report time buckets', () => {
  it('keeps every minute below an hour apart, and above it no bucket wider than 4.4%', () => {
    expect(Array.from({ length: 60 }, (_, m) => bucketOf(m + 0.5))).toEqual(Array.from({ length: 60 }, (_, m) => m));
    // A time 4.44% longer than any other (from an hour to a year) is always in a later bucket.
    for (let m = 60; m < 525_600; m *= 1.01) expect(bucketOf(m * 1.0444)).toBeGreaterThan(bucketOf(m));
  });

  it('gives the exact percentile when the ranked time is alone in its bucket, else one within its bucket', () => {
    expect(histogram([30, 60, 180, 1005])).toEqual({ p50: 60, p90: 1005, n: 4 });
    expect(histogram([])).toEqual({ p50: null, p90: null, n: 0 });
    // 200 resolution times from 1 h to 3 days: each percentile within 4.4% of the exact one.
    const values = Array.from({ length: 200 }, (_, i) => 60 + ((i * 7919) % 4260));
    const t = histogram(values);
    for (const [p, got] of [
      [50, t.p50!],
      [90, t.p90!],
    ] as const) {
      expect(Math.abs(got - exact(values, p)) / exact(values, p)).toBeLessThan(0.044);
    }
  });
});
