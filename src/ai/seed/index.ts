/**
 * Default seed taxonomy: a hand-written set of help-desk tickets in English and
 * Chinese (./seed-tickets.json, one example per line) for 8 IT/ops categories
 * and priorities P0–P3, so that a fresh install classifies something sensible
 * before the team imports its own history.
 *
 * The data is a .json file (not .jsonl) so that `tsc` copies it into dist via
 * resolveJsonModule; it is still one example per line.
 */
import type { LabeledExample, Priority } from '../classifier.port';
import { OfflineTextClassifier, type TextClassifierOptions } from '../offline/text-classifier';
import { OfflineTicketClassifier, type TicketExample } from '../offline/ticket-classifier';
import seedRows from './seed-tickets.json';

export interface SeedRow {
  text: string;
  /** Absent for priority-only examples. */
  category?: string;
  priority: Priority;
  lang: 'en' | 'zh';
}

export const SEED_CATEGORIES = ['access', 'hardware', 'software', 'network', 'email', 'security', 'facilities', 'hr'] as const;

/** Abstention threshold of the seed classifier: a round default (not fitted); teams can tune it with `report --threshold` on their own data. */
export const SEED_ABSTAIN_BELOW = 0.5;

export function seedRowsAll(): readonly SeedRow[] {
  return seedRows as SeedRow[];
}

export function seedCategoryExamples(): LabeledExample[] {
  return seedRowsAll()
    .filter((r) => r.category !== undefined)
    .map((r) => ({ text: r.text, label: r.category! }));
}

export function seedPriorityExamples(): LabeledExample[] {
  return seedRowsAll().map((r) => ({ text: r.text, label: r.priority }));
}

/** Seed rows as ticket examples (e.g. to start a LearningTicketClassifier from the seed). */
export function seedTicketExamples(): TicketExample[] {
  return seedRowsAll().map((r) => ({ title: r.text, ...(r.category ? { category: r.category } : {}), priority: r.priority }));
}

let cached: { category: OfflineTextClassifier; priority: OfflineTextClassifier } | undefined;

/** Category and priority models trained on the seed data (trained once, then cached in memory). */
export function loadSeedModels(options: Partial<TextClassifierOptions> = {}): { category: OfflineTextClassifier; priority: OfflineTextClassifier } {
  const useCache = Object.keys(options).length === 0;
  if (useCache && cached) return cached;
  const models = {
    category: OfflineTextClassifier.train(seedCategoryExamples(), options),
    priority: OfflineTextClassifier.train(seedPriorityExamples(), options),
  };
  if (useCache) cached = models;
  return models;
}

/** Ticket classifier for a fresh install, trained from the seed (cached). */
export function loadSeedClassifier(options: { abstainBelow?: number } = {}): OfflineTicketClassifier {
  const { category, priority } = loadSeedModels();
  return new OfflineTicketClassifier({ categoryModel: category, priorityModel: priority, abstainBelow: options.abstainBelow ?? SEED_ABSTAIN_BELOW });
}
