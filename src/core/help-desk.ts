import type { TicketClassifier } from '../ai/classifier.port';
import type { DeskConfig } from '../config/desk-config.schema';
import { ChatdeskError, isChatdeskError } from '../domain/errors';
import { teamById } from '../domain/ticket/routing';
import { type Platform, sameUser, SYSTEM_ACTOR, type Ticket, type UserRef } from '../domain/ticket/ticket';
import { dateIn, type DraftClock, type RawTicketDraft, validateDraft } from '../domain/ticket/ticket-draft';
import type { TicketRepository } from '../domain/ticket/ticket.repository.port';
import { applyAction, autoCloseDue, type TicketAction } from '../domain/ticket/transitions';
import type { Logger } from '../logger';
import { displayName } from './cards/ticket-card';
import { type Locale, t } from './i18n';
import type { OutboundMessage } from './cards/card';
import { firstEscalationContact } from '../domain/sla/escalation-contact';
import type { SlaConfig } from '../domain/sla/policy';
import { ticketSlaWakeAt } from '../domain/sla/ticket-sla';
import { KeyedMutex } from './keyed-mutex';
import { Notifier } from './notifier';
import { BUTTON_PERMISSION, type TicketButton, ticketActionForButton } from './card-buttons';
import { AccessGate } from './access/access-gate';
import type { KnowledgeStore } from '../ai/knowledge/knowledge-store.port';
import { AgentCommands, type NoteResult } from './agent-commands';
import { ticketTextForm } from './forms/ticket-text-forms';
import { Assistant, isAssistAction } from './assist/assistant';
import { KnowledgeBase } from './assist/knowledge-base';
import { OpenTickets } from './assist/open-tickets';
import { IndexFollower } from './assist/index-follower';
import { DeskQueries } from './desk-queries';
import { runAdminCommand } from './admin-commands';
import type { TokenCommands } from './token-commands.port';
import { type EscalationReason, escalationMessage } from './escalation-message';
import type { ParsedCommand } from './commands';
import { RequesterReplies } from './requester-replies';
import { CardThreadReplies } from './card-thread-replies';
import { MessageIntake } from './intake/message-intake';
import type { IntakeEvent, IntakeOutcome } from './intake/intake-event';
import { CSAT_COMMENT_BUTTON, csatCommentOffer, csatRated, csatRequest, csatScoreOf, isCsatButton } from './csat';
import { CsatComments, type CsatCommentResult } from './csat-comments';
import { requesterLineFor, ticketLocale, ticketTranscript, type TranscriptEntry } from './ticket-transcript';
import { ticketChangeEvents, type TicketEventSink } from './webhooks/ticket-events';

export { CARD_ACTIONS, type CardActionId } from './card-buttons';
export type { CardActionResult, HelpDeskDeps, OpenTicketResult, TicketSlot } from './help-desk.types';
import type { CardActionResult, HelpDeskDeps, OpenTicketResult, TicketSlot } from './help-desk.types';
import { InProcessTeamAssignment, type TeamAssignment } from './team-assignment.port';
import { HandoffSummaries } from './handoff-summaries';
import { TicketOpening } from './ticket-opening';

/**
 * The bot core: every messenger adapter turns its inbound requests into these
 * calls. Flows orchestrate; the rules live in src/domain.
 */
export class HelpDesk {
  readonly desk: DeskConfig;
  private readonly tickets: TicketRepository;
  private readonly classifier: TicketClassifier;
  private readonly logger: Logger;
  private readonly now: () => Date;
  readonly notifier: Notifier;
  readonly sla: SlaConfig;
  readonly locks: KeyedMutex;
  /** Round-robin position per team (resets on restart: ties then start from the first agent). */
  private readonly assignment: TeamAssignment;
  readonly assistant: Assistant;
  readonly knowledge: KnowledgeBase;
  private readonly openTickets: OpenTickets;
  private readonly opening: TicketOpening;
  private readonly replies: RequesterReplies;
  private readonly cardThreads: CardThreadReplies;
  private readonly fromMessages: MessageIntake;
  private readonly agentCommands: AgentCommands;
  private readonly csatComments: CsatComments;
  private readonly knowledgeStore: KnowledgeStore;
  private readonly peers: HelpDeskDeps['peers'];
  private readonly queries: DeskQueries;
  private follower?: IndexFollower;
  /** The permission check every request on a ticket passes first. */
  readonly access: AccessGate;
  /** Hand-off summaries (DMs at reassignment and escalation, `/ticket summary`). */
  readonly summaries: HandoffSummaries;
  /** Makes web console sign-in links (`/ticket console`); unset: the console is off. */
  private consoleLinks?: (user: UserRef) => Promise<string>;
  /** CSAT from the reports' summary for `/ticket stats`; unset: not shown. */
  private satisfaction?: (teams: readonly string[] | 'all', days: number) => Promise<{ n: number; average: number | null }>;
  /** Told every stored change (outbound webhooks); never waited for. */
  private events?: TicketEventSink;
  private tokenCommands?: TokenCommands;

