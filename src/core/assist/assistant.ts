import type { AnswerSuggestion } from '../../ai/knowledge/answers';
import type { KnowledgeEntry } from '../../ai/knowledge/knowledge-entry';
import type { LlmChat } from '../../ai/llm/chat.port';
import { oneLine } from '../../ai/llm/sanitize';
import { draftReply } from '../../ai/drafts/draft-reply';
import type { DeskConfig } from '../../config/desk-config.schema';
import type { PermissionAction } from '../../domain/access/permissions';
import { ChatdeskError } from '../../domain/errors';
import { type ActivityEntry, type ReplyDraftRecord, sameUser, SYSTEM_ACTOR, type Ticket, type TicketAssist, type UserRef } from '../../domain/ticket/ticket';
import { type AssistChange, type TicketRepository, withAssistChange } from '../../domain/ticket/ticket.repository.port';
import type { TicketAction } from '../../domain/ticket/transitions';
import { isChatdeskError } from '../../domain/errors';
import type { Logger } from '../../logger';
import type { OutboundMessage } from '../cards/card';
import { displayName } from '../cards/ticket-card';
import { type Locale, localeForText, t } from '../i18n';
import type { KeyedMutex } from '../keyed-mutex';
import type { Notifier } from '../notifier';
import type { KnowledgeBase } from './knowledge-base';
import { isOpen, type OpenTickets } from './open-tickets';

/** Buttons the assistant's messages carry; the click's value is `ticketId~detail` (detail: entry or draft id). */
export const ASSIST_ACTIONS = ['dup_yes', 'dup_no', 'kb_solved', 'draft_send', 'draft_edit', 'draft_dismiss', 'kb_edit', 'kb_reject'] as const;
export type AssistActionId = (typeof ASSIST_ACTIONS)[number];

/** What each assist button asks, in the permission matrix's words. */
const ASSIST_PERMISSION: Record<AssistActionId, PermissionAction> = {
  dup_yes: 'answer_offer',
  dup_no: 'answer_offer',
  kb_solved: 'answer_offer',
  draft_send: 'draft',
  draft_edit: 'draft',
  draft_dismiss: 'draft',
  kb_edit: 'knowledge',
  kb_reject: 'knowledge',
};

export function isAssistAction(id: string): id is AssistActionId {
  return (ASSIST_ACTIONS as readonly string[]).includes(id);
}

/** What the clicker sees: a private reply, and/or what the clicked message now shows. */
export interface AssistResult {
  ticket: Ticket;
  reply?: OutboundMessage;
  clicked?: OutboundMessage;
}

/** The parts of the core the assistant acts through (so every change goes through the one transition function). */
export interface TicketActions {
  act(ticketId: string, action: TicketAction, actor: UserRef): Promise<Ticket>;
  findTicket(idOrKey: string): Promise<Ticket>;
  /** The permission check (src/core/access): throws chatdesk_forbidden, after recording the refused attempt. */
  authorize(actor: UserRef, action: PermissionAction, ticket: Ticket, opts?: { assignee?: UserRef }): Promise<void>;
  /** Whether the matrix allows it, recording nothing (e.g. whether someone sees internal notes). */
  allows(actor: UserRef, action: PermissionAction, ticket: Ticket): Promise<boolean>;
}

export interface AssistantDeps {
  desk: DeskConfig;
  tickets: TicketRepository;
  notifier: Notifier;
  knowledge: KnowledgeBase;
  open: OpenTickets;
  locks: KeyedMutex;
  logger: Logger;
  now: () => Date;
  /** With an LLM, drafts are written by it; without, they quote the best knowledge answer. */
  llm?: LlmChat;
}

const ANSWER_EXCERPT = 300;
const DRAFT_SOURCES = 4;

/**
 * The AI at work in chat: at intake it asks the requester about a likely
 * duplicate and offers up to 3 known answers ("this solved it" closes the
 * ticket as deflected); it drafts a reply for the agents in the card's
 * thread (Send / Edit / Dismiss); on resolve it turns the resolution into a
 * knowledge entry the agents can edit or reject.
 */
