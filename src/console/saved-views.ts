import type { UserRef } from '../domain/ticket/ticket';
import { parseQueueQuery, queueQueryString } from './queue-query';

/** How many views one person may save. */
export const MAX_SAVED_VIEWS = 20;
export const VIEW_NAME_MAX = 60;

/** A queue view a person saved: its name and the queue's filters as a query string. */
export interface SavedView {
  id: string;
  name: string;
  /** The queue's query string (filters and sort, no page), as queueQueryString writes it. */
  query: string;
  createdAt: Date;
}

/** Each person's saved queue views (the console's "my views"), by their messenger identity. */
export interface SavedViewStore {
  /** The person's views, oldest first. */
  list(owner: UserRef): Promise<SavedView[]>;
  /** 'full' when they have MAX_SAVED_VIEWS already, 'taken' when one has this name (case aside). */
  add(owner: UserRef, view: { name: string; query: string }, now: Date): Promise<SavedView | 'full' | 'taken'>;
  /** False when the person has no view with this id (someone else's included). */
  remove(owner: UserRef, id: string): Promise<boolean>;
}

/** A view's name as typed (untrusted): trimmed, control characters and runs of spaces collapsed; null when empty or too long. */
export function viewNameOf(raw: string | null): string | null {
  const name = (raw ?? '')
    .normalize('NFKC')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return name.length > 0 && name.length <= VIEW_NAME_MAX ? name : null;
}

/** The queue filters a view keeps, re-read through the queue's own parser (unknown values dropped) and without a page. */
export function viewQueryOf(raw: string | null): string {
  const params = new URLSearchParams((raw ?? '').slice(0, 2000));
  const out = new URLSearchParams(queueQueryString(parseQueueQuery(params), params));
  out.delete('page');
  return out.toString();
}
