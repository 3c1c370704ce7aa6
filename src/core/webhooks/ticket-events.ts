import { type ActivityEntry, sameUser, type Ticket, type UserRef } from '../../domain/ticket/ticket';
import type { TicketAction } from '../../domain/ticket/transitions';

/**
 * What downstream systems can subscribe to (outbound webhooks).
 * `ticket.note_added` carries the internal note's text: only admins create
 * subscriptions (and admins see notes), and it is sent only to subscriptions
 * that list it. `ticket.csat_commented` carries the requester's comment on
 * their rating (`change.comment`, with the score in `change.to`).
 */
export const TICKET_EVENT_TYPES = [
  'ticket.created',
  'ticket.status_changed',
  'ticket.assigned',
  'ticket.note_added',
  'ticket.escalated',
  'ticket.resolved',
  'sla.warning',
  'sla.breached',
  'ticket.csat_received',
  'ticket.csat_commented',
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

export type EventActor = UserRef | ActivityEntry['actor'];

/**
 * Something that happened to a ticket, after it was stored. `id` is
 * deterministic (ticket, version, type), so the same change told twice carries
 * the same id and a receiver can drop the second.
 */
export interface TicketEvent {
  id: string;
  type: TicketEventType;
  at: Date;
  ticket: Ticket;
  actor: EventActor;
  /** What changed: the status or assignee before and after, the SLA target and how much of it is used. */
  change?: { from?: string | null; to?: string | null; target?: string; fraction?: number; note?: string; comment?: string };
}

/** Where the core tells what happened (the webhook dispatcher). Must never throw or make the caller wait. */
export interface TicketEventSink {
  publish(events: TicketEvent[]): void;
}

const SYSTEM = { platform: 'system', id: 'chatdesk' } as const;
const eventId = (ticket: Ticket, type: string, suffix = `v${ticket.version}`) => `evt_${ticket.id}_${suffix}_${type.replace('.', '_')}`;
const who = (u: UserRef | undefined) => (u ? `${u.platform}:${u.id}` : null);

export function ticketOpenedEvents(ticket: Ticket, at: Date): TicketEvent[] {
  return [{ id: eventId(ticket, 'ticket.created', 'v1'), type: 'ticket.created', at, ticket, actor: ticket.activity[0]?.actor ?? SYSTEM }];
}

/** The events one stored change makes: a status change, an assignment, an escalation, a resolution (several at once when it is several). */
export function ticketChangeEvents(before: Ticket, after: Ticket, action: TicketAction, actor: EventActor, at: Date): TicketEvent[] {
  const events: TicketEvent[] = [];
  const add = (type: TicketEventType, change?: TicketEvent['change']) =>
    events.push({ id: eventId(after, type), type, at, ticket: after, actor, ...(change ? { change } : {}) });
  if (before.status !== after.status) add('ticket.status_changed', { from: before.status, to: after.status });
  if (!sameUser(before.assignee, after.assignee) && after.assignee) add('ticket.assigned', { from: who(before.assignee), to: who(after.assignee) });
  if (action.kind === 'note') add('ticket.note_added', { note: after.activity.findLast((a) => a.action === 'note')?.note ?? action.text });
  if (action.kind === 'escalate') add('ticket.escalated', { from: before.priority, to: after.priority });
  if (after.status === 'resolved' && before.status !== 'resolved') add('ticket.resolved');
  if (action.kind === 'rate') add('ticket.csat_received', { to: String(action.score) });
  if (action.kind === 'csat_comment') {
    const commented = after.activity.findLast((a) => a.action === 'csat_commented');
    add('ticket.csat_commented', { to: commented?.to ?? null, comment: commented?.note ?? action.text });
  }
  return events;
}

/** An SLA reminder the worker sent: under 100% of the target a warning, at or past it a breach. */
export function slaEvent(ticket: Ticket, notificationKey: string, target: string, fraction: number, at: Date): TicketEvent {
  const type: TicketEventType = fraction >= 1 ? 'sla.breached' : 'sla.warning';
  return { id: `evt_${ticket.id}_${notificationKey.replace(/[^A-Za-z0-9]+/g, '_')}`, type, at, ticket, actor: SYSTEM, change: { target, fraction } };
}
