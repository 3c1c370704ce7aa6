import { type AnswerSuggestion, suggestAnswers } from '../../ai/knowledge/answers';
import {
  knowledgeFromResolvedTicket,
  type KnowledgeEntry,
  type KnowledgeStatus,
  MAX_ANSWER_CHARS,
  MAX_QUESTION_CHARS,
  redactPersonal,
} from '../../ai/knowledge/knowledge-entry';
import type { KnowledgeStore } from '../../ai/knowledge/knowledge-store.port';
import { SimilarityIndex } from '../../ai/knowledge/similarity-index';
import { capChars, stripControl, stripMassMentions } from '../../ai/llm/sanitize';
import type { Ticket } from '../../domain/ticket/ticket';
import type { Logger } from '../../logger';

/** Untrusted text as a published entry may show it: no control characters, mass mentions or personal details. */
const publicText = (text: string, max: number) => capChars(redactPersonal(stripMassMentions(stripControl(text))).trim(), max);

/** At most this many entries are kept searchable in memory (newest first at load). */
export const KNOWLEDGE_INDEX_LIMIT = 20_000;

/**
 * The knowledge base a running desk answers from: entries in the store, and
 * an in-memory similarity index over the ones not rejected (loaded at start,
 * kept current by this process's own changes and, through IndexFollower, by
 * those of other processes).
 */
export class KnowledgeBase {
  private readonly index = new SimilarityIndex<KnowledgeEntry>();

  constructor(
    private readonly store: KnowledgeStore,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<number> {
    const entries = await this.store.listActive(KNOWLEDGE_INDEX_LIMIT);
    for (const e of entries) this.index.add(e.id, e.question, e);
    return entries.length;
  }

  /** Published answers for a question, best first, above the calibrated answer threshold. */
  suggest(text: string, k = 3): AnswerSuggestion[] {
    return suggestAnswers(text, this.index, { k });
  }

  get(id: string): Promise<KnowledgeEntry | null> {
    return this.store.findById(id);
  }

  /**
   * Turns a resolved ticket into a published entry (agents can edit or reject
   * it). The resolution is the resolve note or, without one, the last reply
   * the requester received. Undefined when nothing public is left of it.
   */
  async fromResolved(ticket: Ticket, now: Date, status: 'published' | 'draft' = 'published'): Promise<KnowledgeEntry | undefined> {
    const resolved = ticket.activity.findLast((a) => a.action === 'resolved');
    const note = resolved?.note ?? ticket.activity.findLast((a) => a.action === 'agent_replied')?.note;
    if (!note) return undefined;
    const draft = knowledgeFromResolvedTicket(ticket, note, { now });
    if (!draft) return undefined;
    const entry: KnowledgeEntry = { ...draft, status };
    await this.store.put(entry);
    this.track(entry);
    this.logger.info({ entry: entry.id, ticket: ticket.key, status }, 'knowledge entry drafted from a resolved ticket');
    return entry;
  }

  async reject(id: string, now: Date): Promise<KnowledgeEntry | null> {
    const entry = await this.store.findById(id);
    if (!entry) return null;
    const next: KnowledgeEntry = { ...entry, status: 'rejected', updatedAt: now };
    await this.store.put(next);
    this.track(next);
    return next;
  }

  /** An agent's corrected answer (untrusted text: cleaned like any published text). */
  async edit(id: string, answer: string, now: Date): Promise<KnowledgeEntry | null> {
    const entry = await this.store.findById(id);
    if (!entry) return null;
    const clean = publicText(answer, MAX_ANSWER_CHARS);
    // An agent's edit is a review: the entry is published (a draft from a private category included).
    const next: KnowledgeEntry = { ...entry, answer: clean, status: 'published', updatedAt: now };
    await this.store.put(next);
    this.track(next);
    return next;
  }

  /** Entries for the REST API: in `status` (all when left out), with every one of `words` in the question or answer. */
  async list(status: KnowledgeStatus | undefined, words: readonly string[], limit: number): Promise<KnowledgeEntry[]> {
    const entries = await this.store.list(status, words.length > 0 ? KNOWLEDGE_INDEX_LIMIT : limit);
    const matching = entries.filter((e) => {
      const text = `${e.question}\n${e.answer}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
    return matching.slice(0, limit);
  }

  /**
   * A reviewer's change (the REST API): question, answer and category, cleaned
   * like any published text; the status as asked, or left as it was.
   */
  async revise(
    id: string,
    change: { question?: string; answer?: string; category?: string; status?: 'published' | 'rejected' },
    now: Date,
  ): Promise<KnowledgeEntry | null> {
    const entry = await this.store.findById(id);
    if (!entry) return null;
    const next: KnowledgeEntry = {
      ...entry,
      ...(change.question !== undefined ? { question: publicText(change.question, MAX_QUESTION_CHARS) } : {}),
      ...(change.answer !== undefined ? { answer: publicText(change.answer, MAX_ANSWER_CHARS) } : {}),
      ...(change.category !== undefined ? { category: change.category } : {}),
      ...(change.status ? { status: change.status } : {}),
      updatedAt: now,
    };
    await this.store.put(next);
    this.track(next);
    return next;
  }

  async counted(id: string, field: 'uses' | 'deflections'): Promise<void> {
    await this.store.count(id, field).catch((err: unknown) => this.logger.warn({ err, entry: id }, 'counting a knowledge use failed'));
  }

  /**
   * The suggestions as the store has them now: an entry rejected or edited by
   * another process since this one indexed it is dropped or shown as edited,
   * never offered as it was.
   */
  async confirmed(suggestions: readonly AnswerSuggestion[], opts: { includeDrafts?: boolean } = {}): Promise<AnswerSuggestion[]> {
    const out: AnswerSuggestion[] = [];
    for (const s of suggestions) {
      const entry = await this.store.findById(s.entry.id);
      if (entry) this.track(entry);
      if (entry && (entry.status === 'published' || (opts.includeDrafts && entry.status === 'draft'))) out.push({ ...s, entry });
    }
    return out;
  }

  /** Follows an entry written by another process (IndexFollower). */
  follow(entry: KnowledgeEntry): void {
    this.track(entry);
  }

  private track(entry: KnowledgeEntry): void {
    this.index.remove(entry.id);
    if (entry.status !== 'rejected') this.index.add(entry.id, entry.question, entry);
  }
}
