/**
 * What the live model trains on: the seed taxonomy, the team's examples, or
 * both. Pure; the policy is documented in the README ("Teach the classifier
 * your categories").
 *
 * - Before the team has imported any history, the seed (8 IT/ops categories,
 *   English and Chinese) is the taxonomy and each recategorisation is one more
 *   example on top of it.
 * - Once the team has imported a history and its examples (imported and
 *   recategorised) name at least 2 categories, categories come from the team's
 *   examples only: a team importing "payroll, vpn, badge" gets exactly those,
 *   not a mix with the seed's "network" or "hr".
 * - Priorities follow the same rule on their own: the team's examples alone
 *   once an import exists and they cover at least 2 priorities; otherwise the
 *   seed's priorities (plus any the team gave), e.g. for an import without a
 *   priority column.
 */
import { ChatdeskError } from '../../domain/errors';
import { PRIORITIES, UNKNOWN_CATEGORY, type LabeledExample } from '../classifier.port';
import { MAX_CATEGORY_CHARS } from '../import/labeled-history';
import { ticketText, type TicketExample } from '../offline/ticket-classifier';
import type { ExampleSource } from './training-example.port';

export interface TeamExample extends TicketExample {
  source: ExampleSource;
}

export interface TrainingSet {
  category: LabeledExample[];
  priority: LabeledExample[];
  /** Where the categories come from. */
  taxonomy: 'seed' | 'team';
  /** Where the priorities come from. */
  priorities: 'seed' | 'team' | 'seed+team';
  /** Categories the model can answer, sorted. */
  categories: string[];
  /** The team's examples after replacing by id, by source. */
  team: { imported: number; recategorized: number };
}

/** Throws chatdesk_classifier_input_invalid when an example cannot be learned. */
export function checkExample(example: TicketExample): void {
  ticketText(example);
  if (example.priority !== undefined && example.priority !== null && !(PRIORITIES as readonly string[]).includes(example.priority)) {
    throw new ChatdeskError('chatdesk_classifier_input_invalid', `unknown priority ${String(example.priority).slice(0, 20)} (use P0-P3)`);
  }
  const category = example.category;
  if (category !== undefined && category !== null) {
    if (typeof category !== 'string' || category.trim() === '')
      throw new ChatdeskError('chatdesk_classifier_input_invalid', 'category must be a non-empty string');
    if (category === UNKNOWN_CATEGORY) throw new ChatdeskError('chatdesk_classifier_input_invalid', `"${UNKNOWN_CATEGORY}" is not a category to learn`);
    if (category.length > MAX_CATEGORY_CHARS || /[\p{C}]/u.test(category)) {
      throw new ChatdeskError('chatdesk_classifier_input_invalid', `category is longer than ${MAX_CATEGORY_CHARS} characters or has control characters`);
    }
  }
  if (!category && !example.priority) throw new ChatdeskError('chatdesk_classifier_input_invalid', 'an example needs a category or a priority');
  if (example.id !== undefined && example.id !== null && (typeof example.id !== 'string' || example.id === '')) {
    throw new ChatdeskError('chatdesk_classifier_input_invalid', 'example id must be a non-empty string when given');
  }
}

/** Applies "a later example with the same id replaces the earlier one"; order: anonymous first, then by last write (like LearningTicketClassifier). */
export function latestById<T extends TicketExample>(examples: readonly T[]): T[] {
  const byId = new Map<string, T>();
  const anonymous: T[] = [];
  for (const e of examples) {
    if (e.id) {
      byId.delete(e.id);
      byId.set(e.id, e);
    } else anonymous.push(e);
  }
  return [...anonymous, ...byId.values()];
}

export function buildTrainingSet(seed: readonly TicketExample[], stored: readonly TeamExample[]): TrainingSet {
  const team = latestById(stored);
  const imported = team.filter((e) => e.source === 'imported').length;
  const hasImport = imported > 0;
  const teamCategory = team.filter((e) => e.category).map((e) => ({ text: ticketText(e), label: e.category! }));
  const teamPriority = team.filter((e) => e.priority).map((e) => ({ text: ticketText(e), label: e.priority! }));
  const seedCategory = seed.filter((e) => e.category).map((e) => ({ text: ticketText(e), label: e.category! }));
  const seedPriority = seed.filter((e) => e.priority).map((e) => ({ text: ticketText(e), label: e.priority! }));

  const teamOnlyCategories = hasImport && distinct(teamCategory) >= 2;
  const teamOnlyPriorities = hasImport && distinct(teamPriority) >= 2;
  const category = teamOnlyCategories ? teamCategory : [...seedCategory, ...teamCategory];
  const priority = teamOnlyPriorities ? teamPriority : [...seedPriority, ...teamPriority];
  return {
    category,
    priority,
    taxonomy: teamOnlyCategories ? 'team' : 'seed',
    priorities: teamOnlyPriorities ? 'team' : teamPriority.length > 0 ? 'seed+team' : 'seed',
    categories: [...new Set(category.map((e) => e.label))].sort(),
    team: { imported, recategorized: team.length - imported },
  };
}

function distinct(examples: readonly LabeledExample[]): number {
  return new Set(examples.map((e) => e.label)).size;
}