  constructor(deps: HelpDeskDeps) {
    this.desk = deps.desk;
    this.tickets = deps.tickets;
    this.classifier = deps.classifier;
    this.logger = deps.logger.child({ component: 'help-desk' });
    this.now = deps.now ?? (() => new Date());
    this.sla = deps.sla;
    this.locks = deps.locks ?? new KeyedMutex();
    this.assignment = deps.assignment ?? new InProcessTeamAssignment();
    this.notifier = new Notifier(deps.desk, deps.adapters, this.logger, deps.sla, this.now);
    this.knowledge = new KnowledgeBase(deps.knowledge, this.logger);
    this.knowledgeStore = deps.knowledge;
    this.peers = deps.peers;
    this.queries = new DeskQueries({
      desk: deps.desk,
      tickets: deps.tickets,
      sla: deps.sla,
      roles: (user) => this.access.roles(user),
      clock: () => this.clock(),
      satisfaction: () => this.satisfaction,
    });
    this.openTickets = new OpenTickets(deps.tickets);
    this.access = new AccessGate({ desk: deps.desk, adapters: deps.adapters, tickets: deps.tickets, locks: this.locks, logger: this.logger, now: this.now });
    this.summaries = new HandoffSummaries({
      desk: deps.desk,
      sla: deps.sla,
      notifier: this.notifier,
      allows: (actor, action, ticket) => this.access.allows(actor, action, ticket),
      ...(deps.llm ? { llm: deps.llm } : {}),
      logger: this.logger,
      now: this.now,
    });
    const actions = {
      act: this.act.bind(this),
      findTicket: this.findTicket.bind(this),
      authorize: this.access.check.bind(this.access),
      allows: this.access.allows.bind(this.access),
    };
    this.assistant = new Assistant(
      {
        desk: deps.desk,
        tickets: deps.tickets,
        notifier: this.notifier,
        knowledge: this.knowledge,
        open: this.openTickets,
        locks: this.locks,
        logger: this.logger,
        now: this.now,
        ...(deps.llm ? { llm: deps.llm } : {}),
      },
      actions,
    );
    this.opening = new TicketOpening({
      desk: deps.desk,
      tickets: deps.tickets,
      classifier: this.classifier,
      sla: this.sla,
      notifier: this.notifier,
      assistant: this.assistant,
      assignment: this.assignment,
      locks: this.locks,
      logger: this.logger,
      now: this.now,
      clock: () => this.clock(),
      events: () => this.events,
    });
    this.replies = new RequesterReplies(
      { desk: deps.desk, tickets: deps.tickets, notifier: this.notifier, logger: this.logger, openFollowUp: this.openFollowUp.bind(this) },
      actions,
    );
    this.cardThreads = new CardThreadReplies({ tickets: deps.tickets, logger: this.logger }, actions);
    this.fromMessages = new MessageIntake({
      desk: deps.desk,
      tickets: deps.tickets,
      adapters: deps.adapters,
      notifier: this.notifier,
      logger: this.logger,
      open: (draft, requester, slot, opts) => this.openTicket(draft, requester, slot, opts),
    });
    this.csatComments = new CsatComments(actions, (ticket) => ticketLocale(ticket, this.desk.locale));
    this.agentCommands = new AgentCommands(
      {
        desk: deps.desk,
        csatComments: this.csatComments,
        assistant: this.assistant,
        notifier: this.notifier,
        summaries: this.summaries,
        ...(deps.learner ? { learner: deps.learner } : {}),
        logger: this.logger,
      },
      actions,
    );
  }

  /** `/ticket admin token …` answers with these (the REST API's tokens) once attached. */
  attachTokenCommands(tokens: TokenCommands): void {
    this.tokenCommands = tokens;
  }

