import type { Ticket, UserRef } from '../domain/ticket/ticket';
import type { Card, OutboundMessage } from './cards/card';
import { displayName } from './cards/ticket-card';
import { type Locale, t } from './i18n';

/** Why a person is asked to step in: an agent's Escalate click, or an SLA escalation level. */
export type EscalationReason = { kind: 'manual'; actor: UserRef } | { kind: 'sla'; level: number; target: string; label: string };

/**
 * The escalation DM: the ticket's summary and the card's fields, with
 * Acknowledge / Take over and, when a messenger gives one, a link that opens
 * the ticket's card.
 */
export function escalationMessage(
  ticket: Ticket,
  why: EscalationReason,
  ticketCard: Card | undefined,
  link: string | undefined,
  locale: Locale,
): OutboundMessage {
  const common = {
    key: ticket.key,
    priority: ticket.priority,
    title: ticket.title,
    assignee: ticket.assignee ? displayName(ticket.assignee) : t(locale, 'value.unassigned'),
  };
  const text =
    why.kind === 'manual'
      ? t(locale, 'sla.escalation.manual', { ...common, actor: displayName(why.actor) })
      : t(locale, 'sla.escalation', { ...common, level: why.level, target: why.target, label: why.label });
  return {
    text,
    card: {
      title: `${ticket.key} · ${ticket.title}`,
      status: { label: `${ticket.priority} · ${t(locale, `status.${ticket.status}`)}`, tone: 'danger' },
      fields: ticketCard?.fields ?? [],
      body: text,
      actions: [
        { id: 'acknowledge', label: t(locale, 'action.acknowledge'), value: ticket.id, style: 'primary' },
        { id: 'take_over', label: t(locale, 'action.takeOver'), value: ticket.id },
        ...(link ? [{ id: 'open_ticket', label: t(locale, 'action.openTicket'), url: link }] : []),
      ],
    },
  };
}
