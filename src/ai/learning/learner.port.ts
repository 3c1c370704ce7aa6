import type { TicketExample } from '../offline/ticket-classifier';

/**
 * Teaches the offline classifier the team's own taxonomy. The example is
 * stored before the promise resolves (never lost); the model retrains in the
 * background. An example's `id` replaces an earlier example with the same id
 * (e.g. a ticket recategorised twice counts once, with its latest category).
 */
export interface TaxonomyLearner {
  learn(example: TicketExample, source: 'recategorized' | 'imported'): Promise<void>;
}
