import type { KnowledgeEntry, KnowledgeStatus } from './knowledge-entry';

/** Persistence of knowledge entries. Implemented in src/store. */
export interface KnowledgeStore {
  /** Inserts, or replaces the entry with the same id (a reopened and re-resolved ticket). */
  put(entry: KnowledgeEntry): Promise<void>;
  findById(id: string): Promise<KnowledgeEntry | null>;
  /** Entries in `status` (every status when left out), last changed first, at most `limit`. */
  list(status: KnowledgeStatus | undefined, limit: number): Promise<KnowledgeEntry[]>;
  /** Every entry not rejected (drafts and published), newest first. */
  listActive(limit: number): Promise<KnowledgeEntry[]>;
  /** Entries written at or after `since` (by any process), oldest first. */
  changedSince(since: Date, limit: number): Promise<KnowledgeEntry[]>;
  /** Counts a suggestion (`uses`) or a "this solved it" (`deflections`). */
  count(id: string, field: 'uses' | 'deflections'): Promise<void>;
}
