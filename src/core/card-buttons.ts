import type { UserRef } from '../domain/ticket/ticket';
import type { TicketAction } from '../domain/ticket/transitions';

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
