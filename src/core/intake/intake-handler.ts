import { isChatdeskError } from '../../domain/errors';
import { feedbackForError } from '../actor-feedback';
import { parseCommandText, parseTextCommand, type ParsedCommand } from '../commands';
import type { HelpDesk, TicketSlot } from '../help-desk';
import { type Locale, t } from '../i18n';
import { draftFromText, quickDraft } from '../quick-draft';
import type { RawTicketDraft } from '../../domain/ticket/ticket-draft';
import { sameUser, type UserRef } from '../../domain/ticket/ticket';
import type { OutboundMessage } from '../cards/card';
import { OPEN_FROM_MESSAGE } from '../card-buttons';
import type { InboxStore } from './inbox.port';
import type { IntakeEvent, IntakeOutcome } from './intake-event';

/**
 * Does what an inbound event asks, the same for every messenger: the command
 * grammar, quick ticket or sub-command, form submission, DM reply, card button.
 * Expected refusals (not permitted, already claimed, unknown ticket) become a
 * `refused` outcome; anything else is thrown and the inbox retries it.
 */
/** A DM this long (and of two words or more) that answers no ticket is offered as a new ticket; shorter ones ("thanks") get help. */
const MIN_OFFER_CHARS = 12;

export class IntakeHandler {
  constructor(
    private readonly desk: HelpDesk,
    /** Where a DM offered as a ticket is read back from when its button is clicked. */
    private readonly inbox?: Pick<InboxStore, 'get'>,
  ) {}

  async run(event: IntakeEvent, slot: TicketSlot): Promise<IntakeOutcome> {
    const { request, user, locale } = event;
    try {
      switch (request.kind) {
        case 'command':
          return await this.command(parseCommandText(request.text), request.text, user, locale, slot);
        case 'submit':
          return await this.open(request.draft, user, locale, slot, request.by);
        case 'message': {
          const command = parseTextCommand(request.text);
          if (command) return await this.command(command, request.text, user, locale, slot);
          const answer = await this.desk.requesterMessage(user, request.text, request.threadId);
          if (answer) return { status: 'answered', message: answer };
          return { status: 'answered', message: this.offerOrHelp(event), unmatched: true };
        }
        case 'from_message':
          return await this.desk.openFromMessage({ ...event, request }, slot);
        case 'card_reply':
          if (event.platform === 'api') return { status: 'answered' };
          return await this.desk.cardThreadReply(event.platform, request.card, request.text, user, locale);
        case 'button': {
          const summary = (tk: { id: string; key: string; status: string; assignee?: UserRef }) => ({
            id: tk.id,
            key: tk.key,
            status: tk.status,
            assignee: tk.assignee?.id ?? null,
          });
          if (request.action === OPEN_FROM_MESSAGE) return await this.openFromMessage(request.ticketId, user, locale);
          if (request.assignee) {
            const ticket = await this.desk.assignFromPicker(request.ticketId, request.assignee, user);
            return { status: 'answered', ticket: summary(ticket) };
          }
          const result = await this.desk.cardAction(request.action, request.ticketId, user);
          return {
            status: 'answered',
            ticket: summary(result.ticket),
            ...(result.reply ? { message: result.reply } : {}),
            ...(result.clicked ? { clicked: result.clicked } : {}),
            ...(result.form ? { form: result.form } : {}),
          };
        }
        case 'note': {
          const noted = await this.desk.addNote(request.ticketId, request.text, user, locale);
          return { status: noted.ok ? 'answered' : 'refused', message: noted.message };
        }
        case 'csat_comment': {
          const commented = await this.desk.commentOnRating(request.ticketId, request.text, user);
          return { status: commented.ok ? 'answered' : 'refused', message: commented.message };
        }
      }
    } catch (err) {
      if (!isChatdeskError(err) || err.code === 'chatdesk_delivery_incomplete') throw err;
      const feedback = feedbackForError(
        err,
        this.desk.desk.locale,
        request.kind === 'button' || request.kind === 'note' || request.kind === 'csat_comment' ? request.ticketId : '',
      );
      if (!feedback.expected) throw err;
      return { status: 'refused', message: { text: feedback.text } };
    }
  }

  /** A DM that answers none of the person's tickets: "Open a ticket with this?" (a button), or help when it is too short to be a request. */
  private offerOrHelp(event: IntakeEvent): OutboundMessage {
    const text = event.request.kind === 'message' ? event.request.text.trim() : '';
    if (!this.inbox || text.length < MIN_OFFER_CHARS || text.split(/\s+/).length < 2) return this.desk.help(event.locale);
    const preview = text.length > 300 ? `${text.slice(0, 299)}…` : text;
    const title = t(event.locale, 'dmOffer.title');
    return {
      text: `${title}\n${preview}`,
      card: {
        title,
        fields: [],
        body: `${preview}\n\n${t(event.locale, 'dmOffer.body')}`,
        actions: [{ id: OPEN_FROM_MESSAGE, label: t(event.locale, 'action.openFromMessage'), value: `msg~${event.id}`, style: 'primary' }],
      },
    };
  }

  /**
   * The offer's button: opens the ticket from the stored message, for its
   * author only. The ticket is tied to the message (its number reserved on it),
   * so a second click, or a retry, finds the same ticket instead of a second one.
   */
  private async openFromMessage(value: string, user: UserRef, locale: Locale): Promise<IntakeOutcome> {
    const id = value.startsWith('msg~') ? value.slice(4) : '';
    const original = id && this.inbox ? await this.inbox.get(id) : null;
    if (original?.event.request.kind !== 'message') return { status: 'refused', message: { text: t(locale, 'dmOffer.gone') } };
    if (!sameUser(original.event.user, user)) return { status: 'refused', message: { text: t(locale, 'dmOffer.notYours') } };
    // Tied to the message: a second click (or a retry) finds the ticket the first one opened.
    const slot: TicketSlot = { id: original.event.id, fresh: false };
    const draft = { ...draftFromText(original.event.request.text), type: this.desk.desk.defaultType };
    const outcome = await this.open(draft, original.event.user, locale, slot);
    if (outcome.status !== 'created' || !outcome.ticket) return outcome;
    return { ...outcome, clicked: { text: t(locale, 'dmOffer.opened', { key: outcome.ticket.key }) } };
  }

  private async command(command: ParsedCommand, text: string, user: UserRef, locale: Locale, slot: TicketSlot): Promise<IntakeOutcome> {
    if (command.kind === 'form') return { status: 'answered', message: this.desk.help(locale) };
    if (command.kind !== 'quick') return { status: 'answered', message: await this.desk.runCommand(command, user, locale) };
    // The adapter opens the form when a line is not enough; here only a valid one-line draft remains, or the first line as the title.
    const draft = quickDraft(command.text, this.desk.desk) ?? { ...draftFromText(text), type: this.desk.desk.defaultType };
    return this.open(draft, user, locale, slot);
  }

  private async open(draft: RawTicketDraft, user: UserRef, locale: Locale, slot: TicketSlot, by?: UserRef): Promise<IntakeOutcome> {
    const result = await this.desk.openTicket(draft, user, slot, by ? { by } : {});
    if (!result.ok) {
      const lines = Object.entries(result.errors).map(([field, message]) => `${field}: ${message}`);
      return { status: 'refused', errors: result.errors, message: { text: lines.join('\n') } };
    }
    const { ticket } = result;
    return { status: 'created', ticket: { id: ticket.id, key: ticket.key }, message: { text: t(locale, 'command.created', { key: ticket.key }) } };
  }
}
