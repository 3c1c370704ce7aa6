/**
 * Where the team's labelled examples live (imported history and agents'
 * recategorisations). The MongoDB implementation is in
 * src/store/training-example.repository.ts.
 */
import type { TicketExample } from '../offline/ticket-classifier';

export type ExampleSource = 'recategorized' | 'imported';

export interface StoredExample extends TicketExample {
  source: ExampleSource;
  /** Import batch the example came with (imported examples only). */
  batchId?: string;
  createdAt: Date;
}

export interface ImportBatchInfo {
  batchId: string;
  /** Data rows in the file (blank lines not counted). */
  rows: number;
  examples: number;
  categories: Record<string, number>;
  priorities: Record<string, number>;
}

export interface TrainingExampleStore {
  /** Stores one example; resolves once it is written. */
  add(example: TicketExample, source: ExampleSource): Promise<void>;
  /**
   * Stores a whole import: the examples are only ever used once the batch is
   * complete (a batch interrupted half-way is never trained on, and is purged).
   */
  addBatch(examples: readonly TicketExample[], info: ImportBatchInfo): Promise<void>;
  /** Every usable example, oldest first (a later one with the same id replaces an earlier one). */
  loadAll(): Promise<StoredExample[]>;
  /** Changes whenever an example or a batch is added (or removed) by any process. Cheap. */
  fingerprint(): Promise<string>;
}
