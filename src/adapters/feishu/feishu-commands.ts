import type { HelpDesk } from '../../core/help-desk';
import { isMarkedForRequester } from '../../core/card-thread-replies';
import { parseTextCommand } from '../../core/commands';
import type { IntakeRequest } from '../../core/intake/intake-event';
import type { IntakePipeline } from '../../core/intake/intake-pipeline';
import { ticketForm } from '../../core/forms/ticket-form';
import { type Locale, localeForText } from '../../core/i18n';
import { draftFromText, quickDraft } from '../../core/quick-draft';
import type { Logger } from '../../logger';
import type { FeishuAdapter } from './feishu-adapter';
import { formToCard } from './form-card';
import type { FeishuReplyRoute } from './feishu-replier';

export interface FeishuDeps {
  desk: HelpDesk;
  intake: IntakePipeline;
  logger: Logger;
  adapter: FeishuAdapter;
}

/** The bot menu item (console: Bot > Custom menu, event key) that opens the form. */
export const MENU_NEW_TICKET = 'new_ticket';

export interface MessageEvent {
  event_id?: string;
  sender?: { sender_id?: { open_id?: string }; sender_type?: string };
  message?: {
    message_id?: string;
    root_id?: string;
    parent_id?: string;
    chat_id?: string;
    chat_type?: string;
    message_type?: string;
    content?: string;
    mentions?: Array<{ key?: string }>;
  };
}

export interface MenuEvent {
  event_id?: string;
  event_key?: string;
  operator?: { operator_name?: string; operator_id?: { open_id?: string } };
}

export interface ReactionEvent {
  message_id?: string;
  reaction_type?: { emoji_type?: string };
  operator_type?: string;
  user_id?: { open_id?: string };
}

/** The text of a text message with every @mention key (`@_user_1`) taken out. */
export function commandText(message: NonNullable<MessageEvent['message']>): string | undefined {
  if (message.message_type !== 'text' || !message.content) return undefined;
  let text: string;
  try {
    text = String((JSON.parse(message.content) as { text?: unknown }).text ?? '');
  } catch {
    return undefined;
  }
  for (const m of message.mentions ?? []) if (m.key) text = text.split(m.key).join(' ');
  return text.trim();
}

/**
 * Text commands (`/ticket …`, `/工单 …`, `ticket …`) in a DM with the bot or
 * with an @mention in a group, and the bot menu. Answers come in the
 * requester's language; a group gets its answer as a reply to the command.
 */
export class FeishuCommands {
  constructor(private readonly deps: FeishuDeps) {}

  /**
   * A message to the bot. What creates nothing (help, the form) is answered
   * after the acknowledgement (`later`); commands and replies on tickets are
   * stored first (a failure to store throws: Feishu then gets a 500 and
   * delivers the event again).
   */
  async onMessage(event: MessageEvent, later: (what: string, work: () => Promise<void>) => void): Promise<void> {
    const message = event.message;
    const openId = event.sender?.sender_id?.open_id;
    if (!message?.message_id || !openId || event.sender?.sender_type !== 'user') return;
    const inGroup = message.chat_type !== 'p2p';
    if (inGroup && !(message.mentions?.length ?? 0)) return; // groups: only when @mentioned
    const text = commandText(message);
    if (text === undefined) return;
    const command = parseTextCommand(text);
    const { desk, adapter } = this.deps;
    const locale = localeForText(text, desk.desk.locale);
    const messageId = message.message_id;
    const user = { platform: 'feishu' as const, id: openId };
    // In a card's thread in a group: `@chatdesk >> …` is the agents' answer to the requester; other lines stay in the thread.
    const store = (request: IntakeRequest) =>
      this.deps.intake.submit({
        id: `feishu:${event.event_id ?? messageId}`,
        platform: 'feishu',
        user,
        locale,
        request,
        reply: { via: 'reply', messageId, inGroup },
      });
    if (inGroup && message.root_id && !command && isMarkedForRequester(text)) return void (await store({ kind: 'card_reply', text, card: message.root_id }));
    // Message → ticket, the nearest Feishu offers a bot (its message shortcuts open a web app): reply to a message with
    // `@chatdesk /ticket` alone, and the message it answers becomes a ticket for its author.
    if (inGroup && message.parent_id && command?.kind === 'form') {
      // Feishu message ids are unique across chats: the chat is left out, so a reaction (which names no chat) finds the same message.
      return void (await store({ kind: 'from_message', via: 'shortcut', source: { channelId: '', messageId: message.parent_id } }));
    }
    if (!command && inGroup) return;
    if (command?.kind === 'help') return later('a Feishu help answer', async () => void (await adapter.reply(messageId, desk.help(locale))));
    if (command?.kind === 'form') return later('sending the Feishu form', () => this.sendForm(openId, locale));
    if (command?.kind === 'quick' && !quickDraft(command.text, desk.desk))
      return later('sending the Feishu form', () => this.sendForm(openId, locale, draftFromText(command.text).title));
    const threadId = message.root_id || message.parent_id || undefined;
    const reply: FeishuReplyRoute = { via: 'reply', messageId, inGroup };
    await this.deps.intake.submit({
      id: `feishu:${event.event_id ?? messageId}`,
      platform: 'feishu',
      user: { platform: 'feishu', id: openId },
      locale,
      request: { kind: 'message', text, ...(threadId ? { threadId } : {}) },
      reply,
    });
  }

  /** The desk's ticket emoji on a message (im.message.reaction.created_v1): one request per message, stored before Feishu hears back. */
  async onReaction(event: ReactionEvent): Promise<void> {
    const openId = event.user_id?.open_id;
    if (event.operator_type !== 'user' || !openId || !event.message_id) return;
    if (event.reaction_type?.emoji_type !== this.deps.desk.desk.ticketEmoji.feishu) return;
    const reply: FeishuReplyRoute = { via: 'dm', openId };
    await this.deps.intake.submit({
      id: `feishu:reaction:${event.message_id}`,
      platform: 'feishu',
      user: { platform: 'feishu', id: openId },
      locale: this.deps.desk.desk.locale,
      request: { kind: 'from_message', via: 'reaction', source: { channelId: '', messageId: event.message_id } },
      reply,
    });
  }

  onMenu(event: MenuEvent): (() => Promise<void>) | undefined {
    const openId = event.operator?.operator_id?.open_id;
    if (event.event_key !== MENU_NEW_TICKET || !openId) return undefined;
    // Opening the form creates nothing: a lost click is clicked again.
    return () => this.sendForm(openId, this.deps.desk.desk.locale);
  }

  /** The ticket form, as a card in the person's DM with the bot. */
  async sendForm(openId: string, locale: Locale, title?: string): Promise<void> {
    const form = ticketForm(this.deps.desk.desk, locale, { title });
    await this.deps.adapter.send({ openId }, formToCard(form, { locale }, { title }));
  }
}
