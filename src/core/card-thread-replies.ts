import type { Platform, UserRef } from '../domain/ticket/ticket';
import type { TicketRepository } from '../domain/ticket/ticket.repository.port';
import type { Logger } from '../logger';
import type { TicketActions } from './assist/assistant';
import { displayName } from './cards/ticket-card';
import { type Locale, t } from './i18n';
import type { IntakeOutcome } from './intake/intake-event';
import { MAX_REPLY_CHARS } from './requester-replies';

/** An agent's line in a card's thread that starts with this reaches the requester; any other line stays in the thread. */
export const RELAY_MARKER = '>>';

/** True when a line in a card's thread is marked for the requester (`>> text`, also the full-width `》》`). */
export function isMarkedForRequester(text: string): boolean {
  const s = text.trimStart();
  return s.startsWith(RELAY_MARKER) || s.startsWith('》》');
}

/**
 * The two-way thread, with a safe default: what an agent writes in a ticket's
 * card thread stays with the agents unless it starts with `>>`; then it is the
 * agents' reply to the requester (the same as `/ticket reply`: permission
 * checked, recorded, sent to the requester on their messenger). A slip cannot
 * reach a requester without the marker.
 */
export class CardThreadReplies {
  constructor(
    private readonly deps: { tickets: TicketRepository; logger: Logger },
    private readonly actions: TicketActions,
  ) {}

  async handle(platform: Platform, card: string, rawText: string, user: UserRef, locale: Locale): Promise<IntakeOutcome> {
    if (!isMarkedForRequester(rawText)) return { status: 'answered' };
    const ticket = await this.deps.tickets.findByCard(platform, card);
    if (!ticket) {
      this.deps.logger.info({ platform, card }, 'a >> line in a thread that is no ticket card; nothing relayed');
      return { status: 'answered' };
    }
    const text = rawText.trimStart().slice(RELAY_MARKER.length).trim().slice(0, MAX_REPLY_CHARS);
    if (text === '') return { status: 'refused', message: { text: t(locale, 'relay.empty') } };
    await this.actions.authorize(user, 'reply', ticket);
    await this.actions.act(ticket.id, { kind: 'reply', text }, user);
    this.deps.logger.info({ ticket: ticket.key, platform }, 'card thread reply relayed to the requester');
    return {
      status: 'answered',
      ticket: { id: ticket.id, key: ticket.key },
      message: { text: t(locale, 'relay.sent', { name: displayName(ticket.requester), key: ticket.key }) },
    };
  }
}