export class Assistant {
  private readonly log: Logger;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly deps: AssistantDeps,
    private readonly actions: TicketActions,
  ) {
    this.log = deps.logger.child({ component: 'assistant' });
  }

  /** Resolves when background work started so far (offers, drafts) is done: for shutdown and tests. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private background(what: string, work: () => Promise<void>): Promise<void> {
    const p = work()
      .catch((err: unknown) => this.log.error({ err }, `${what} failed`))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
    return p;
  }

  /**
   * After a ticket is opened and its card posted: offers to the requester, a
   * draft for the agents (in the background; the promise ends with both). A
   * `resumed` opening (another attempt or process began it) skips what the
   * ticket already records: an offer made, a draft written.
   */
  afterOpen(ticket: Ticket, opts: { resumed?: boolean } = {}): Promise<void> {
    const done = opts.resumed ? ticket.assist : undefined;
    const offered = !!(done?.offerRef || done?.possibleDuplicateOf || done?.suggested);
    const drafted = (done?.drafts?.length ?? 0) > 0;
    const duplicate = this.deps.open.duplicatesOf(ticket)[0];
    this.deps.open.track(ticket);
    const text = `${ticket.title}\n${ticket.description}`;
    const indexed = this.deps.knowledge.suggest(text, 3);
    const offers = offered
      ? Promise.resolve()
      : this.background('intake offers', async () => {
          // As stored now: an answer another replica rejected or edited since it was indexed is not offered as it was.
          const answers = await this.deps.knowledge.confirmed(indexed);
          const original = duplicate ? await this.deps.tickets.findById(duplicate.id) : null;
          const assist: TicketAssist = {};
          // A private category's ticket is never shown to someone else (nor is someone else's shown for it).
          const isPrivate = (tk: Ticket) => this.deps.desk.privateCategories.includes(tk.category);
          const shareable = original && (sameUser(original.requester, ticket.requester) || (!isPrivate(original) && !isPrivate(ticket)));
          if (original && shareable && original.id !== ticket.id && isOpen(original)) assist.possibleDuplicateOf = original.key;
          if (answers.length > 0) assist.suggested = answers.map((a) => a.entry.id);
          if (assist.possibleDuplicateOf || assist.suggested) {
            const offer = this.offerMessage(ticket, assist, original, answers);
            const ref = await this.deps.notifier.postToRequester(ticket, offer);
            if (ref) assist.offerRef = ref;
            const offered = [assist.possibleDuplicateOf ? `duplicate ${assist.possibleDuplicateOf}` : '', ...(assist.suggested ?? [])]
              .filter(Boolean)
              .join(', ');
            // The record and its audit line in one write while the ticket is as opened (the usual case); else apart.
            const entry = { at: this.deps.now(), action: 'assist_offered' as const, actor: SYSTEM_ACTOR, note: offered };
            const together = await this.deps.locks.run(ticket.id, () => this.deps.tickets.updateAssistAudited(ticket, { set: assist }, entry));
            if (!together) {
              await this.saveAssist(ticket, { set: assist });
              await this.audit(ticket, { action: 'assist_offered', note: offered }, SYSTEM_ACTOR);
            }
            for (const a of answers) await this.deps.knowledge.counted(a.entry.id, 'uses');
            this.log.info(
              { ticket: ticket.key, duplicate: assist.possibleDuplicateOf, answers: answers.length },
              'offered the requester a duplicate / answers',
            );
          }
        });
    const draft = drafted ? Promise.resolve() : this.background('reply draft', () => this.draftFor(ticket));
    return Promise.all([offers, draft]).then(() => undefined);
  }

  /** After any change: keeps the duplicate index current; on resolve, knowledge and watchers. */
  afterChange(_before: Ticket, after: Ticket, action: TicketAction): void {
    this.deps.open.track(after);
    if (action.kind === 'resolve' && after.status === 'resolved') {
      // Both through the outbox: a process that dies mid-way leaves them to a survivor.
      this.background('queueing the knowledge draft', () => this.deps.notifier.queueKnowledge(after, () => this.knowledgeFromResolved(after.id)));
      this.background('telling the watchers', () => this.tellWatchers(after));
    }
  }

  async button(id: AssistActionId, value: string, actor: UserRef): Promise<AssistResult> {
    const [ticketId = '', detail = ''] = value.split('~', 2);
    const ticket = await this.actions.findTicket(ticketId);
    await this.actions.authorize(actor, ASSIST_PERMISSION[id], ticket);
    switch (id) {
      case 'dup_yes':
      case 'dup_no':
      case 'kb_solved': {
        const result = await this.requesterAnswer(id, ticket, detail, actor);
        await this.audit(ticket, { action: 'assist_answered', to: id, ...(detail ? { note: detail } : {}) }, actor);
        return result;
      }
      case 'draft_send':
      case 'draft_edit':
      case 'draft_dismiss':
        return this.draftButton(id, ticket, detail, actor);
      case 'kb_edit':
      case 'kb_reject':
        return this.knowledgeButton(id, ticket, detail, actor);
    }
  }

  // ── intake offers ────────────────────────────────────────────────────────

  private offerMessage(ticket: Ticket, assist: TicketAssist, original: Ticket | null, answers: readonly AnswerSuggestion[]): OutboundMessage {
    const locale = requesterLocale(ticket, this.deps.desk.locale);
    const parts: string[] = [];
    const actions: NonNullable<OutboundMessage['card']>['actions'] = [];
    if (assist.possibleDuplicateOf && original) {
      parts.push(t(locale, 'offer.duplicate', { key: original.key, title: original.title, status: t(locale, `status.${original.status}`) }));
      actions.push({ id: 'dup_yes', label: t(locale, 'offer.dupYes'), value: `${ticket.id}~${original.id}`, style: 'primary' });
      actions.push({ id: 'dup_no', label: t(locale, 'offer.dupNo'), value: ticket.id });
    }
    if (answers.length > 0) {
      parts.push(t(locale, 'offer.answers'));
      answers.forEach((a, i) => {
        parts.push(`${i + 1}. ${oneLine(a.entry.question, 140)}\n${excerpt(a.entry.answer)}`);
        actions.push({ id: 'kb_solved', label: t(locale, 'offer.solved', { n: i + 1 }), value: `${ticket.id}~${a.entry.id}` });
      });
    }
    const body = parts.join('\n\n');
    return { text: body, card: { title: t(locale, 'offer.title', { key: ticket.key }), fields: [], body, actions } };
  }

  private async requesterAnswer(id: 'dup_yes' | 'dup_no' | 'kb_solved', ticket: Ticket, detail: string, actor: UserRef): Promise<AssistResult> {
    const locale = requesterLocale(ticket, this.deps.desk.locale);
    const assist = ticket.assist ?? {};
    if (id === 'dup_yes') {
      if (!assist.possibleDuplicateOf)
        throw new ChatdeskError('chatdesk_transition_illegal', t(locale, 'offer.gone', { key: ticket.key, status: t(locale, `status.${ticket.status}`) }));
      const original = await this.actions.findTicket(assist.possibleDuplicateOf);
      const closed = await this.actions.act(ticket.id, { kind: 'link_duplicate', of: original.key }, actor);
      await this.actions.act(original.id, { kind: 'add_watcher', watcher: actor, from: ticket.key }, actor).catch((err: unknown) => {
        // The original may have been closed meanwhile: the link stands on this ticket; the requester is told below either way.
        if (!isChatdeskError(err, 'chatdesk_transition_illegal')) throw err;
      });
      const clicked = { text: t(locale, 'offer.linked', { mine: ticket.key, key: original.key }) };
      await this.replaceOffer(closed, clicked);
      return { ticket: closed, clicked };
    }
    if (id === 'dup_no') {
      const next = await this.saveAssist(ticket, { unset: ['possibleDuplicateOf'] });
      const answers = await this.suggestedEntries(next);
      const clicked =
        answers.length > 0
          ? this.offerMessage(
              next,
              { suggested: next.assist?.suggested },
              null,
              answers.map((entry) => ({ entry, score: 1 })),
            )
          : { text: t(locale, 'offer.notDuplicate', { key: ticket.key }) };
      await this.replaceOffer(next, clicked);
      await this.deps.notifier.refreshCards(next);
      return { ticket: next, clicked };
    }
    if (!(assist.suggested ?? []).includes(detail))
      throw new ChatdeskError('chatdesk_transition_illegal', t(locale, 'offer.gone', { key: ticket.key, status: t(locale, `status.${ticket.status}`) }));
    const solved = await this.actions.act(ticket.id, { kind: 'deflect', entryId: detail }, actor);
    await this.deps.knowledge.counted(detail, 'deflections');
    const clicked = { text: t(locale, 'offer.deflected', { key: ticket.key }) };
    await this.replaceOffer(solved, clicked);
    this.log.info({ ticket: ticket.key, entry: detail }, 'ticket deflected by a knowledge answer');
    return { ticket: solved, clicked };
  }

  private async suggestedEntries(ticket: Ticket): Promise<KnowledgeEntry[]> {
    const out: KnowledgeEntry[] = [];
    for (const id of ticket.assist?.suggested ?? []) {
      const e = await this.deps.knowledge.get(id);
      if (e && e.status === 'published') out.push(e);
    }
    return out;
  }

  private async replaceOffer(ticket: Ticket, message: OutboundMessage): Promise<void> {
    const ref = ticket.assist?.offerRef;
    if (ref) await this.deps.notifier.updateMessage(ref, message);
  }

  // ── reply drafts ─────────────────────────────────────────────────────────

  private async draftFor(ticket: Ticket): Promise<void> {
    const entries = await this.deps.knowledge.confirmed(this.deps.knowledge.suggest(`${ticket.title}\n${ticket.description}`, DRAFT_SOURCES));
    const draft = await draftReply({
      ticket: { key: ticket.key, title: ticket.title, description: ticket.description, locale: requesterLocale(ticket, this.deps.desk.locale) },
      similar: { tickets: [], entries },
      ...(this.deps.llm ? { llm: this.deps.llm } : {}),
      logger: this.log,
    });
    if (!draft) return;
    const record: ReplyDraftRecord = {
      id: `d${Date.now().toString(36)}`,
      text: draft.text,
      sources: draft.sources.map((s) => (s.kind === 'knowledge' ? `${s.key} (${Math.round(s.score * 100)}%)` : s.key)),
      state: 'pending',
      refs: [],
      by: draft.by === 'llm' ? 'llm' : 'knowledge',
    };
    record.refs = await this.deps.notifier.postInCardThreadsRefs(ticket, this.draftMessage(ticket, record));
    await this.saveAssist(ticket, { pushDraft: record });
    this.log.info({ ticket: ticket.key, by: record.by, sources: record.sources.length }, 'reply draft posted for agents');
  }

  private draftMessage(ticket: Ticket, d: ReplyDraftRecord, closing?: string): OutboundMessage {
    const locale = this.deps.desk.locale;
    const value = `${ticket.id}~${d.id}`;
    return {
      text: `${t(locale, 'draft.title', { key: ticket.key })}\n${d.text}`,
      card: {
        title: t(locale, 'draft.title', { key: ticket.key }),
        fields: d.sources.length > 0 ? [{ label: t(locale, 'draft.basedOn'), value: d.sources.join(', ') }] : [],
        body: d.text,
        actions: closing
          ? []
          : [
              { id: 'draft_send', label: t(locale, 'draft.send'), value, style: 'primary' },
              { id: 'draft_edit', label: t(locale, 'draft.edit'), value },
              { id: 'draft_dismiss', label: t(locale, 'draft.dismiss'), value },
            ],
        ...(closing ? { footer: closing } : {}),
      },
    };
  }

  private async draftButton(id: 'draft_send' | 'draft_edit' | 'draft_dismiss', ticket: Ticket, draftId: string, actor: UserRef): Promise<AssistResult> {
    const locale = this.deps.desk.locale;
    const draft = ticket.assist?.drafts?.find((d) => d.id === draftId);
    if (!draft) throw new ChatdeskError('chatdesk_ticket_not_found', `no draft ${draftId.slice(0, 20)} on ${ticket.key}`);
    if (draft.state !== 'pending') return { ticket, reply: { text: t(locale, draft.state === 'sent' ? 'draft.goneSent' : 'draft.goneDismissed') } };
    if (id === 'draft_edit') return { ticket, reply: { text: t(locale, 'draft.editHint', { key: ticket.key, text: draft.text }) } };
    let current = ticket;
    if (id === 'draft_send') current = await this.actions.act(ticket.id, { kind: 'reply', text: draft.text }, actor);
    const state = id === 'draft_send' ? 'sent' : 'dismissed';
    const closing = t(locale, state === 'sent' ? 'draft.sent' : 'draft.dismissed', { name: displayName(actor) });
    current = await this.saveAssist(current, { set: { drafts: (current.assist?.drafts ?? []).map((d) => (d.id === draftId ? { ...d, state } : d)) } });
    await this.audit(current, { action: state === 'sent' ? 'draft_sent' : 'draft_dismissed', note: draftId }, actor);
    const clicked = this.draftMessage(current, { ...draft, state }, closing);
    for (const ref of draft.refs) await this.deps.notifier.updateMessage(ref, clicked);
    return { ticket: current, clicked };
  }

  // ── knowledge ────────────────────────────────────────────────────────────

  /**
   * The knowledge entry drafted from a resolved ticket, posted under each of its
   * cards (the outbox's `knowledge_from_resolved` work). Safe to run again, on
   * any process: the entry's id is the ticket's, a card that has the post is
   * skipped, and `mayExist` finds a post an earlier attempt made. Throws (after
   * recording what did get through) when a card could not get it, so it is retried.
   */
  async knowledgeFromResolved(ticketId: string, opts: { mayExist?: boolean } = {}): Promise<void> {
    const ticket = await this.deps.tickets.findById(ticketId);
    // Reopened meanwhile: its next resolve drafts the entry.
    if (!ticket || (ticket.status !== 'resolved' && ticket.status !== 'closed')) return;
    const done = ticket.assist?.knowledge;
    const status = this.deps.desk.privateCategories.includes(ticket.category) ? 'draft' : 'published';
    const entry = (done && (await this.deps.knowledge.get(done.entryId))) || (await this.deps.knowledge.fromResolved(ticket, this.deps.now(), status));
    if (!entry) return;
    const refs = [...(done?.refs ?? [])];
    const message = this.knowledgeMessage(ticket, entry);
    let failure: unknown;
    for (const card of ticket.agentCards) {
      if (!this.deps.notifier.reaches(card.platform) || refs.some((r) => r.platform === card.platform && r.threadId === card.messageId)) continue;
      try {
        const dedupeKey = `knowledge:${ticket.id}:${card.messageId}`;
        refs.push(await this.deps.notifier.postUnderCard(card, message, { dedupeKey, mayExist: opts.mayExist ?? false }));
      } catch (err) {
        this.log.warn({ err, ticket: ticket.key, platform: card.platform }, 'posting the knowledge entry under a card failed; it is tried again');
        failure ??= err;
      }
    }
    await this.saveAssist(ticket, { set: { knowledge: { entryId: entry.id, refs } } });
    if (!ticket.activity.some((a) => a.action === 'knowledge_published'))
      await this.audit(ticket, { action: 'knowledge_published', to: entry.status, note: entry.id }, SYSTEM_ACTOR);
    if (failure) throw failure;
  }

  private knowledgeMessage(ticket: Ticket, e: KnowledgeEntry, closing?: string): OutboundMessage {
    const locale = this.deps.desk.locale;
    const value = `${ticket.id}~${e.id}`;
    const title = t(locale, e.status === 'draft' ? 'kb.titleDraft' : 'kb.title', { key: ticket.key });
    return {
      text: `${title}\n${e.question}\n${e.answer}`,
      card: {
        title,
        fields: [
          { label: t(locale, 'kb.question'), value: oneLine(e.question, 300) },
          { label: 'ID', value: e.id },
        ],
        body: e.answer,
        actions:
          e.status === 'rejected'
            ? []
            : [
                { id: 'kb_edit', label: t(locale, 'kb.edit'), value },
                { id: 'kb_reject', label: t(locale, 'kb.reject'), value, style: 'danger' },
              ],
        ...(closing ? { footer: closing } : {}),
      },
    };
  }

  private async knowledgeButton(id: 'kb_edit' | 'kb_reject', ticket: Ticket, entryId: string, actor: UserRef): Promise<AssistResult> {
    const locale = this.deps.desk.locale;
    const entry = await this.deps.knowledge.get(entryId);
    if (!entry) return { ticket, reply: { text: t(locale, 'kb.notFound', { id: entryId.slice(0, 40) }) } };
    if (id === 'kb_edit') return { ticket, reply: { text: t(locale, 'kb.editHint', { id: entry.id, text: entry.answer }) } };
    const rejected = (await this.deps.knowledge.reject(entryId, this.deps.now())) ?? entry;
    await this.audit(ticket, { action: 'knowledge_rejected', note: entry.id }, actor);
    return { ticket, clicked: await this.showKnowledge(ticket, rejected, 'rejected', actor) };
  }

  /**
   * The entry's messages under the ticket's cards show it as it is now, and who
   * changed it: after an edit, a publish or a rejection from chat, the console
   * or the REST API. Answers the message as posted.
   */
  async showKnowledge(ticket: Ticket, entry: KnowledgeEntry, change: 'edited' | 'published' | 'rejected', actor: UserRef): Promise<OutboundMessage> {
    const message = this.knowledgeMessage(ticket, entry, t(this.deps.desk.locale, `kb.${change}`, { name: displayName(actor) }));
    for (const ref of ticket.assist?.knowledge?.refs ?? []) await this.deps.notifier.updateMessage(ref, message);
    return message;
  }

  /** `/ticket kb <id> <answer>`: an agent's corrected answer; the entry's message under the card shows it. */
  /** `/ticket kb ID text`; the agent is answered in `locale` (the language they typed in). */
  async editKnowledge(entryId: string, answer: string, actor: UserRef, locale: Locale = this.deps.desk.locale): Promise<OutboundMessage> {
    const entry = await this.deps.knowledge.get(entryId);
    if (!entry) return { text: t(locale, 'kb.notFound', { id: entryId }) };
    const ticket = await this.actions.findTicket(entry.ticketKey);
    await this.actions.authorize(actor, 'knowledge', ticket);
    const edited = await this.deps.knowledge.edit(entryId, answer, this.deps.now());
    if (!edited) return { text: t(locale, 'kb.notFound', { id: entryId }) };
    await this.audit(ticket, { action: 'knowledge_edited', note: entryId }, actor);
    await this.showKnowledge(ticket, edited, 'edited', actor);
    return { text: t(locale, 'kb.edited', { name: displayName(actor) }) };
  }

  // ── watchers ─────────────────────────────────────────────────────────────

  /** People whose duplicates were linked to this ticket hear that it is resolved, naming their own ticket. */
  private async tellWatchers(ticket: Ticket): Promise<void> {
    const watchers = ticket.watchers ?? [];
    if (watchers.length === 0) return;
    const linked = ticket.activity.filter((a) => a.action === 'duplicate_linked' && a.from && a.actor.platform !== 'system');
    for (const w of watchers) {
      const yours = linked.find((a) => sameUser(a.actor as UserRef, w))?.from ?? ticket.key;
      const locale = requesterLocale(ticket, this.deps.desk.locale);
      const name = displayName(ticket.assignee);
      // Through the outbox: retried, and sent by another process if this one dies.
      await this.deps.notifier
        .queueDirect(w, { text: t(locale, 'requester.watchResolved', { key: ticket.key, yours, name }) })
        .catch((err: unknown) => this.log.warn({ err, ticket: ticket.key }, 'telling a watcher failed'));
    }
  }

  // ── storage ──────────────────────────────────────────────────────────────

  /** The audit trail: what the assistant did, or what a person did with it, with its actor (nothing else about the ticket changes). */
  private async audit(ticket: Ticket, entry: Pick<ActivityEntry, 'action' | 'from' | 'to' | 'note'>, actor: UserRef): Promise<void> {
    await this.actions.act(ticket.id, { kind: 'audit', entry }, actor);
  }

  /**
   * Changes the ticket's `assist` record (not a status change: no transition, no
   * new version): one narrow write, field by field, so it never overwrites a
   * change saved meanwhile. Returns `ticket` with the change applied. Still
   * one writer per ticket at a time in this process: FerretDB's updates are a
   * read-modify-write of the whole document, not atomic.
   */
  private async saveAssist(ticket: Ticket, change: AssistChange): Promise<Ticket> {
    await this.deps.locks.run(ticket.id, () => this.deps.tickets.updateAssist(ticket.id, change));
    return { ...ticket, assist: withAssistChange(ticket.assist, change) };
  }
}

function excerpt(answer: string): string {
  const a = answer.trim();
  return a.length > ANSWER_EXCERPT ? `${a.slice(0, ANSWER_EXCERPT - 1)}…` : a;
}

export function requesterLocale(ticket: Ticket, fallback: Locale): Locale {
  return localeForText(`${ticket.title} ${ticket.description}`, fallback);
}
