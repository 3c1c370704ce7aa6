import type { TicketClassifier } from '../ai/classifier.port';
import type { DeskConfig } from '../config/desk-config.schema';
import { ChatdeskError } from '../domain/errors';
import { teamForCategory } from '../domain/ticket/routing';
import { type Ticket, ticketKey, type UserRef } from '../domain/ticket/ticket';
import { type DraftErrors, type RawTicketDraft, validateDraft } from '../domain/ticket/ticket-draft';
import type { TicketRepository } from '../domain/ticket/ticket.repository.port';
import { applyAction, type TicketAction } from '../domain/ticket/transitions';
import type { Logger } from '../logger';
import { displayName } from './cards/ticket-card';
import type { AdapterRegistry } from './chat-adapter.port';
import { classifySafely } from './classify-safely';
import { type Locale, localeForText, t } from './i18n';
import type { OutboundMessage } from './cards/card';
import { KeyedMutex } from './keyed-mutex';
import { Notifier } from './notifier';

export interface HelpDeskDeps {
  desk: DeskConfig;
  tickets: TicketRepository;
  classifier: TicketClassifier;
  adapters: AdapterRegistry;
  logger: Logger;
  now?: () => Date;
}

export type OpenTicketResult = { ok: true; ticket: Ticket } | { ok: false; errors: DraftErrors };

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
  private readonly notifier: Notifier;
  private readonly locks = new KeyedMutex();

  constructor(deps: HelpDeskDeps) {
    this.desk = deps.desk;
    this.tickets = deps.tickets;
    this.classifier = deps.classifier;
    this.logger = deps.logger.child({ component: 'help-desk' });
    this.now = deps.now ?? (() => new Date());
    this.notifier = new Notifier(deps.desk, deps.adapters, this.logger);
  }

  /** Pure validation, fast enough for a platform's 3-second acknowledgement. */
  validate(draft: RawTicketDraft) {
    return validateDraft(draft, this.desk);
  }

  async openTicket(raw: RawTicketDraft, requester: UserRef): Promise<OpenTicketResult> {
    const validation = validateDraft(raw, this.desk);
    if (!validation.ok) return validation;
    const { draft } = validation;

    const classification = await classifySafely(this.classifier, { title: draft.title, description: draft.description }, this.logger);
    const team = teamForCategory(this.desk, classification.category);
    const number = await this.tickets.nextNumber(this.desk.firstTicketNumber);
    const now = this.now();
    const system = { platform: 'system', id: 'chatdesk' } as const;
    let ticket = await this.tickets.insert({
      number,
      key: ticketKey(this.desk.ticketPrefix, number),
      ...draft,
      requester,
      team: team.id,
      category: classification.category,
      categoryConfidence: classification.categoryConfidence,
      priority: classification.priority,
      priorityConfidence: classification.priorityConfidence,
      classificationReason: classification.reason,
      status: 'new',
      escalationLevel: 0,
      tags: [],
      agentCards: [],
      createdAt: now,
      updatedAt: now,
      activity: [
        { at: now, action: 'created', actor: requester },
        { at: now, action: 'classified', actor: system, to: `${classification.category}/${classification.priority}`, note: classification.reason },
      ],
      version: 1,
    });
    this.logger.info({ ticket: ticket.key, category: ticket.category, priority: ticket.priority, team: team.id }, 'ticket opened');

    ticket = await this.locks.run(ticket.id, async () => {
      const locale = localeForText(`${draft.title} ${draft.description}`, this.desk.locale);
      const [requesterThread, agentCards] = await Promise.all([
        this.notifier.openRequesterThread(ticket, { text: t(locale, 'requester.created', { key: ticket.key, title: ticket.title }) }),
        this.notifier.postCards(ticket),
      ]);
      const next: Ticket = { ...ticket, requesterThread, agentCards, version: ticket.version + 1, updatedAt: this.now() };
      await this.tickets.save(next);
      return next;
    });
    return { ok: true, ticket };
  }

  /** What `/ticket help` answers. */
  help(locale: Locale): OutboundMessage {
    return { text: t(locale, 'command.help') };
  }

  /** What `/ticket escalations` answers: the open tickets escalated to this person. */
  async escalationsFor(user: UserRef, locale: Locale): Promise<OutboundMessage> {
    const open = await this.tickets.list({ status: ['new', 'in_progress', 'waiting_on_requester'], limit: 500 });
    const mine = open.filter((tk) => tk.escalationLevel > 0 && tk.activity.some((a) => a.action === 'escalated' && a.to === `${user.platform}:${user.id}`));
    if (mine.length === 0) return { text: t(locale, 'escalations.none') };
    const lines = mine.map((tk) => `• ${tk.key} [${tk.priority}] ${tk.title} — ${t(locale, `status.${tk.status}`)}`);
    return { text: `${t(locale, 'escalations.title', { count: mine.length })}\n${lines.join('\n')}` };
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
      const current = await this.findTicket(ticketId);
      const next = applyAction(current, action, actor, this.now());
      if (next !== current) await this.tickets.save(next);
      return { before: current, after: next };
    });
    if (after === before) return after;
    this.logger.info({ ticket: after.key, action: action.kind, actor: actor.id, status: after.status }, 'ticket changed');
    await this.locks.run(`notify:${after.id}`, async () => {
      const latest = (await this.tickets.findById(after.id)) ?? after;
      await this.notifier.refreshCards(latest);
      const line = this.requesterLine(after, action, actor);
      if (line) await this.notifier.tellRequester(after, { text: line });
    });
    return after;
  }

  private requesterLine(ticket: Ticket, action: TicketAction, actor: UserRef): string | undefined {
    const locale = localeForText(`${ticket.title} ${ticket.description}`, this.desk.locale);
    const params = { key: ticket.key, name: displayName(actor), priority: ticket.priority };
    switch (action.kind) {
      case 'claim':
        return t(locale, 'requester.claimed', params);
      case 'assign':
        return t(locale, 'requester.assigned', { ...params, name: displayName(action.assignee) });
      case 'resolve':
        return t(locale, 'requester.resolved', params);
      case 'escalate':
        return t(locale, 'requester.escalated', params);
      case 'reopen':
        return t(locale, 'requester.reopened', params);
      default:
        return undefined;
    }
  }
}
