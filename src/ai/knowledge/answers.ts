/**
 * Knowledge answers for a question: published entries by default (agents may
 * also see drafts), best first, above the calibrated answer threshold.
 */
import type { KnowledgeEntry } from './knowledge-entry';
import { SimilarityIndex } from './similarity-index';
import { ANSWER_MIN_SCORE, minScoreFor } from './thresholds';

export interface AnswerSuggestion {
  entry: KnowledgeEntry;
  score: number;
}

export interface SuggestAnswersOptions {
  /** Default 3. */
  k?: number;
  /** Default: ANSWER_MIN_SCORE for the text's language. */
  minScore?: number;
  /** Also suggest drafts (for agents). Rejected entries are never suggested. */
  includeDrafts?: boolean;
}

export function knowledgeIndex(entries: readonly KnowledgeEntry[]): SimilarityIndex<KnowledgeEntry> {
  const index = new SimilarityIndex<KnowledgeEntry>();
  for (const e of entries) if (e.status !== 'rejected') index.add(e.id, e.question, e);
  return index;
}

export function suggestAnswers(
  text: string,
  entries: readonly KnowledgeEntry[] | SimilarityIndex<KnowledgeEntry>,
  options: SuggestAnswersOptions = {},
): AnswerSuggestion[] {
  const index = entries instanceof SimilarityIndex ? entries : knowledgeIndex(entries);
  return index
    .search(text, {
      k: options.k ?? 3,
      minScore: options.minScore ?? minScoreFor(text, ANSWER_MIN_SCORE),
      filter: (e) => e.status === 'published' || (options.includeDrafts === true && e.status === 'draft'),
    })
    .map((h) => ({ entry: h.meta, score: Math.round(h.score * 1000) / 1000 }));
}
