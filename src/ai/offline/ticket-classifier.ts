/**
 * Ticket-level classifier on top of two OfflineTextClassifiers (category and
 * priority). Below `abstainBelow` category confidence the ticket goes to
 * UNKNOWN_CATEGORY (the triage queue): "I don't know" beats a wrong guess.
 */
import { ChatdeskError } from '../../domain/errors';
import { PRIORITIES, UNKNOWN_CATEGORY, type LabeledExample, type Priority, type TicketClassification, type TicketClassifier } from '../classifier.port';
import { OfflineTextClassifier, type TextClassifierOptions } from './text-classifier';

export interface OfflineTicketClassifierOptions {
  categoryModel: OfflineTextClassifier;
  priorityModel: OfflineTextClassifier;
  /** Category confidence below this → UNKNOWN_CATEGORY. Default 0.5. */
  abstainBelow?: number;
}

export const DEFAULT_ABSTAIN_BELOW = 0.5;
const MAX_REASON_CHARS = 200;
const MAX_TERM_CHARS = 24;
const MAX_LABEL_CHARS = 40;

/** Text the models see for a ticket. */
export function ticketText(input: { title: string; description?: string }): string {
  if (!input || typeof input.title !== 'string') {
    throw new ChatdeskError('chatdesk_classifier_input_invalid', 'ticket title must be a string');
  }
  if (input.description !== undefined && input.description !== null && typeof input.description !== 'string') {
    throw new ChatdeskError('chatdesk_classifier_input_invalid', 'ticket description must be a string when given');
  }
  const text = input.description ? `${input.title}\n${input.description}` : input.title;
  if (text.trim() === '') throw new ChatdeskError('chatdesk_classifier_input_invalid', 'ticket has neither title nor description text');
  return text;
}

export class OfflineTicketClassifier implements TicketClassifier {
  readonly categoryModel: OfflineTextClassifier;
  readonly priorityModel: OfflineTextClassifier;
  readonly abstainBelow: number;

  constructor(options: OfflineTicketClassifierOptions) {
    if (!options?.categoryModel || !options.priorityModel) {
      throw new ChatdeskError('chatdesk_classifier_untrained', 'offline ticket classifier needs a trained category model and priority model');
    }
    const bad = options.priorityModel.labels.filter((l) => !(PRIORITIES as readonly string[]).includes(l));
    if (bad.length > 0) {
      throw new ChatdeskError('chatdesk_classifier_input_invalid', `priority model has labels that are not priorities: ${bad.join(', ')}`, { labels: bad });
    }
    const abstainBelow = options.abstainBelow ?? DEFAULT_ABSTAIN_BELOW;
    if (!(abstainBelow >= 0 && abstainBelow <= 1)) {
      throw new ChatdeskError('chatdesk_classifier_input_invalid', `abstainBelow must be between 0 and 1, got ${abstainBelow}`);
    }
    this.categoryModel = options.categoryModel;
    this.priorityModel = options.priorityModel;
    this.abstainBelow = abstainBelow;
  }

