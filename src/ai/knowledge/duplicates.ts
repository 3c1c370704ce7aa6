/**
 * Possible duplicates of a new ticket among the open ones. The similarity
 * text is the title plus the start of the description (scores were
 * calibrated on one- or two-sentence texts).
 */
import { SimilarityIndex, type SimilarityHit } from './similarity-index';
import { DUPLICATE_MIN_SCORE, minScoreFor } from './thresholds';

export interface TicketLike {
  id: string;
  key: string;
  title: string;
  description?: string;
}

export interface DuplicateMatch {
  id: string;
  key: string;
  score: number;
}

export const SIMILARITY_DESCRIPTION_CHARS = 280;

export function similarityText(t: { title: string; description?: string }): string {
  const d = (t.description ?? '').trim().slice(0, SIMILARITY_DESCRIPTION_CHARS);
  return d && d !== t.title ? `${t.title}\n${d}` : t.title;
}

export interface FindDuplicatesOptions {
  /** Default 3. */
  k?: number;
  /** Default: DUPLICATE_MIN_SCORE for the text's language. */
  minScore?: number;
  /** The new ticket's own id, never its own duplicate. */
  excludeId?: string;
}

/** Builds an index of open tickets (for callers that keep one between tickets). */
export function openTicketIndex(openTickets: readonly TicketLike[]): SimilarityIndex<TicketLike> {
  const index = new SimilarityIndex<TicketLike>();
  for (const t of openTickets) index.add(t.id, similarityText(t), t);
  return index;
}

export function findDuplicates(
  newTicket: string | { title: string; description?: string },
  openTickets: readonly TicketLike[] | SimilarityIndex<TicketLike>,
  options: FindDuplicatesOptions = {},
): DuplicateMatch[] {
  const text = typeof newTicket === 'string' ? newTicket : similarityText(newTicket);
  const index = openTickets instanceof SimilarityIndex ? openTickets : openTicketIndex(openTickets);
  const hits: Array<SimilarityHit<TicketLike>> = index.search(text, {
    k: options.k ?? 3,
    minScore: options.minScore ?? minScoreFor(text, DUPLICATE_MIN_SCORE),
    ...(options.excludeId !== undefined ? { filter: (_m: TicketLike, id: string) => id !== options.excludeId } : {}),
  });
  return hits.map((h) => ({ id: h.id, key: h.meta.key, score: round(h.score) }));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
