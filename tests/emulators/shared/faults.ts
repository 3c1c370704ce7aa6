/**
 * Per-method queue of injected faults (rate limit, 5xx, slow reply). Each
 * `add` applies to the next `times` calls of that method, FIFO.
 */
export type Fault = { status: 429; retryAfterSec: number } | { status: 500 | 502 | 503 } | { delayMs: number };

export class FaultQueue<F = Fault> {
  private queues = new Map<string, Array<{ fault: F; remaining: number }>>();

  add(key: string, fault: F, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`FaultQueue.add: times must be a positive integer, got ${times}`);
    const q = this.queues.get(key) ?? [];
    q.push({ fault, remaining: times });
    this.queues.set(key, q);
  }

  /** Removes and returns the next fault for `key`, if any. */
  take(key: string): F | undefined {
    const q = this.queues.get(key);
    const head = q?.[0];
    if (!q || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) q.shift();
    if (q.length === 0) this.queues.delete(key);
    return head.fault;
  }

  pending(key?: string): number {
    const count = (q: Array<{ remaining: number }>) => q.reduce((n, e) => n + e.remaining, 0);
    if (key !== undefined) return count(this.queues.get(key) ?? []);
    let n = 0;
    for (const q of this.queues.values()) n += count(q);
    return n;
  }

  clear(): void {
    this.queues.clear();
  }
}
