import type { DeskConfig } from '../config/desk-config.schema';
import { teamById } from '../domain/ticket/routing';
import type { ActivityAction, ActivityEntry, Ticket, UserRef } from '../domain/ticket/ticket';
import type { OutboundMessage } from './cards/card';
import { displayName } from './cards/ticket-card';
import { type Locale, t } from './i18n';

/**
 * What a requester may see of their ticket's history: a whitelist, so a new
 * kind of entry (an internal note, a refused attempt, a draft dismissed) is
 * never shown to them by accident.
 */
const PUBLIC_HISTORY: ReadonlySet<ActivityAction> = new Set<ActivityAction>([
  'created',
  'reported',
  'claimed',
  'assigned',
  'resolved',
  'reopened',
  'escalated',
  'waiting_on_requester',
  'requester_replied',
  'agent_replied',
  'closed',
  'auto_closed',
  'deflected',
  'follow_up_linked',
  'duplicate_linked',
]);

/** Longest history shown in chat (the newest entries). */
const HISTORY_LINES = 30;
const NOTE_CHARS = 300;

export type HistoryViewer = 'agent' | 'requester';

/** True when an entry is part of the requester's view of the history. */
export function isPublicEntry(entry: ActivityEntry): boolean {
  return PUBLIC_HISTORY.has(entry.action);
}

/** The requester's view of a history: public entries only, text only on the requester's and the agents' replies. */
export function publicHistory(activity: readonly ActivityEntry[]): ActivityEntry[] {
  return activity.filter(isPublicEntry).map((e) => (e.note && !withTextForRequester(e) ? { ...e, note: undefined } : e));
}

const withTextForRequester = (entry: ActivityEntry) => entry.action === 'requester_replied' || entry.action === 'agent_replied';

function actorName(entry: ActivityEntry): string {
  return entry.actor.platform === 'system' ? 'chatdesk' : displayName(entry.actor as UserRef);
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > NOTE_CHARS ? `${one.slice(0, NOTE_CHARS - 1)}…` : one;
}

function line(entry: ActivityEntry, viewer: HistoryViewer, locale: Locale): string {
  const when = entry.at.toISOString().slice(0, 16).replace('T', ' ');
  const change = entry.from || entry.to ? ` ${entry.from ?? ''}→${entry.to ?? ''}` : '';
  // Agents see every note; on the requester's view only their own words and the agents' replies carry text.
  const withText = viewer === 'agent' || withTextForRequester(entry);
  const text = entry.note && withText ? `: ${clip(entry.note)}` : '';
  const mark = entry.action === 'note' ? ` ${t(locale, 'show.internal')}` : '';
  return `• ${when} ${entry.action.replace(/_/g, ' ')}${mark} · ${actorName(entry)}${change}${text}`;
}

/** `/ticket show T-1001`: the ticket and its history; the requester's view leaves out everything internal. */
export function ticketHistory(ticket: Ticket, viewer: HistoryViewer, desk: DeskConfig, locale: Locale): OutboundMessage {
  const entries = ticket.activity.filter((e) => viewer === 'agent' || isPublicEntry(e)).slice(-HISTORY_LINES);
  const head = [
    t(locale, 'show.title', { key: ticket.key, title: ticket.title }),
    t(locale, 'show.status', {
      status: t(locale, `status.${ticket.status}`),
      priority: ticket.priority,
      team: teamById(desk, ticket.team).name,
      assignee: ticket.assignee ? displayName(ticket.assignee) : t(locale, 'value.unassigned'),
    }),
  ];
  if (viewer === 'agent' && ticket.tags.length > 0) head.push(`${t(locale, 'field.tags')}: ${ticket.tags.join(', ')}`);
  return { text: [...head, t(locale, 'show.history'), ...entries.map((e) => line(e, viewer, locale))].join('\n') };
}