  /** From now on, every ticket opened or changed is told to `sink` (after it is stored). */
  attachEvents(sink: TicketEventSink): void {
    this.events = sink;
  }

  /** `/ticket stats` shows the CSAT of recent ratings from here on (the reports' summary). */
  attachSatisfaction(csat: (teams: readonly string[] | 'all', days: number) => Promise<{ n: number; average: number | null }>): void {
    this.satisfaction = csat;
  }

  /** From now on `/ticket console` DMs the person a sign-in link made by `linkFor`. */
  attachConsole(linkFor: (user: UserRef) => Promise<string>): void {
    this.consoleLinks = linkFor;
  }

  /** `/ticket console`: the sign-in link goes to the person's own DM on their own messenger, never to the channel they typed in. */
  private async consoleLink(user: UserRef, locale: Locale): Promise<OutboundMessage> {
    if (!this.consoleLinks) return { text: t(locale, 'console.off') };
    const url = await this.consoleLinks(user);
    await this.notifier.direct(user, { text: t(locale, 'console.link', { url }) });
    return { text: t(locale, 'console.sent') };
  }

  /** Loads what the assistant searches (open tickets, knowledge) from the store, then follows other processes' changes to it. */
  async start(): Promise<void> {
    const since = this.now();
    const [openCount, knowledgeCount] = await Promise.all([this.openTickets.load(), this.knowledge.load()]);
    this.logger.info({ open: openCount, knowledge: knowledgeCount }, 'similarity indexes loaded');
    const { tickets, knowledgeStore, openTickets: open, knowledge, logger, now, peers } = this;
    this.follower = new IndexFollower({ tickets, knowledgeStore, open, knowledge, logger, now, peers }, since);
    this.follower.start();
  }

  /** Stops following other processes' changes (at shutdown). */
  stop(): void {
    this.follower?.stop();
  }

  /** Follows other processes' ticket and knowledge changes now (tests); how many it saw. */
  followChanges(): Promise<number> {
    return this.follower?.catchUp() ?? Promise.resolve(0);
  }

  /** Resolves when background work (offers, drafts, knowledge) started so far is done. */
  idle(): Promise<void> {
    return this.assistant.idle();
  }

  /** The outbox's knowledge work for a resolved ticket (see Assistant.knowledgeFromResolved); any process may run it. */
  knowledgeFromResolved(ticketId: string, opts: { mayExist?: boolean } = {}): Promise<void> {
    return this.assistant.knowledgeFromResolved(ticketId, opts);
  }

  /** Pure validation, fast enough for a platform's 3-second acknowledgement. */
  validate(draft: RawTicketDraft) {
    return validateDraft(draft, this.desk, this.clock());
  }

  /** Now, in the desk's time zone (its default SLA calendar's; UTC on the built-in 24x7 one): what "today" is for date fields. */
  private clock(): DraftClock {
    return { now: this.now(), timeZone: this.sla.calendars[this.sla.defaultCalendarId]?.zone ?? 'UTC' };
  }

  /** Today's date (`YYYY-MM-DD`) in the desk's time zone, for forms whose date pickers take a minimum. */
  today(): string {
    const { now, timeZone } = this.clock();
    return dateIn(now, timeZone);
  }

  /** Opens a ticket (see TicketOpening): classify, store, route, the cards and the requester's thread; resumable with `slot`. */
  openTicket(
    raw: RawTicketDraft,
    requester: UserRef,
    slot?: TicketSlot,
    opts: { by?: UserRef; reporter?: { user: UserRef; note?: string } } = {},
  ): Promise<OpenTicketResult> {
    return this.opening.open(raw, requester, slot, opts);
  }

  /** Sub-commands other than opening a ticket (help, escalations, the agent commands), the same on every messenger. */
  async runCommand(cmd: Exclude<ParsedCommand, { kind: 'form' | 'quick' }>, user: UserRef, locale: Locale): Promise<OutboundMessage> {
    if (cmd.kind === 'help') return this.help(locale);
    if (cmd.kind === 'console') return this.consoleLink(user, locale);
    if (cmd.kind === 'escalations') return this.escalationsFor(user, locale);
    if (cmd.kind === 'mine') return this.queries.mine(user, locale);
    if (cmd.kind === 'search') return this.queries.search(user, cmd.words, locale);
    if (cmd.kind === 'stats') return this.queries.stats(user, locale);
    if (cmd.kind === 'admin')
      return runAdminCommand({ access: this.access, notifier: this.notifier, logger: this.logger, tokens: this.tokenCommands }, cmd.text, user, locale);
    return this.agentCommands.run(cmd, user, locale);
  }

