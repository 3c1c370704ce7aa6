import { ChatdeskError } from '../../domain/errors';
import type { Ticket } from '../../domain/ticket/ticket';

/**
 * The ticket is stored but a card or the requester's thread could not be
 * posted yet (the platform is down, rate limited …). The inbound request is
 * retried; the retry finds the stored ticket and posts only what is missing.
 */
export class DeliveryIncomplete extends ChatdeskError {
  constructor(
    readonly ticket: Ticket,
    readonly missing: number,
  ) {
    super('chatdesk_delivery_incomplete', `${ticket.key}: ${missing} message(s) not delivered yet`, { ticket: ticket.key, missing });
  }
}

export const isDeliveryIncomplete = (err: unknown): err is DeliveryIncomplete => err instanceof DeliveryIncomplete;
