import { isChatdeskError } from '../../domain/errors';
import { feedbackForError } from '../actor-feedback';
import { parseCommandText, parseTextCommand, type ParsedCommand } from '../commands';
import type { HelpDesk, TicketSlot } from '../help-desk';
import { type Locale, t } from '../i18n';
import { draftFromText, quickDraft } from '../quick-draft';
import type { RawTicketDraft } from '../../domain/ticket/ticket-draft';
import type { UserRef } from '../../domain/ticket/ticket';
import type { IntakeEvent, IntakeOutcome } from './intake-event';

/**
 * Does what an inbound event asks, the same for every messenger: the command
 * grammar, quick ticket or sub-command, form submission, DM reply, card button.
 * Expected refusals (not permitted, already claimed, unknown ticket) become a
 * `refused` outcome; anything else is thrown and the inbox retries it.
 */
export class IntakeHandler {
  constructor(private readonly desk: HelpDesk) {}

  async run(event: IntakeEvent, slot: TicketSlot): Promise<IntakeOutcome> {
    const { request, user, locale } = event;
    try {
      switch (request.kind) {
        case 'command':
          return await this.command(parseCommandText(request.text), request.text, user, locale, slot);
        case 'submit':
          return await this.open(request.draft, user, locale, slot);
        case 'message': {
          const command = parseTextCommand(request.text);
          if (command) return await this.command(command, request.text, user, locale, slot);
          const answer = await this.desk.requesterMessage(user, request.text, request.threadId);
          return answer ? { status: 'answered', message: answer } : { status: 'answered', message: this.desk.help(locale), unmatched: true };
        }
        case 'button': {
          const summary = (tk: { id: string; key: string; status: string; assignee?: UserRef }) => ({ id: tk.id, key: tk.key, status: tk.status, assignee: tk.assignee?.id ?? null });
          if (request.assignee) {
            const ticket = await this.desk.assignFromPicker(request.ticketId, request.assignee, user);
            return { status: 'answered', ticket: summary(ticket) };
          }
          const result = await this.desk.cardAction(request.action, request.ticketId, user);
          return { status: 'answered', ticket: summary(result.ticket), ...(result.reply ? { message: result.reply } : {}), ...(result.clicked ? { clicked: result.clicked } : {}) };
        }
      }
    } catch (err) {
      if (!isChatdeskError(err) || err.code === 'chatdesk_delivery_incomplete') throw err;
      const feedback = feedbackForError(err, this.desk.desk.locale, request.kind === 'button' ? request.ticketId : '');
      if (!feedback.expected) throw err;
      return { status: 'refused', message: { text: feedback.text } };
    }
  }

  private async command(command: ParsedCommand, text: string, user: UserRef, locale: Locale, slot: TicketSlot): Promise<IntakeOutcome> {
    if (command.kind === 'form') return { status: 'answered', message: this.desk.help(locale) };
    if (command.kind !== 'quick') return { status: 'answered', message: await this.desk.runCommand(command, user, locale) };
    // The adapter opens the form when a line is not enough; here only a valid one-line draft remains, or the first line as the title.
    const draft = quickDraft(command.text, this.desk.desk) ?? { ...draftFromText(text), type: this.desk.desk.defaultType };
    return this.open(draft, user, locale, slot);
  }

  private async open(draft: RawTicketDraft, user: UserRef, locale: Locale, slot: TicketSlot): Promise<IntakeOutcome> {
    const result = await this.desk.openTicket(draft, user, slot);
    if (!result.ok) {
      const lines = Object.entries(result.errors).map(([field, message]) => `${field}: ${message}`);
      return { status: 'refused', errors: result.errors, message: { text: lines.join('\n') } };
    }
    const { ticket } = result;
    return { status: 'created', ticket: { id: ticket.id, key: ticket.key }, message: { text: t(locale, 'command.created', { key: ticket.key }) } };
  }
}