  /**
   * A message a person wrote to the bot that is not a command (a DM, or a reply
   * in their ticket's thread `threadId`). Undefined when it answers none of
   * their tickets: the adapter then shows help.
   */
  requesterMessage(user: UserRef, text: string, threadId?: string): Promise<OutboundMessage | undefined> {
    return this.replies.handle(user, text, threadId);
  }

  /** A submitted note form: the same permission check, note and audit entry as `/ticket note`; an empty note is refused. */
  addNote(ticketId: string, text: string, user: UserRef, locale: Locale): Promise<NoteResult> {
    return this.agentCommands.addNote(ticketId, text, user, locale);
  }

  /** A submitted rating comment form: the requester's, once rated, once (see CsatComments); an empty one is refused. */
  commentOnRating(ticketId: string, text: string, user: UserRef): Promise<CsatCommentResult> {
    return this.csatComments.add(ticketId, text, user);
  }

  /** A chat message turned into a ticket (shortcut, message action, context menu, the ticket emoji). */
  openFromMessage(event: IntakeEvent & { request: { kind: 'from_message' } }, slot: TicketSlot): Promise<IntakeOutcome> {
    return this.fromMessages.run(event as Parameters<MessageIntake['run']>[0], slot);
  }

  /** A line someone wrote in a card's thread: relayed to the requester when marked `>>`, else left with the agents. */
  cardThreadReply(platform: Platform, card: string, text: string, user: UserRef, locale: Locale): Promise<IntakeOutcome> {
    return this.cardThreads.handle(platform, card, text, user, locale);
  }

  /** What `/ticket help` answers. */
  help(locale: Locale): OutboundMessage {
    return { text: t(locale, 'command.help') };
  }

  /** What `/ticket escalations` answers: the open tickets escalated to this person. */
  escalationsFor(user: UserRef, locale: Locale): Promise<OutboundMessage> {
    return this.queries.escalations(user, locale);
  }

  /**
   * The recent tickets' messages on `platform` rebuilt from the database (cards
   * as they look now, the requesters' threads), for a messenger that keeps no
   * history of its own: the playground after a restart.
   */
  async transcripts(platform: Platform, limit = 200): Promise<TranscriptEntry[]> {
    const recent = await this.tickets.list({ limit });
    return recent.flatMap((ticket) => ticketTranscript(ticket, this.notifier.card(ticket), this.desk.locale).filter((e) => e.where.platform === platform));
  }

  /**
   * Closes the resolved tickets whose reopen window (the desk's autoCloseAfterDays) has passed at
   * `now`; returns their keys. Run periodically (src/jobs/auto-close-job.ts); safe on several replicas at once.
   */
  async closeDue(limit = 200): Promise<string[]> {
    const now = this.now();
    const days = this.desk.autoCloseAfterDays;
    const due = (await this.tickets.list({ status: ['resolved'], resolvedBefore: new Date(now.getTime() - days * 86_400_000), limit })).filter((tk) =>
      autoCloseDue(tk, now, days),
    );
    const closed: string[] = [];
    for (const ticket of due) {
      try {
        await this.act(ticket.id, { kind: 'auto_close' }, SYSTEM_ACTOR);
        closed.push(ticket.key);
      } catch (err) {
        // Reopened or closed meanwhile (another replica, the requester's reply): nothing to do.
        if (!isChatdeskError(err, 'chatdesk_transition_illegal')) throw err;
      }
    }
    if (closed.length > 0) this.logger.info({ closed: closed.length, days }, 'resolved tickets closed themselves');
    return closed;
  }

