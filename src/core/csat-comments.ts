import { capChars, stripControl } from '../ai/llm/sanitize';
import { ChatdeskError } from '../domain/errors';
import type { Ticket, UserRef } from '../domain/ticket/ticket';
import { CSAT_COMMENT_MAX, csatCommentOf, csatOf } from '../domain/ticket/transitions';
import type { TicketActions } from './assist/assistant';
import { ticketTextForm } from './forms/ticket-text-forms';
import type { CardActionResult } from './help-desk.types';
import { type Locale, t } from './i18n';
import type { OutboundMessage } from './cards/card';

/** A comment as stored: control characters removed, trimmed, capped (untrusted text: every surface escapes it). */
export const csatCommentText = (raw: string): string => capChars(stripControl(raw).trim(), CSAT_COMMENT_MAX);

/** What became of a submitted comment: added (`ok`), or refused because it was empty. */
export type CsatCommentResult = { ok: boolean; message: OutboundMessage };

/** Refuses, in the requester's words, a comment on a ticket not rated yet or already commented on. */
function assertCommentable(ticket: Ticket, locale: Locale): void {
  const why = csatOf(ticket) === undefined ? 'csatComment.notRated' : csatCommentOf(ticket) !== undefined ? 'csatComment.already' : undefined;
  if (why)
    throw new ChatdeskError('chatdesk_transition_illegal', t(locale, why, { key: ticket.key }), {
      ticket: ticket.key,
      status: ticket.status,
      action: 'csat_comment',
    });
}

/**
 * The requester's comment on their rating ("Add a comment" under it, its form, `/ticket comment`):
 * theirs alone (the `rate` permission), once rated, once. The button opens the form only when a
 * comment would be taken; a submission is checked again, since it can come without the form.
 */
export class CsatComments {
  constructor(
    private readonly actions: Pick<TicketActions, 'act' | 'findTicket' | 'authorize'>,
    private readonly localeOf: (ticket: Ticket) => Locale,
  ) {}

  /** The button: the comment form (and, where a form cannot open, the command in words). */
  async open(ticketId: string, actor: UserRef): Promise<CardActionResult> {
    const ticket = await this.actions.findTicket(ticketId);
    await this.actions.authorize(actor, 'rate', ticket);
    const locale = this.localeOf(ticket);
    assertCommentable(ticket, locale);
    return { ticket, reply: { text: t(locale, 'csatComment.hint', { key: ticket.key }) }, form: ticketTextForm('csat_comment', ticket, locale) };
  }

  /** A submitted form or the command: stored as the ticket's `csat_comment`; an empty one is refused, not stored. */
  async add(idOrKey: string, raw: string, actor: UserRef): Promise<CsatCommentResult> {
    const ticket = await this.actions.findTicket(idOrKey);
    await this.actions.authorize(actor, 'rate', ticket);
    const locale = this.localeOf(ticket);
    assertCommentable(ticket, locale);
    const text = csatCommentText(raw);
    if (text === '') return { ok: false, message: { text: t(locale, 'csatComment.empty', { key: ticket.key }) } };
    const after = await this.actions.act(ticket.id, { kind: 'csat_comment', text }, actor);
    return { ok: true, message: { text: t(locale, 'csatComment.thanks', { key: after.key }) } };
  }
}
