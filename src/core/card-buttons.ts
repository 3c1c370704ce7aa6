import type { UserRef } from '../domain/ticket/ticket';
import type { TicketAction } from '../domain/ticket/transitions';

/** Card buttons every adapter routes (the click's value is the ticket id). */
export const CARD_ACTIONS = ['claim', 'resolve', 'escalate', 'reopen', 'wait', 'acknowledge', 'take_over'] as const;
export type CardActionId = (typeof CARD_ACTIONS)[number];

/**
 * The ticket action behind a card button, by its neutral id. Every adapter
 * routes its platform's click through this, so a button added to a card works
 * on every messenger. Undefined for an id that is not a ticket button.
 */
export function ticketActionForButton(id: string, actor: UserRef): TicketAction | undefined {
  switch (id) {
    case 'claim':
    case 'resolve':
    case 'escalate':
    case 'reopen':
      return { kind: id };
    case 'wait':
      return { kind: 'wait_on_requester' };
    case 'acknowledge':
      return { kind: 'acknowledge_escalation' };
    case 'take_over':
      return { kind: 'assign', assignee: actor };
    default:
      return undefined;
  }
}
