import { createHash } from 'node:crypto';
import { ApiError } from './api-errors';
import type { TicketSort } from './ticket-search.port';

/**
 * The opaque `cursor` of GET /api/v1/tickets: where the previous page ended
 * (sort value and ticket number), bound to the sort and filters it was made
 * for, base64url JSON. A cursor used with other filters, or edited, is a 400.
 */
export function filtersDigest(query: Record<string, unknown>): string {
  const { cursor: _c, limit: _l, ...filters } = query;
  const canonical = JSON.stringify(
    Object.keys(filters)
      .sort()
      .map((k) => [k, filters[k]]),
  );
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

export function encodeCursor(sort: TicketSort, at: Date, number: number, digest: string): string {
  return Buffer.from(JSON.stringify({ s: sort, a: at.getTime(), n: number, f: digest })).toString('base64url');
}

export function decodeCursor(cursor: string, sort: TicketSort, digest: string): { at: Date; number: number } {
  const bad = (why: string) => new ApiError(400, 'api_invalid_cursor', `cursor is not valid: ${why}`, { cursor: why });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad('not a cursor this API returned');
  }
  const c = parsed as { s?: unknown; a?: unknown; n?: unknown; f?: unknown } | null;
  if (!c || typeof c !== 'object' || typeof c.a !== 'number' || !Number.isSafeInteger(c.a) || typeof c.n !== 'number' || !Number.isSafeInteger(c.n))
    throw bad('not a cursor this API returned');
  if (c.s !== sort || c.f !== digest) throw bad('it was made for another sort or other filters');
  return { at: new Date(c.a), number: c.n };
}
