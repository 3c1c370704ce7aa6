/**
 * How long to wait before attempt `attempt + 1` of an inbound request:
 * exponential from 1 s, capped at 30 s, with ±20% jitter so replicas do not
 * retry in step; a platform's Retry-After (carried by a rate-limit error as
 * `details.retryAfterMs`) is honoured when it is longer.
 */
export function retryDelayMs(attempt: number, err?: unknown, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  const details = (err as { details?: { retryAfterMs?: unknown } } | undefined)?.details;
  const retryAfter = typeof details?.retryAfterMs === 'number' && Number.isFinite(details.retryAfterMs) ? Math.min(details.retryAfterMs, 300_000) : 0;
  return Math.max(jittered, retryAfter);
}
