/**
 * Minimum similarity scores, chosen with ./calibration on training data only
 * (English: Banking77 train, 80/20 content-hash split; Chinese: SMP-ECDT
 * train, nested 80/20 split) and reported on held-out data in the issue-5
 * report (`node dist/bench/classifier.bench.js --knowledge` prints them again):
 *   - duplicates: the lowest score whose training precision reached 0.90
 *     (a wrong "duplicate of T-…" link annoys; missing one costs little);
 *   - answers: the lowest score whose training precision reached 0.80
 *     (a suggestion is only a suggestion).
 * Chinese texts score lower (no character n-gram block), hence per-language values.
 * tests/unit/ai/knowledge/calibration.test.ts re-runs the choice and fails if these drift.
 */
import { localeOfText, type KnowledgeLocale } from './knowledge-entry';

export const DUPLICATE_MIN_SCORE: Readonly<Record<KnowledgeLocale, number>> = { en: 0.71, zh: 0.52 };
export const ANSWER_MIN_SCORE: Readonly<Record<KnowledgeLocale, number>> = { en: 0.62, zh: 0.47 };

export const DUPLICATE_TARGET_PRECISION = 0.9;
export const ANSWER_TARGET_PRECISION = 0.8;

/** The threshold for a query text (Chinese when it has CJK characters). */
export function minScoreFor(text: string, thresholds: Readonly<Record<KnowledgeLocale, number>>): number {
  return thresholds[localeOfText(text)];
}
