import { capChars, stripControl } from '../ai/llm/sanitize';
import type { DeskConfig } from '../config/desk-config.schema';
import { OPEN_STATUSES, type Ticket, type UserRef } from '../domain/ticket/ticket';
import type { TicketRepository } from '../domain/ticket/ticket.repository.port';
import type { Logger } from '../logger';
import type { TicketActions } from './assist/assistant';
import { requesterLocale } from './assist/assistant';
import type { OutboundMessage } from './cards/card';
import { displayName } from './cards/ticket-card';
import { type Locale, t } from './i18n';
import type { Notifier } from './notifier';

/** Longest reply kept on the ticket and relayed to the agents. */
export const MAX_REPLY_CHARS = 2000;
const KEY_IN_TEXT = /\b([A-Z]{1,6}-\d+)\b/g;

/**
 * A requester writes to the bot outside a command (in their ticket's DM
 * thread, or a plain DM). The message goes to the ticket it answers: the one
 * whose thread it is in, else the one whose key it names, else their only
 * ticket waiting on them, else their only open ticket. A ticket waiting on
 * them resumes (its SLA clock with it); a resolved one, answered in its
 * thread or by key, reopens. The agents see the text under the card.
 */
export class RequesterReplies {
  constructor(
    private readonly deps: {
      desk: DeskConfig;
      tickets: TicketRepository;
      notifier: Notifier;
      logger: Logger;
      /** Opens a new ticket linked to a closed one (HelpDesk.openFollowUp). */
      openFollowUp: (closed: Ticket, requester: UserRef, text: string) => Promise<{ ok: true; ticket: Ticket } | { ok: false }>;
    },
    private readonly actions: TicketActions,
  ) {}

  /** What the requester is told; undefined when the message answers no ticket of theirs (the adapter then shows help). */
  async handle(user: UserRef, rawText: string, threadId?: string): Promise<OutboundMessage | undefined> {
    const text = capChars(stripControl(rawText).trim(), MAX_REPLY_CHARS);
    if (text === '') return undefined;
    const mine = await this.deps.tickets.list({ requester: user, status: [...OPEN_STATUSES, 'resolved'], limit: 50 });
    const named = new Set([...text.toUpperCase().matchAll(KEY_IN_TEXT)].map((m) => m[1]));
    const inThread = (tk: Ticket) =>
      !!threadId && !!tk.requesterThread && (tk.requesterThread.messageId === threadId || tk.requesterThread.threadId === threadId);
    // Written in a closed ticket's thread (or naming it) and about no open one: a new, linked ticket.
    if (!mine.some((tk) => inThread(tk) || named.has(tk.key)) && (threadId || named.size > 0)) {
      const closed = (await this.deps.tickets.list({ requester: user, status: ['closed'], limit: 50 })).find((tk) => inThread(tk) || named.has(tk.key));
      if (closed) return this.followUp(closed, user, text);
    }
    if (mine.length === 0) return undefined;
    const open = mine.filter((tk) => tk.status !== 'resolved');
    const ticket =
      mine.find(inThread) ?? mine.find((tk) => named.has(tk.key)) ?? single(open.filter((tk) => tk.status === 'waiting_on_requester')) ?? single(open);
    const locale = requesterLocale(mine[0]!, this.deps.desk.locale);
    if (!ticket) {
      if (open.length < 2) return undefined;
      const keys = open.map((tk) => tk.key);
      return { text: t(locale, 'requester.whichTicket', { keys: keys.join(', '), first: keys[0]! }) };
    }
    return this.record(ticket, user, text, requesterLocale(ticket, this.deps.desk.locale));
  }

  private async followUp(closed: Ticket, user: UserRef, text: string): Promise<OutboundMessage | undefined> {
    await this.actions.authorize(user, 'requester_reply', closed);
    const opened = await this.deps.openFollowUp(closed, user, text);
    if (!opened.ok) return undefined;
    this.deps.logger.info({ ticket: opened.ticket.key, closed: closed.key }, 'reply to a closed ticket opened a follow-up');
    return { text: t(requesterLocale(closed, this.deps.desk.locale), 'requester.followUp', { key: closed.key, newKey: opened.ticket.key }) };
  }

  private async record(ticket: Ticket, user: UserRef, text: string, locale: Locale): Promise<OutboundMessage> {
    await this.actions.authorize(user, 'requester_reply', ticket);
    const reopened = ticket.status === 'resolved';
    if (reopened) await this.actions.act(ticket.id, { kind: 'reopen' }, user);
    const after = await this.actions.act(ticket.id, { kind: 'requester_replied', text }, user);
    await this.deps.notifier.queueInCardThreads(after, {
      text: t(this.deps.desk.locale, 'agents.requesterReplied', { name: displayName(user), key: ticket.key, text }),
    });
    this.deps.logger.info({ ticket: ticket.key, resumed: ticket.status === 'waiting_on_requester', reopened }, 'requester replied');
    return { text: t(locale, reopened ? 'requester.replyReopened' : 'requester.replyAdded', { key: ticket.key }) };
  }
}

function single<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}
