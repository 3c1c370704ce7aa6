import type { HelpDesk } from '../../core/help-desk';
import { parseTextCommand, type ParsedCommand } from '../../core/commands';
import { ticketForm } from '../../core/forms/ticket-form';
import { type Locale, localeForText, t } from '../../core/i18n';
import { draftFromText, quickDraft } from '../../core/quick-draft';
import type { UserRef } from '../../domain/ticket/ticket';
import type { DeliveryLog } from '../../domain/ticket/ticket.repository.port';
import type { Logger } from '../../logger';
import type { FeishuAdapter } from './feishu-adapter';
import { formToCard } from './form-card';

export interface FeishuDeps {
  desk: HelpDesk;
  deliveries: DeliveryLog;
  logger: Logger;
  adapter: FeishuAdapter;
}

/** The bot menu item (console: Bot > Custom menu, event key) that opens the form. */
export const MENU_NEW_TICKET = 'new_ticket';

export interface MessageEvent {
  event_id?: string;
  sender?: { sender_id?: { open_id?: string }; sender_type?: string };
  message?: { message_id?: string; root_id?: string; parent_id?: string; chat_id?: string; chat_type?: string; message_type?: string; content?: string; mentions?: Array<{ key?: string }> };
}

export interface MenuEvent {
  event_id?: string;
  event_key?: string;
  operator?: { operator_name?: string; operator_id?: { open_id?: string } };
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
  private readonly log: Logger;

  constructor(private readonly deps: FeishuDeps) {
    this.log = deps.logger.child({ component: 'feishu-commands' });
  }

  /** Decides fast (is this a command for us?); the work runs after the acknowledgement. */
  onMessage(event: MessageEvent): (() => Promise<void>) | undefined {
    const message = event.message;
    const openId = event.sender?.sender_id?.open_id;
    if (!message?.message_id || !openId || event.sender?.sender_type !== 'user') return undefined;
    if (message.chat_type !== 'p2p' && !(message.mentions?.length ?? 0)) return undefined; // groups: only when @mentioned
    const text = commandText(message);
    const command = text === undefined ? undefined : parseTextCommand(text);
    const messageId = message.message_id;
    if (!command && text !== undefined && message.chat_type === 'p2p') {
      // Not a command, in the DM: an answer on one of their tickets (a reply in its thread, naming its key, or their only open one).
      const threadId = message.root_id || message.parent_id || undefined;
      return async () => {
        if (!(await this.first(event.event_id, messageId))) return;
        const { desk, adapter } = this.deps;
        const answer = await desk.requesterMessage(await adapter.user(openId), text, threadId);
        await adapter.reply(messageId, answer ?? desk.help(localeForText(text, desk.desk.locale)));
      };
    }
    if (!command || text === undefined) return undefined;
    return async () => {
      if (!(await this.first(event.event_id, messageId))) return;
      await this.run(command, text, { openId, messageId, inGroup: message.chat_type !== 'p2p' });
    };
  }

  onMenu(event: MenuEvent): (() => Promise<void>) | undefined {
    const openId = event.operator?.operator_id?.open_id;
    if (event.event_key !== MENU_NEW_TICKET || !openId) return undefined;
    return async () => {
      if (!(await this.first(event.event_id, `menu:${openId}:${event.event_key}`))) return;
      await this.sendForm(openId, this.deps.desk.desk.locale);
    };
  }

  private async first(eventId: string | undefined, fallback: string): Promise<boolean> {
    const fresh = await this.deps.deliveries.firstDelivery(`feishu:${eventId ?? fallback}`);
    if (!fresh) this.log.info({ eventId }, 'duplicate Feishu delivery ignored');
    return fresh;
  }

  private async run(command: ParsedCommand, text: string, where: { openId: string; messageId: string; inGroup: boolean }): Promise<void> {
    const { desk, adapter } = this.deps;
    const locale = localeForText(text, desk.desk.locale);
    const answer = (reply: string) => adapter.reply(where.messageId, { text: reply });
    switch (command.kind) {
      case 'help':
      case 'escalations':
      case 'reply':
      case 'category':
      case 'kb':
        await answer((await desk.runCommand(command, await adapter.user(where.openId), locale)).text);
        return;
      case 'form':
        await this.sendForm(where.openId, locale);
        return;
      case 'quick': {
        const draft = quickDraft(command.text, desk.desk);
        if (!draft) {
          await this.sendForm(where.openId, locale, draftFromText(command.text).title);
          return;
        }
        await this.openTicket(draft, await adapter.user(where.openId), locale, where, answer);
      }
    }
  }

  private async openTicket(
    draft: NonNullable<ReturnType<typeof quickDraft>>,
    requester: UserRef,
    locale: Locale,
    where: { inGroup: boolean },
    answer: (text: string) => Promise<unknown>,
  ): Promise<void> {
    let result;
    try {
      result = await this.deps.desk.openTicket(draft, requester);
    } catch (err) {
      this.log.error({ err, user: requester.id }, 'opening a ticket failed');
      await answer(t(locale, 'command.failed', { text: String(draft.title) }));
      return;
    }
    if (!result.ok) return;
    // In a DM the core's confirmation already sits right there; a group (or a DM that failed) gets the key as a reply.
    if (where.inGroup || !result.ticket.requesterThread) await answer(t(locale, 'command.created', { key: result.ticket.key }));
  }

  /** The ticket form, as a card in the person's DM with the bot. */
  async sendForm(openId: string, locale: Locale, title?: string): Promise<void> {
    const form = ticketForm(this.deps.desk.desk, locale, { title });
    await this.deps.adapter.send({ openId }, formToCard(form, { locale }, { title }));
  }
}
