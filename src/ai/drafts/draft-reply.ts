/**
 * A suggested first reply to a ticket, for an agent to review, grounded in
 * similar resolved tickets and knowledge entries.
 *   - with an LLM: a reply in the requester's language written from the public
 *     parts only (ticket title/description, published answers, public
 *     resolutions); internal notes are accepted in the input types so callers
 *     can pass whole records, and are never put in the prompt;
 *   - without an LLM, or when it fails: a template around the best published
 *     knowledge answer;
 *   - undefined when nothing similar is known (no grounded reply to make).
 * Model output is untrusted: no control characters, no mass mentions, capped.
 */
import type { Logger } from '../../logger';
import type { AnswerSuggestion } from '../knowledge/answers';
import { localeOfText, type KnowledgeLocale } from '../knowledge/knowledge-entry';
import type { LlmChat } from '../llm/chat.port';
import { isLlmError } from '../llm/llm-error';
import { capChars, untrustedText } from '../llm/sanitize';
import { draftSystemPrompt, draftUserPrompt, type PromptReference } from './draft-prompt';

export interface DraftTicket {
  key: string;
  title: string;
  description?: string;
  /** Requester's language; default: guessed from the text. */
  locale?: KnowledgeLocale;
  /** Agents' internal notes: never sent to a model nor put in a draft. */
  internalNotes?: readonly string[];
}

export interface SimilarTicket {
  id: string;
  key: string;
  title: string;
  /** The public resolution (what the requester was told). */
  resolution?: string;
  /** Never used. */
  internalNotes?: readonly string[];
  score: number;
}

export interface DraftSource {
  kind: 'ticket' | 'knowledge';
  id: string;
  key: string;
  score: number;
}

export interface ReplyDraft {
  text: string;
  sources: DraftSource[];
  by: 'llm' | 'template';
}

export interface DraftReplyInput {
  ticket: DraftTicket;
  similar: { tickets: readonly SimilarTicket[]; entries: readonly AnswerSuggestion[] };
  llm?: LlmChat;
  logger?: Logger;
  signal?: AbortSignal;
}

export const MAX_DRAFT_CHARS = 1200;
/** References given to the model, best first. */
export const MAX_REFERENCES = 4;

const TEMPLATE: Record<KnowledgeLocale, (answer: string) => string> = {
  en: (a) => `This answer from our knowledge base may help:\n\n${a}\n\nIf it does not solve the problem, reply here and an agent will follow up.`,
  zh: (a) => `知识库中的这条答案也许能帮到你：\n\n${a}\n\n如果问题仍未解决，请在此回复，客服会跟进。`,
};

export async function draftReply(input: DraftReplyInput): Promise<ReplyDraft | undefined> {
  const { ticket, similar } = input;
  const locale = ticket.locale ?? localeOfText(`${ticket.title} ${ticket.description ?? ''}`);
  const published = similar.entries.filter((s) => s.entry.status === 'published' && s.entry.answer.trim() !== '').sort((a, b) => b.score - a.score);
  const resolvedTickets = similar.tickets.filter((t) => (t.resolution ?? '').trim() !== '').sort((a, b) => b.score - a.score);

  if (input.llm) {
    const refs: Array<PromptReference & { source: DraftSource }> = [
      ...published.map((s) => ({
        kind: 'knowledge' as const,
        key: s.entry.ticketKey,
        question: s.entry.question,
        answer: s.entry.answer,
        source: { kind: 'knowledge' as const, id: s.entry.id, key: s.entry.ticketKey, score: s.score },
      })),
      ...resolvedTickets.map((t) => ({
        kind: 'ticket' as const,
        key: t.key,
        question: t.title,
        answer: t.resolution!,
        source: { kind: 'ticket' as const, id: t.id, key: t.key, score: t.score },
      })),
    ]
      .sort((a, b) => b.source.score - a.source.score)
      .slice(0, MAX_REFERENCES);
    if (refs.length === 0) return undefined;
    try {
      const result = await input.llm.complete({
        system: draftSystemPrompt(locale),
        // Only the public fields are picked: internal notes are not passed on.
        user: draftUserPrompt(
          { title: ticket.title, ...(ticket.description !== undefined ? { description: ticket.description } : {}) },
          refs.map(({ kind, key, question, answer }) => ({ kind, key, question, answer })),
        ),
        maxTokens: 500,
        temperature: 0.2,
        ...(input.signal ? { signal: input.signal } : {}),
      });
      const text = untrustedText(result.content, MAX_DRAFT_CHARS);
      if (text !== '') return { text, sources: refs.map((r) => r.source), by: 'llm' };
    } catch (err) {
      input.logger?.warn({ err, failure: isLlmError(err) ? err.failure : 'error', ticket: ticket.key }, 'LLM reply draft failed; using the knowledge template');
    }
  }

  const best = published[0];
  if (!best) return undefined;
  return {
    text: untrustedText(TEMPLATE[locale](capChars(best.entry.answer, MAX_DRAFT_CHARS - 200)), MAX_DRAFT_CHARS),
    sources: [{ kind: 'knowledge', id: best.entry.id, key: best.entry.ticketKey, score: best.score }],
    by: 'template',
  };
}
