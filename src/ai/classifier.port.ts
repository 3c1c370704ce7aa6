/**
 * Ports for ticket classification. The core depends only on these types;
 * the offline model (src/ai/offline) and, later, the LLM triage implement them.
 */
export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Label used when the model is not confident enough: the ticket goes to triage. */
export const UNKNOWN_CATEGORY = 'triage';

export interface LabeledExample {
  text: string;
  label: string;
}

export interface LabelPrediction {
  label: string;
  /** Calibrated-ish probability of `label`, 0..1. */
  confidence: number;
  /** Top labels with their scores, best first. */
  ranking: ReadonlyArray<{ label: string; score: number }>;
}

/** A trainable single-label text classifier (one for category, one for priority). */
export interface TextClassifier {
  readonly labels: readonly string[];
  predict(text: string): LabelPrediction;
}

export interface TicketClassification {
  /** A configured category, or UNKNOWN_CATEGORY when the model abstains. */
  category: string;
  categoryConfidence: number;
  priority: Priority;
  priorityConfidence: number;
  /** One line, for agents: why this category/priority. */
  reason: string;
  source: 'offline' | 'llm';
}

export interface TicketClassifier {
  classify(input: { title: string; description?: string }): Promise<TicketClassification>;
}
