import type { TicketClassifier } from '../ai/classifier.port';
import type { DeskConfig } from '../config/desk-config.schema';
import { isChatdeskError } from '../domain/errors';
import { startClock } from '../domain/sla/clock';
import type { SlaConfig } from '../domain/sla/policy';
import { ticketSlaWakeAt } from '../domain/sla/ticket-sla';
import { type PickedAssignee, pickAssignee } from '../domain/ticket/auto-assign';
import { teamById, teamForCategory } from '../domain/ticket/routing';
import { OPEN_STATUSES, type Ticket, ticketKey, type UserRef, userKey } from '../domain/ticket/ticket';
import { type DraftClock, type RawTicketDraft, validateDraft } from '../domain/ticket/ticket-draft';
import type { NewTicket, TicketRepository } from '../domain/ticket/ticket.repository.port';
import { applyAction, isConfidentTriage } from '../domain/ticket/transitions';
import type { Logger } from '../logger';
import type { Assistant } from './assist/assistant';
import { classifySafely } from './classify-safely';
import type { OpenTicketResult, TicketSlot } from './help-desk.types';
import { localeForText, t } from './i18n';
import { DeliveryIncomplete } from './intake/delivery-incomplete';
import type { KeyedMutex } from './keyed-mutex';
import type { Notifier } from './notifier';
import type { TeamAssignment } from './team-assignment.port';
import { ticketChangeEvents, ticketOpenedEvents, type TicketEventSink } from './webhooks/ticket-events';

/**
 * Opening a ticket, the help desk's busiest path: validate, classify, number,
 * store, auto-assign, then the cards and the requester's thread, and the
 * assistant's follow-up work. Resumable per inbound request (TicketSlot).
 */
export class TicketOpening {
  constructor(
    private readonly deps: {
      desk: DeskConfig;
      tickets: TicketRepository;
      classifier: TicketClassifier;
      sla: SlaConfig;
      notifier: Notifier;
      assistant: Assistant;
      assignment: TeamAssignment;
      locks: KeyedMutex;
      logger: Logger;
      now: () => Date;
      clock: () => DraftClock;
      /** Set after construction (HelpDesk.setEvents). */
      events: () => TicketEventSink | undefined;
    },
  ) {}

  /**
   * Opens a ticket: classify, store, route, then the card in each agent channel
   * and the requester's DM thread. With `slot` (an inbound request from the
   * durable inbox) it is resumable: the ticket keeps the request's id (unique
   * among tickets), so a retry after a crash, or a second worker, finds the
   * ticket already stored and only finishes what is missing (cards, thread),
   * never a second ticket.
   */
  async open(
    raw: RawTicketDraft,
    requester: UserRef,
    slot?: TicketSlot,
    /** `by`: who submits it for the requester (an API client); `reporter`: who turned the requester's message into it (note: its link). */
    opts: { by?: UserRef; reporter?: { user: UserRef; note?: string } } = {},
  ): Promise<OpenTicketResult> {
    const validation = validateDraft(raw, this.deps.desk, this.deps.clock());
    if (!validation.ok) return validation;
    const { draft } = validation;

    // A request this process has just stored, on its first attempt, cannot have a ticket yet: no look-up.
    if (slot && !slot.fresh) {
      const stored = await this.deps.tickets.findByIntakeId(slot.id);
      if (stored) return this.resumeOpening(stored, slot);
    }
    const classification = await classifySafely(this.deps.classifier, { title: draft.title, description: draft.description }, this.deps.logger);
    const team = teamForCategory(this.deps.desk, classification.category);
    const number = await this.deps.tickets.nextNumber(this.deps.desk.firstTicketNumber);
    const now = this.deps.now();
    const system = { platform: 'system', id: 'chatdesk' } as const;
    const triaged = isConfidentTriage(classification, this.deps.desk.triagedConfidence);
    const opened: NewTicket = {
      number,
      key: ticketKey(this.deps.desk.ticketPrefix, number),
      ...draft,
      requester,
      team: team.id,
      category: classification.category,
      categoryConfidence: classification.categoryConfidence,
      priority: classification.priority,
      priorityConfidence: classification.priorityConfidence,
      classificationReason: classification.reason,
      status: triaged ? 'triaged' : 'new',
      escalationLevel: 0,
      tags: [],
      agentCards: [],
      createdAt: now,
      updatedAt: now,
      activity: [
        // Opened over the API: the API client (its token's name) is who opened it, for the requester.
        opts.by ? { at: now, action: 'created', actor: opts.by, note: `for ${userKey(requester)}` } : { at: now, action: 'created', actor: requester },
        ...(opts.reporter
          ? [{ at: now, action: 'reported' as const, actor: opts.reporter.user, ...(opts.reporter.note ? { note: opts.reporter.note } : {}) }]
          : []),
        { at: now, action: 'classified', actor: system, to: `${classification.category}/${classification.priority}`, note: classification.reason },
        ...(triaged ? [{ at: now, action: 'triaged' as const, actor: system, from: 'new', to: `${classification.category}/${classification.priority}` }] : []),
      ],
      sla: startClock(now, classification.priority),
      ...(slot ? { intakeId: slot.id } : {}),
      version: 1,
    };
    // Planned now, so posting the cards needs no second versioned write (and no second SLA write).
    opened.slaNextAt = ticketSlaWakeAt({ ...opened, id: '' }, now, this.deps.sla);
    let ticket: Ticket;
    try {
      ticket = await this.deps.tickets.insert(opened);
    } catch (err) {
      // Another attempt at this request stored its ticket first (a worker that took over a lease): finish that one.
      const stored = slot && isChatdeskError(err, 'chatdesk_intake_duplicate') ? await this.deps.tickets.findByIntakeId(slot.id) : null;
      if (!stored || !slot) throw err;
      return this.resumeOpening(stored, slot);
    }
    this.deps.events()?.publish(ticketOpenedEvents(ticket, now));
    this.deps.logger.info({ ticket: ticket.key, category: ticket.category, priority: ticket.priority, team: team.id }, 'ticket opened');
    return { ok: true, ticket: await this.finishOpening(ticket, false, slot) };
  }

