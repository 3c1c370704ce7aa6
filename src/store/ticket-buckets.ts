/**
 * Buckets the REST API's ticket list reads by equality (see ticket-search.ts).
 *
 * FerretDB 1.24 hands only equality filters to PostgreSQL; a sort or a range
 * decodes the whole collection in Go (262 ms at 3,000 tickets, seconds at
 * 100k). So each ticket stores two bucket numbers, each read with one indexed
 * equality lookup:
 * - `numberBlock`: its number / NUMBER_BLOCK. Numbers are handed out as
 *   tickets are opened, so blocks read from the highest down are newest-first
 *   creation order, and a block never holds more than NUMBER_BLOCK tickets
 *   however long the history.
 * - `updatedHour`: the hour (epoch) of its last change, rewritten with it.
 *   An hour holds what the desk changed in it: its activity, not its history.
 */
export const NUMBER_BLOCK = 100;
export const HOUR_MS = 3_600_000;

export const numberBlockOf = (number: number): number => Math.floor(number / NUMBER_BLOCK);
export const hourOf = (at: Date): number => Math.floor(at.getTime() / HOUR_MS);

/** `platform:id`, stored beside the requester and assignee for equality lookups (null: nobody). */
export const personKey = (u: { platform: string; id: string } | null | undefined): string | null => (u ? `${u.platform}:${u.id}` : null);
