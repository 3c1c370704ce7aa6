/**
 * LLM triage: asks a chat model for the category (one of the configured ids
 * or `triage`) and priority of one ticket. Throws an LlmError on any failure
 * (timeout, 429, 5xx, truncated or malformed answer); wrap it in a
 * FallbackTicketClassifier so a ticket is always classified.
 */
import { UNKNOWN_CATEGORY, type TicketClassification, type TicketClassifier } from '../classifier.port';
import { ticketText } from '../offline/ticket-classifier';
import type { LlmChat } from './chat.port';
import { LlmError } from './llm-error';
import { MAX_LLM_REASON_CHARS, parseTriageAnswer, triageJsonSchema } from './triage-output';
import { triageSystemPrompt, triageUserPrompt, type TriageCategory } from './triage-prompt';
import { capChars } from './sanitize';

export interface LlmTicketClassifierOptions {
  chat: LlmChat;
  /** Allowed categories (a function is read on every call, so configuration reloads apply). */
  categories: readonly TriageCategory[] | (() => readonly TriageCategory[]);
  /** 'json_schema' (default, strict structured output) or 'json_object' for endpoints without schemas. */
  responseFormat?: 'json_schema' | 'json_object';
  /** Below this confidence the category becomes `triage`. Default: keep the model's answer. */
  abstainBelow?: number;
  /** Output token limit; default 300 (the answer is ~60 tokens). */
  maxOutputTokens?: number;
}

export class LlmTicketClassifier implements TicketClassifier {
  private readonly options: LlmTicketClassifierOptions;

  constructor(options: LlmTicketClassifierOptions) {
    this.options = options;
  }

  async classify(input: { title: string; description?: string }, call: { signal?: AbortSignal } = {}): Promise<TicketClassification> {
    ticketText(input); // same input checks as the offline classifier
    const categories = typeof this.options.categories === 'function' ? this.options.categories() : this.options.categories;
    const ids = categories.map((c) => c.id).filter((id) => id !== UNKNOWN_CATEGORY);
    if (ids.length === 0) throw new LlmError('malformed', 'no categories configured for LLM triage');
    const schemaMode = (this.options.responseFormat ?? 'json_schema') === 'json_schema';
    const result = await this.options.chat.complete({
      system: triageSystemPrompt(categories),
      user: triageUserPrompt(input),
      maxTokens: this.options.maxOutputTokens ?? 300,
      ...(schemaMode ? { jsonSchema: triageJsonSchema(ids) } : { json: true }),
      ...(call.signal ? { signal: call.signal } : {}),
    });
    const answer = parseTriageAnswer(result.content, ids);
    const abstain = this.options.abstainBelow !== undefined && answer.confidence < this.options.abstainBelow;
    const category = abstain ? UNKNOWN_CATEGORY : answer.category;
    const reason = abstain ? `not sure (${answer.confidence.toFixed(2)}): ${answer.reason}` : answer.reason;
    return {
      category,
      categoryConfidence: answer.confidence,
      priority: answer.priority,
      priorityConfidence: answer.confidence,
      reason: capChars(reason, MAX_LLM_REASON_CHARS),
      source: 'llm',
    };
  }
}
