/**
 * A token bucket per API token, in this process: `perMinute` requests a
 * minute on average, bursts up to the same number. Kept by hand (a dozen
 * lines) rather than @fastify/rate-limit, because it is keyed by the
 * authenticated token, which is known only after our own auth hook.
 * Several replicas each allow the rate (documented in the README).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** 0 when the request may go now, else the seconds until it may. */
  take(key: string): number {
    const now = this.clock();
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }
}