  /**
   * The requester wrote about a closed ticket: a new ticket is opened for it, linked both ways
   * (`follow_up_linked`), so the closed record stays as it was.
   */
  async openFollowUp(closed: Ticket, requester: UserRef, text: string): Promise<OpenTicketResult> {
    const title = t(ticketLocale(closed, this.desk.locale), 'followUp.title', { key: closed.key, title: closed.title }).slice(0, 150);
    const opened = await this.openTicket({ title, description: text, type: this.desk.defaultType }, requester);
    if (!opened.ok) return opened;
    await this.act(closed.id, { kind: 'link_follow_up', to: opened.ticket.key }, requester);
    const linked = await this.act(opened.ticket.id, { kind: 'audit', entry: { action: 'follow_up_linked', from: closed.key } }, requester);
    return { ok: true, ticket: linked };
  }

  async findTicket(idOrKey: string): Promise<Ticket> {
    const ticket = /^[A-Z]{1,6}-\d+$/.test(idOrKey) ? await this.tickets.findByKey(idOrKey) : await this.tickets.findById(idOrKey);
    if (!ticket) throw new ChatdeskError('chatdesk_ticket_not_found', `No ticket ${idOrKey}`, { id: idOrKey });
    return ticket;
  }

  /**
   * Applies an agent's action (claim, assign, resolve, escalate …). Actions on
   * one ticket run one at a time, so of two simultaneous claims exactly one wins
   * and the other gets chatdesk_ticket_already_claimed naming the winner.
   */
  async act(ticketId: string, action: TicketAction, actor: UserRef): Promise<Ticket> {
    const { before, after } = await this.locks.run(ticketId, async () => {
      // Another process (a second replica, the SLA worker) may have written first: re-read and re-apply, a few times.
      for (let attempt = 1; ; attempt++) {
        const current = await this.findTicket(ticketId);
        const now = this.now();
        let next = applyAction(current, action, actor, now);
        if (next === current) return { before: current, after: next };
        next = { ...next, slaNextAt: ticketSlaWakeAt(next, now, this.sla) };
        try {
          await this.tickets.save(next);
          return { before: current, after: next };
        } catch (err) {
          if (!isChatdeskError(err, 'chatdesk_ticket_conflict') || attempt >= 5) throw err;
          // The other writer may not have finished its write yet: give it a moment before reading again.
          await new Promise((r) => setTimeout(r, 20 * attempt));
        }
      }
    });
    if (after === before) return after;
    this.events?.publish(ticketChangeEvents(before, after, action, actor, after.updatedAt));
    this.assistant.afterChange(before, after, action);
    this.logger.info({ ticket: after.key, action: action.kind, actor: actor.id, status: after.status }, 'ticket changed');
    // The audit trail and internal notes change nothing a card or the requester shows.
    if (action.kind === 'audit' || action.kind === 'note' || action.kind === 'link_follow_up') return after;
    await this.locks.run(`notify:${after.id}`, async () => {
      const latest = (await this.tickets.findById(after.id)) ?? after;
      await this.notifier.refreshCards(latest);
      const locale = ticketLocale(after, this.desk.locale);
      const added = after.activity.slice(before.activity.length);
      const line = added.map((entry) => requesterLineFor(after, entry, locale)).find(Boolean);
      // Resolved by an agent: the requester is asked to rate it, under the same line; rated: offered to add a comment.
      const askRating = this.desk.csat && added.some((a) => a.action === 'resolved');
      const offerComment = added.some((a) => a.action === 'rated');
      if (line)
        await this.notifier.tellRequester(
          after,
          askRating ? csatRequest(after, line, locale) : offerComment ? csatCommentOffer(after, line, locale) : { text: line },
        );
      const to = action.kind === 'escalate' ? action.to : undefined;
      // The escalation is stored either way: a DM the platform refuses is logged, not the clicker's failure.
      if (to) {
        await this.notifyEscalation(latest, to, { kind: 'manual', actor }).catch((err: unknown) =>
          this.logger.error({ err, ticket: after.key, platform: to.platform }, 'the escalation DM could not be delivered'),
        );
      }
      // Given to someone by someone else: the new owner hears what was asked, tried and is pending.
      const owner = this.summaries.newOwner(before, after, action, actor);
      if (owner) await this.summaries.send(latest, owner);
    });
    return after;
  }

  /** The card's people picker: `actor` assigns the ticket to `assignee` (within the team; across teams a manager). */
  async assignFromPicker(ticketId: string, assignee: UserRef, actor: UserRef): Promise<Ticket> {
    await this.access.check(actor, 'assign', await this.findTicket(ticketId), { assignee });
    return this.act(ticketId, { kind: 'assign', assignee }, actor);
  }

