import type { ActivityEntry, MessageRef, Ticket, UserRef } from '../domain/ticket/ticket';
import type { OutboundMessage } from './cards/card';
import { displayName } from './cards/ticket-card';
import { type Locale, localeForText, t } from './i18n';

/**
 * What the requester was told in their ticket's thread for one audit entry
 * (claimed, resolved, an agent's reply …); undefined for entries they hear
 * nothing about. The same words when the change happens and when a messenger
 * that keeps no history (the playground) rebuilds the thread after a restart.
 */
export function requesterLineFor(ticket: Ticket, entry: ActivityEntry, locale: Locale): string | undefined {
  const actor = entry.actor.platform === 'system' ? undefined : (entry.actor as UserRef);
  const params = { key: ticket.key, name: displayName(actor), priority: ticket.priority };
  switch (entry.action) {
    case 'claimed':
      return t(locale, 'requester.claimed', params);
    case 'assigned': {
      const assignee = ticket.assignee?.id === entry.to ? displayName(ticket.assignee) : (entry.to ?? '');
      return t(locale, 'requester.assigned', { ...params, name: assignee });
    }
    case 'resolved':
      return t(locale, 'requester.resolved', params);
    case 'escalated':
      return t(locale, 'requester.escalated', { ...params, priority: entry.to ?? ticket.priority });
    case 'reopened':
      return t(locale, 'requester.reopened', params);
    case 'waiting_on_requester':
      return t(locale, 'requester.waiting', params);
    case 'agent_replied':
      return t(locale, 'requester.agentReply', { ...params, text: entry.note ?? '' });
    case 'closed':
    case 'auto_closed':
      return t(locale, 'requester.closed', params);
    case 'rated':
      return t(locale, 'csat.rated', { key: ticket.key, score: entry.to ?? '' });
    default:
      return undefined;
  }
}

/** The language a ticket's requester is answered in. */
export const ticketLocale = (ticket: Ticket, fallback: Locale): Locale => localeForText(`${ticket.title} ${ticket.description}`, fallback);

/** One message of a ticket as people saw it, rebuilt from the ticket. */
export interface TranscriptEntry {
  /** The card or the requester's thread root this message is, or is under. */
  where: MessageRef;
  /** The root message itself (under its stored id); otherwise a line in its thread. */
  root: boolean;
  at: Date;
  message: OutboundMessage;
  /** Who wrote it, when not the bot (the requester's replies). */
  from?: UserRef;
}

/**
 * A ticket's conversations rebuilt from the ticket alone: its agent cards (as
 * they look now, `card`), the requester's thread (the confirmation, then a line
 * for each change they were told about and their own replies), and the
 * requester's replies under the cards. Offers, drafts, knowledge posts and
 * escalation DMs are not rebuilt.
 */
export function ticketTranscript(ticket: Ticket, card: OutboundMessage, deskLocale: Locale): TranscriptEntry[] {
  const locale = ticketLocale(ticket, deskLocale);
  const out: TranscriptEntry[] = ticket.agentCards.map((where) => ({ where, root: true, at: ticket.createdAt, message: card }));
  const thread = ticket.requesterThread;
  if (thread)
    out.push({ where: thread, root: true, at: ticket.createdAt, message: { text: t(locale, 'requester.created', { key: ticket.key, title: ticket.title }) } });
  for (const entry of ticket.activity) {
    if (entry.action === 'requester_replied' && entry.actor.platform !== 'system') {
      const from = entry.actor as UserRef;
      const text = entry.note ?? '';
      if (thread) out.push({ where: thread, root: false, at: entry.at, message: { text }, from });
      const relayed = t(deskLocale, 'agents.requesterReplied', { name: displayName(from), key: ticket.key, text });
      for (const where of ticket.agentCards) out.push({ where, root: false, at: entry.at, message: { text: relayed } });
      continue;
    }
    const line = thread && requesterLineFor(ticket, entry, locale);
    if (thread && line) out.push({ where: thread, root: false, at: entry.at, message: { text: line } });
  }
  return out;
}
