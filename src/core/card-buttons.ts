import type { PermissionAction } from '../domain/access/permissions';
import type { UserRef } from '../domain/ticket/ticket';
import type { TicketAction } from '../domain/ticket/transitions';

import { ASSIST_ACTIONS } from './assist/assistant';
import { CSAT_BUTTONS, CSAT_COMMENT_BUTTON } from './csat';

/** Ticket buttons (the click's value is the ticket id). */
export const TICKET_BUTTONS = ['claim', 'resolve', 'escalate', 'reopen', 'wait', 'acknowledge', 'take_over', 'note', 'close'] as const;
export type TicketButton = (typeof TICKET_BUTTONS)[number];

/** What each ticket button asks, in the permission matrix's words. */
export const BUTTON_PERMISSION: Record<TicketButton, PermissionAction> = {
  claim: 'claim',
  resolve: 'resolve',
  escalate: 'escalate',
  reopen: 'reopen',
  wait: 'wait',
  acknowledge: 'acknowledge',
  take_over: 'take_over',
  note: 'note',
  close: 'close',
};

/**
 * Every button every adapter routes to `HelpDesk.cardAction`: the ticket
 * buttons, and the assistant's (offers, drafts, knowledge), whose value is
 * `ticketId~detail`.
 */
/** On the offer under a DM that answered no ticket: its value is `msg~<the message's inbox id>`. */
export const OPEN_FROM_MESSAGE = 'open_from_message';

export const CARD_ACTIONS = [...TICKET_BUTTONS, ...ASSIST_ACTIONS, OPEN_FROM_MESSAGE, ...CSAT_BUTTONS, CSAT_COMMENT_BUTTON] as const;
export type CardActionId = (typeof CARD_ACTIONS)[number];

export function isCardAction(id: string): id is CardActionId {
  return (CARD_ACTIONS as readonly string[]).includes(id);
}

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
    case 'close':
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
