/**
 * Reading "what changed since t" as equality lookups, one per second.
 *
 * A range read (`updatedAt >= t`, sorted) is an index range on MongoDB, but
 * FerretDB 1.24 pushes neither ranges nor sorts down to its backend: it decodes
 * every document of the collection in Go. Measured on the embedded database
 * (PostgreSQL backend), 3,000 tickets: the range read took 262 ms, a lookup by
 * an indexed equality 1.5-3.6 ms, and the range read grows with the history.
 * Writers store the second of their change (`updatedSec`); a reader that looks
 * a few seconds back reads each second by equality, so its cost follows the
 * number of changes, not the size of the collection. Spans longer than
 * MAX_SLOT_SPAN_S (a reader that fell far behind) use the range read.
 */
import { mapLimit } from '../core/map-limit';

export const MAX_SLOT_SPAN_S = 120;

/** The epoch second of a date (what writers store beside `updatedAt`). */
export const secondOf = (at: Date): number => Math.floor(at.getTime() / 1000);

/**
 * Rows changed at or after `since`, oldest first, at most `limit`: by one
 * equality lookup per second up to `now` (4 at a time), or by `range` when
 * the span is too long.
 */
export async function changedSinceBySecond<R extends { updatedAt: Date }>(
  since: Date,
  now: Date,
  limit: number,
  bySecond: (second: number) => Promise<R[]>,
  range: () => Promise<R[]>,
): Promise<R[]> {
  const from = secondOf(since);
  const to = secondOf(now) + 1; // a writer's clock a little ahead
  if (to - from > MAX_SLOT_SPAN_S) return range();
  const seconds = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const rows = (await mapLimit(seconds, 4, bySecond)).flat();
  return rows
    .filter((r) => r.updatedAt.getTime() >= since.getTime())
    .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
    .slice(0, limit);
}
