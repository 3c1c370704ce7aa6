import { capChars, stripControl } from '../ai/llm/sanitize';
import type { Ticket, UserRef } from '../domain/ticket/ticket';
import type { TicketAction } from '../domain/ticket/transitions';
import { displayName } from './cards/ticket-card';
import { type Locale, t } from './i18n';
import type { Notifier } from './notifier';
import { MAX_REPLY_CHARS } from './requester-replies';

/** A note as stored: control characters removed, trimmed, capped. */
export const noteText = (raw: string): string => capChars(stripControl(raw).trim(), MAX_REPLY_CHARS);

/**
 * An internal note (a chat command or the REST API): untrusted text cleaned,
 * stored as its own activity type, and posted under the ticket's cards (the
 * agents' threads), nowhere else. The caller has checked the `note` permission.
 */
export async function addInternalNote(
  deps: { act(ticketId: string, action: TicketAction, actor: UserRef): Promise<Ticket>; notifier: Notifier; locale: Locale },
  ticketId: string,
  raw: string,
  actor: UserRef,
): Promise<Ticket> {
  const text = noteText(raw);
  const after = await deps.act(ticketId, { kind: 'note', text }, actor);
  await deps.notifier.queueInCardThreads(after, { text: t(deps.locale, 'agents.note', { key: after.key, name: displayName(actor), text }) });
  return after;
}