  private async resumeOpening(stored: Ticket, slot: TicketSlot): Promise<OpenTicketResult> {
    this.deps.logger.info({ ticket: stored.key, intake: slot.id }, 'resuming a ticket an earlier attempt stored');
    return { ok: true, ticket: await this.finishOpening(stored, true, slot) };
  }

  /**
   * Routing, the agent cards and the requester's thread: whatever of it a
   * ticket does not have yet. Throws DeliveryIncomplete (after storing what
   * did get through) when a card or the thread could not be posted, so an
   * inbound request is retried and posts only what is still missing.
   */
  private async finishOpening(stored: Ticket, resumed: boolean, slot?: TicketSlot): Promise<Ticket> {
    let ticket = stored;
    if (!ticket.assignee && (ticket.status === 'new' || ticket.status === 'triaged') && !ticket.activity.some((a) => a.action === 'assigned'))
      ticket = await this.autoAssign(ticket);
    const missingThread = !ticket.requesterThread;
    let failed = 0;
    const before = ticket;
    ticket = await this.deps.locks.run(ticket.id, async () => {
      const locale = localeForText(`${before.title} ${before.description}`, this.deps.desk.locale);
      const [thread, cards] = await Promise.all([
        missingThread
          ? this.deps.notifier.openRequesterThread(before, { text: t(locale, 'requester.created', { key: before.key, title: before.title }) }, { resumed })
          : Promise.resolve({ ref: before.requesterThread, unreachable: false, failed: false }),
        this.deps.notifier.postMissingCards(before, { resumed }),
      ]);
      failed = cards.failed + (thread.failed ? 1 : 0);
      const changed = thread.ref !== before.requesterThread || cards.refs.length !== before.agentCards.length;
      if (!changed) return before;
      const next: Ticket = { ...before, requesterThread: thread.ref, agentCards: cards.refs };
      await this.deps.tickets.saveDelivery(next.id, {
        agentCards: next.agentCards,
        ...(next.requesterThread ? { requesterThread: next.requesterThread } : {}),
      });
      if (thread.unreachable) await this.deps.notifier.requesterUnreachable(next);
      return next;
    });
    if (failed > 0) throw new DeliveryIncomplete(ticket, failed);
    // Offers (duplicates, answers) and the agents' draft, once everything is delivered. A resumed request gets
    // what an earlier attempt did not record; the request is done (in the inbox) only when this work is.
    const work = this.deps.assistant.afterOpen(ticket, { resumed });
    slot?.followUp?.(work);
    return ticket;
  }

  /**
   * When the team auto-assigns: the agent with the ticket's category as a skill
   * and the fewest open tickets, round robin on ties. The routing policy alone
   * decides (never text from the ticket or the LLM).
   */
  private async autoAssign(ticket: Ticket): Promise<Ticket> {
    const team = teamById(this.deps.desk, ticket.team);
    if (!team.autoAssign || team.agents.length === 0) return ticket;
    // Decided once for the team across processes: the load is read and the pick stored before the next pick reads them.
    return this.deps.assignment.decide(team.id, async (lastAssignedIndex) => {
      const load = await this.deps.tickets.openLoad(team.agents, OPEN_STATUSES);
      const picked = pickAssignee({ agents: team.agents, openLoadByAgent: load, category: ticket.category, lastAssignedIndex });
      if (!picked) return { value: ticket };
      return { value: await this.assignTo(ticket, picked), index: picked.index };
    });
  }

  private async assignTo(ticket: Ticket, picked: PickedAssignee): Promise<Ticket> {
    const system = { platform: 'system', id: 'chatdesk' } as const;
    const assigned = applyAction(ticket, { kind: 'assign', assignee: picked.agent }, picked.agent, this.deps.now());
    // Being routed is not a response: status, first response and the SLA clock stay as they were.
    const next: Ticket = { ...assigned, status: ticket.status, firstResponseAt: ticket.firstResponseAt, sla: ticket.sla };
    next.activity = next.activity.map((a, i) =>
      i === next.activity.length - 1 ? { ...a, actor: system, note: `auto-assign: skill ${ticket.category}, ${picked.load} open` } : a,
    );
    await this.deps.tickets.save(next);
    this.deps.events()?.publish(ticketChangeEvents(ticket, next, { kind: 'assign', assignee: picked.agent }, system, next.updatedAt));
    return next;
  }
}
