import type { DeskConfig } from '../../config/desk-config.schema';
import type { MessageRef, Platform, Ticket, UserRef } from '../../domain/ticket/ticket';
import type { TicketRepository } from '../../domain/ticket/ticket.repository.port';
import type { Logger } from '../../logger';
import type { AdapterRegistry, ChatMessage } from '../chat-adapter.port';
import { displayName } from '../cards/ticket-card';
import type { OpenTicketResult, TicketSlot } from '../help-desk.types';
import { type Locale, localeForText, t } from '../i18n';
import type { Notifier } from '../notifier';
import { draftFromMessage } from '../quick-draft';
import type { RawTicketDraft } from '../../domain/ticket/ticket-draft';
import type { IntakeEvent, IntakeOutcome, SourceMessage } from './intake-event';

type FromMessage = Extract<IntakeEvent['request'], { kind: 'from_message' }>;

/** The intake id of the ticket opened from a message: a second shortcut or reaction on it finds that ticket. */
export const sourceIntakeId = (platform: Platform, source: Pick<SourceMessage, 'channelId' | 'messageId'>) =>
  `msg:${platform}:${source.channelId}:${source.messageId}`;

const reportedBy = (ticket: Ticket, user: UserRef) =>
  ticket.activity.some((a) => a.action === 'reported' && a.actor.platform === user.platform && a.actor.id === user.id);

/**
 * A chat message turned into a ticket (message shortcut / action, context-menu
 * command, the ticket emoji), the same on every messenger: the message's author
 * is the requester, the person who acted its reporter; the message's thread hears
 * that the ticket was opened. One ticket per message, however often it is asked.
 */
export class MessageIntake {
  constructor(
    private readonly deps: {
      desk: DeskConfig;
      tickets: TicketRepository;
      adapters: AdapterRegistry;
      notifier: Notifier;
      logger: Logger;
      open: (draft: RawTicketDraft, requester: UserRef, slot: TicketSlot, opts: { reporter: { user: UserRef; note?: string } }) => Promise<OpenTicketResult>;
    },
  ) {}

  async run(event: IntakeEvent & { request: FromMessage }, slot: TicketSlot): Promise<IntakeOutcome> {
    const { request, user, locale } = event;
    const platform = event.platform as Platform;
    const { source, via } = request;
    const intakeId = sourceIntakeId(platform, source);
    const log = this.deps.logger.child({ intake: event.id, via, platform });
    // The ticket of a message is unique by its intake id: a second shortcut or reaction finds it. The same
    // reporter again is this request retried (after a crash): opening it again finishes what is missing.
    const earlier = await this.deps.tickets.findByIntakeId(intakeId);
    const already = (ticket: Ticket): IntakeOutcome => {
      log.info({ ticket: ticket.key }, 'message already turned into a ticket; not opened twice');
      return { status: 'refused', message: { text: t(locale, 'fromMessage.already', { key: ticket.key }) } };
    };
    if (earlier && !reportedBy(earlier, user)) return already(earlier);
    const message = await this.read(platform, source);
    if (!message) {
      log.info({ channel: source.channelId, message: source.messageId }, 'message to open a ticket from could not be read; nothing opened');
      return { status: 'refused', message: { text: t(locale, 'fromMessage.unreadable') } };
    }
    if (message.fromBot) {
      log.info({ channel: source.channelId }, 'a bot message cannot open a ticket; skipped');
      return via === 'reaction' ? { status: 'answered' } : { status: 'refused', message: { text: t(locale, 'fromMessage.fromBot') } };
    }
    if (!request.draft && message.text.trim() === '') return { status: 'refused', message: { text: t(locale, 'fromMessage.empty') } };
    const link = source.link ?? (await this.link(platform, source));
    const sourceLine = link ? t(this.deps.desk.locale, 'fromMessage.source', { link }) : undefined;
    const draft = request.draft ?? { ...draftFromMessage(message.text, sourceLine), type: this.deps.desk.defaultType };
    const requester = message.author;
    const opened = await this.deps.open(
      draft,
      requester,
      { id: intakeId, fresh: slot.fresh && !earlier },
      { reporter: { user, ...(link ? { note: link } : {}) } },
    );
    if (!opened.ok) {
      const lines = Object.entries(opened.errors).map(([field, text]) => `${field}: ${text}`);
      return { status: 'refused', errors: opened.errors, message: { text: lines.join('\n') } };
    }
    const { ticket } = opened;
    // Two people at the same moment: the one whose insert lost is told of the other's ticket.
    if (!reportedBy(ticket, user)) return already(ticket);
    // Told once: a retry that found its ticket already stored does not tell the thread again.
    if (!earlier) await this.tellThread(ticket, platform, source, user);
    log.info({ ticket: ticket.key }, 'ticket opened from a message');
    return {
      status: 'created',
      ticket: { id: ticket.id, key: ticket.key },
      message: { text: t(locale, 'fromMessage.created', { key: ticket.key, name: displayName(requester) }) },
    };
  }

  /** What the request carried, else the message as the platform gives it now. */
  private async read(platform: Platform, source: SourceMessage): Promise<ChatMessage | undefined> {
    if (source.author && source.text !== undefined) return { author: source.author, text: source.text, fromBot: !!source.fromBot };
    const adapter = this.deps.adapters.get(platform);
    return adapter?.readMessage?.({ channelId: source.channelId, messageId: source.messageId, ...(source.threadId ? { threadId: source.threadId } : {}) });
  }

  private async link(platform: Platform, source: SourceMessage): Promise<string | undefined> {
    const ref: MessageRef = { platform, channelId: source.channelId, messageId: source.messageId, ...(source.threadId ? { threadId: source.threadId } : {}) };
    try {
      return await this.deps.adapters.get(platform)?.permalink?.(ref);
    } catch (err) {
      this.deps.logger.warn({ err, platform }, 'no link to the message a ticket is opened from');
      return undefined;
    }
  }

  /** A reply in the message's thread: the ticket is opened, and where its requester follows it. */
  private async tellThread(ticket: Ticket, platform: Platform, source: SourceMessage, reporter: UserRef): Promise<void> {
    const locale: Locale = localeForText(ticket.title, this.deps.desk.locale);
    const text = t(locale, 'fromMessage.thread', { key: ticket.key, reporter: displayName(reporter), requester: displayName(ticket.requester) });
    const at: MessageRef = { platform, channelId: source.channelId, messageId: source.messageId, ...(source.threadId ? { threadId: source.threadId } : {}) };
    await this.deps.notifier.queueInThread(ticket, at, { text });
  }
}