  /**
   * A card button, from any messenger: the ticket action behind it, and what
   * the clicker alone is told. Escalate also DMs the first person of the team's
   * escalation chain (not the clicker), when the chain names one. Errors are
   * coded (see actor-feedback.ts).
   */
  async cardAction(actionId: string, ticketId: string, actor: UserRef): Promise<CardActionResult> {
    if (isAssistAction(actionId)) return this.assistant.button(actionId, ticketId, actor);
    if (isCsatButton(actionId)) return this.rate(ticketId, csatScoreOf(actionId), actor);
    if (actionId === CSAT_COMMENT_BUTTON) return this.csatComments.open(ticketId, actor);
    if (actionId === 'note') {
      // Note changes nothing by itself: an agent of the team gets the note form (and the command, where a form cannot open).
      const ticket = await this.findTicket(ticketId);
      await this.access.check(actor, 'note', ticket);
      return { ticket, reply: { text: t(this.desk.locale, 'command.noteHint', { key: ticket.key }) }, form: ticketTextForm('note', ticket, this.desk.locale) };
    }
    let action = ticketActionForButton(actionId, actor);
    if (!action) throw new ChatdeskError('chatdesk_transition_illegal', `Unknown action ${String(actionId).slice(0, 40)}`, { action: actionId });
    const current = await this.findTicket(ticketId);
    await this.access.check(actor, BUTTON_PERMISSION[actionId as TicketButton], current);
    if (action.kind === 'escalate' && !action.to) {
      const to = firstEscalationContact(current, this.sla, actor);
      if (to) action = { ...action, to };
    }
    const ticket = await this.act(ticketId, action, actor);
    const locale = this.desk.locale;
    if (action.kind === 'escalate') {
      // Raising the priority alone is not what the clicker may expect: say who, if anyone, was told.
      const params = { key: ticket.key, priority: ticket.priority, team: teamById(this.desk, ticket.team).name, teamId: ticket.team };
      const text = action.to ? t(locale, 'actor.escalatedTo', { ...params, name: displayName(action.to) }) : t(locale, 'actor.escalatedNoContact', params);
      return { ticket, reply: { text } };
    }
    if (actionId === 'acknowledge') return { ticket, reply: { text: t(locale, 'actor.acknowledged', { key: ticket.key }) } };
    if (actionId === 'take_over') {
      // Taken over by the clicker: the hand-off summary is in their private answer (no DM to oneself).
      const summary = await this.summaries.messageFor(ticket, actor);
      return { ticket, reply: { text: `${t(locale, 'actor.tookOver', { key: ticket.key })}\n\n${summary.text}` } };
    }
    return { ticket };
  }

  /** The requester's rating from the buttons under the "resolved" line: once per ticket, theirs alone. */
  private async rate(ticketId: string, score: number, actor: UserRef): Promise<CardActionResult> {
    await this.access.check(actor, 'rate', await this.findTicket(ticketId));
    const ticket = await this.act(ticketId, { kind: 'rate', score }, actor);
    const locale = ticketLocale(ticket, this.desk.locale);
    const resolved = ticket.activity.findLast((a) => a.action === 'resolved');
    const line = (resolved && requesterLineFor(ticket, resolved, locale)) ?? ticket.key;
    return { ticket, reply: { text: t(locale, 'csat.thanks', { key: ticket.key, score }) }, clicked: csatRated(ticket, line, score, locale) };
  }

  /**
   * The escalation DM: the ticket's summary and fields, with Acknowledge / Take
   * over and a link that opens the ticket's card (left out when no messenger
   * gives one). Throws when it cannot be delivered.
   */
  async notifyEscalation(ticket: Ticket, person: UserRef, why: EscalationReason): Promise<void> {
    const message = escalationMessage(ticket, why, this.notifier.card(ticket).card, await this.notifier.cardLink(ticket, person.platform), this.desk.locale);
    // A manual escalation goes through the outbox (retried); the SLA worker's has its own record and retries, so it is sent now.
    const send = (message: OutboundMessage) =>
      why.kind === 'manual' ? this.notifier.queueDirect(person, message) : this.notifier.direct(person, message).then(() => undefined);
    await send(message);
    // The person asked to step in also gets the hand-off summary (after the escalation itself, in the same DM lane).
    if (why.kind !== 'manual' || !sameUser(person, why.actor)) await this.summaries.send(ticket, person);
  }
}
