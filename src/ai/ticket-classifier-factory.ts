import type { DeskConfig } from '../config/desk-config.schema';
import type { OpenAiConfig } from '../config/platforms/openai.env';
import type { Logger } from '../logger';
import type { TicketClassifier } from './classifier.port';
import { FallbackTicketClassifier } from './llm/fallback-classifier';
import { LlmTicketClassifier } from './llm/llm-ticket-classifier';
import { OpenAiChat } from './llm/openai-chat';
import { triageCategoriesFromDesk } from './llm/triage-prompt';

/** The LLM gets at most this long before the offline answer is used (below the core's 2 s classify deadline). */
export const LLM_TRIAGE_BUDGET_MS = 1500;

/**
 * The classifier a running desk uses: the offline model alone, or — with an
 * OpenAI-compatible endpoint configured — the LLM first and the offline model
 * whenever the LLM is slow, fails, or answers outside the allowed sets.
 */
export function ticketClassifierFor(opts: { desk: DeskConfig; offline: TicketClassifier; openai?: OpenAiConfig; logger: Logger }): TicketClassifier {
  if (!opts.openai) return opts.offline;
  const llm = new LlmTicketClassifier({
    chat: new OpenAiChat(opts.openai, { logger: opts.logger }),
    categories: triageCategoriesFromDesk(opts.desk),
    abstainBelow: opts.desk.abstainBelow,
  });
  return new FallbackTicketClassifier(llm, opts.offline, opts.logger, { primaryTimeoutMs: Math.min(opts.openai.timeoutMs, LLM_TRIAGE_BUDGET_MS) });
}
