/**
 * Knowledge entries: a question and its answer, first drafted from a resolved
 * ticket, published by an agent, then suggested to requesters and agents.
 *
 * `knowledgeFromResolvedTicket` is pure and needs no LLM. The answer comes
 * from the resolution note only, with internal parts removed: lines starting
 * with `internal:` / `[internal]` / `//` / `内部:` and blocks between
 * `[internal]` and `[/internal]`. Ticket activity notes are never read. Both
 * question and answer lose personal details (e-mail addresses, phone numbers,
 * chat mentions) and mass mentions, since a published entry is shown to other people.
 */
import { ChatdeskError } from '../../domain/errors';
import type { Ticket } from '../../domain/ticket/ticket';
import { capChars, stripControl, stripMassMentions } from '../llm/sanitize';

export const KNOWLEDGE_STATUSES = ['draft', 'published', 'rejected'] as const;
export type KnowledgeStatus = (typeof KNOWLEDGE_STATUSES)[number];
export type KnowledgeLocale = 'en' | 'zh';

export interface KnowledgeEntry {
  id: string;
  /** The ticket it was drafted from, e.g. T-1042. */
  ticketKey: string;
  question: string;
  answer: string;
  category: string;
  status: KnowledgeStatus;
  locale: KnowledgeLocale;
  createdAt: Date;
  updatedAt: Date;
  /** Times it was suggested. */
  uses: number;
  /** Times a requester said it solved the problem (no ticket needed). */
  deflections: number;
}

export const MAX_QUESTION_CHARS = 500;
export const MAX_ANSWER_CHARS = 3000;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function localeOfText(text: string): KnowledgeLocale {
  return CJK.test(text) ? 'zh' : 'en';
}

/** Removes internal notes (see the module comment). */
export function stripInternalNotes(note: string): string {
  return stripControl(note)
    .replace(/(?<=^|\n)[ \t]*\[internal\][\s\S]*?(?:\[\/internal\][ \t]*(?:\n|$)|$)/gi, '')
    .replace(/\[internal\][\s\S]*?(?:\[\/internal\]|$)/gi, '')
    .split('\n')
    .filter((line) => !/^\s*(?:internal\s*[:：]|\[internal\]|\/\/|内部\s*[:：]|内部备注)/i.test(line))
    .join('\n');
}

/** Removes e-mail addresses, phone numbers and chat user mentions. */
export function redactPersonal(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]')
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, '[user]')
    .replace(/<at\b[^>]*>[^<]*<\/at>/gi, '[user]')
    .replace(/(?<![\w-])\+?\d[\d ()-]{7,}\d(?![\w-])/g, '[phone]');
}

function publicText(text: string, max: number): string {
  const cleaned = redactPersonal(stripMassMentions(text))
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return capChars(cleaned, max);
}

export interface FromTicketOptions {
  now: Date;
  /** Default `kb-<ticket id>`. */
  id?: string;
}

/**
 * A draft entry from a resolved (or closed) ticket; undefined when nothing
 * public is left of the resolution note.
 */
export function knowledgeFromResolvedTicket(
  ticket: Pick<Ticket, 'id' | 'key' | 'title' | 'description' | 'category' | 'status'>,
  resolutionNote: string,
  options: FromTicketOptions,
): KnowledgeEntry | undefined {
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
    throw new ChatdeskError('chatdesk_ticket_invalid', `ticket ${ticket.key} is ${ticket.status}; only resolved tickets become knowledge`, { key: ticket.key });
  }
  const answer = publicText(stripInternalNotes(resolutionNote ?? ''), MAX_ANSWER_CHARS);
  if (answer === '') return undefined;
  const description = stripControl(ticket.description ?? '').trim();
  const question = publicText(description && description !== ticket.title ? `${ticket.title}\n${description}` : ticket.title, MAX_QUESTION_CHARS);
  return {
    id: options.id ?? `kb-${ticket.id}`,
    ticketKey: ticket.key,
    question,
    answer,
    category: ticket.category,
    status: 'draft',
    locale: localeOfText(`${ticket.title} ${answer}`),
    createdAt: options.now,
    updatedAt: options.now,
    uses: 0,
    deflections: 0,
  };
}