  classify(input: { title: string; description?: string }): Promise<TicketClassification> {
    try {
      return Promise.resolve(this.classifySync(input));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  classifySync(input: { title: string; description?: string }): TicketClassification {
    const text = ticketText(input);
    const cat = this.categoryModel.predict(text);
    const pri = this.priorityModel.predict(text);
    const abstain = cat.confidence < this.abstainBelow;
    const terms = this.categoryModel.explain(text, cat.label, 3);
    const category = abstain ? UNKNOWN_CATEGORY : cat.label;
    const shownTerms = terms.map((t) => `"${plain(t.term, MAX_TERM_CHARS)}"`).join(', ');
    let reason: string;
    if (abstain) {
      reason =
        terms.length > 0
          ? `not sure: best guess ${plain(cat.label, MAX_LABEL_CHARS)} (${fmt(cat.confidence)} < ${fmt(this.abstainBelow)}) from ${shownTerms} → ${UNKNOWN_CATEGORY}`
          : `no known terms → ${UNKNOWN_CATEGORY}`;
    } else {
      reason = `${terms.length > 0 ? `matched ${shownTerms}` : 'weak match'} → ${plain(cat.label, MAX_LABEL_CHARS)} (${fmt(cat.confidence)})`;
    }
    reason += `; priority ${pri.label} (${fmt(pri.confidence)})`;
    return {
      category,
      categoryConfidence: cat.confidence,
      priority: pri.label as Priority,
      priorityConfidence: pri.confidence,
      reason: capLength(reason, MAX_REASON_CHARS),
      source: 'offline',
    };
  }
}

export function createOfflineTicketClassifier(options: OfflineTicketClassifierOptions): OfflineTicketClassifier {
  return new OfflineTicketClassifier(options);
}

/** A labelled ticket; either label may be missing (e.g. only recategorised). */
export interface TicketExample {
  /** Stable id (e.g. the ticket id): a later example with the same id replaces the earlier one. */
  id?: string;
  title: string;
  description?: string;
  category?: string;
  priority?: Priority;
}

export interface LearningTicketClassifierOptions {
  abstainBelow?: number;
  model?: Partial<TextClassifierOptions>;
}

/**
 * Learns from new labelled tickets (an agent recategorises a ticket) by
 * retraining both models from the full example set — simple, deterministic
 * and exact. Retraining is lazy: it happens on the next classify()/retrain().
 */
export class LearningTicketClassifier implements TicketClassifier {
  private readonly byId = new Map<string, TicketExample>();
  private readonly anonymous: TicketExample[] = [];
  private current: OfflineTicketClassifier | undefined;
  private dirty = true;
  private readonly options: LearningTicketClassifierOptions;
  /** Duration of the last retraining, in milliseconds. */
  lastTrainingMs = 0;

  constructor(examples: readonly TicketExample[], options: LearningTicketClassifierOptions = {}) {
    this.options = options;
    for (const e of examples) this.add(e);
  }

  private add(example: TicketExample): void {
    ticketText(example);
    if (example.priority !== undefined && !(PRIORITIES as readonly string[]).includes(example.priority)) {
      throw new ChatdeskError('chatdesk_classifier_input_invalid', `unknown priority ${String(example.priority)}`);
    }
    if (example.category === UNKNOWN_CATEGORY) {
      throw new ChatdeskError('chatdesk_classifier_input_invalid', `"${UNKNOWN_CATEGORY}" is not a category to learn`);
    }
    if (example.id !== undefined) {
      this.byId.delete(example.id); // re-insert at the end: order stays deterministic
      this.byId.set(example.id, { ...example });
    } else {
      this.anonymous.push({ ...example });
    }
    this.dirty = true;
  }

  /** Adds (or, with the same id, replaces) a labelled example. */
  learn(example: TicketExample): void {
    this.add(example);
  }

  get examples(): readonly TicketExample[] {
    return [...this.anonymous, ...this.byId.values()];
  }

  /** Retrains now (otherwise done lazily) and returns the trained classifier. */
  retrain(): OfflineTicketClassifier {
    const all = this.examples;
    const cat: LabeledExample[] = [];
    const pri: LabeledExample[] = [];
    for (const e of all) {
      const text = ticketText(e);
      if (e.category) cat.push({ text, label: e.category });
      if (e.priority) pri.push({ text, label: e.priority });
    }
    if (new Set(cat.map((e) => e.label)).size < 2 || new Set(pri.map((e) => e.label)).size < 2) {
      throw new ChatdeskError('chatdesk_classifier_untrained', 'need labelled examples of at least 2 categories and 2 priorities to train');
    }
    const t0 = performance.now();
    const categoryModel = OfflineTextClassifier.train(cat, this.options.model);
    const priorityModel = OfflineTextClassifier.train(pri, this.options.model);
    this.lastTrainingMs = performance.now() - t0;
    this.current = new OfflineTicketClassifier({ categoryModel, priorityModel, abstainBelow: this.options.abstainBelow });
    this.dirty = false;
    return this.current;
  }

  get classifier(): OfflineTicketClassifier {
    return this.dirty || !this.current ? this.retrain() : this.current;
  }

  classify(input: { title: string; description?: string }): Promise<TicketClassification> {
    try {
      return this.classifier.classify(input);
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

/** Plain-text rendering of user- or config-supplied text: no control characters, no markup characters. */
export function plain(s: string, max: number): string {
  const cleaned = s
    .normalize('NFKC')
    .replace(/[\p{C}]/gu, ' ')
    .replace(/[<>&*~`|[\]{}()#\\"'!@:]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return capLength(cleaned, max);
}

function capLength(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

function fmt(x: number): string {
  return x.toFixed(2);
}
