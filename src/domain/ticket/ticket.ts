import type { Priority } from '../../ai/classifier.port';
import type { SlaClockState } from '../sla/clock';

/** Messengers chatdesk speaks. `playground` is the local web playground; `email` a mailbox (IMAP in, SMTP out), whose people are addresses. */
export const PLATFORMS = ['slack', 'teams', 'discord', 'feishu', 'playground', 'email'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * Who can act on a ticket: a person on a messenger, or an API client (`api`,
 * `id` = the API token's name). API clients have no messenger to be told on.
 */
export const ACTOR_PLATFORMS = [...PLATFORMS, 'api'] as const;
export type ActorPlatform = (typeof ACTOR_PLATFORMS)[number];

/** A person on one messenger (`id` is the platform's own user id), or an API client. */
export interface UserRef {
  platform: ActorPlatform;
  id: string;
  name?: string;
}

/** Where a message lives: opaque per-platform ids (channel, thread root, message). */
export interface MessageRef {
  platform: Platform;
  channelId: string;
  messageId: string;
  threadId?: string;
}

/**
 * The lifecycle: new → triaged → in progress → waiting on requester → resolved → closed, plus reopen.
 * `triaged`: category and priority were set by a person (a recategorisation) or by a confident
 * classification (both confidences at or above the desk's `triagedConfidence`). Tickets stored
 * before `triaged` existed stay `new`, which behaves exactly as `triaged` does.
 */
export const TICKET_STATUSES = ['new', 'triaged', 'in_progress', 'waiting_on_requester', 'resolved', 'closed'] as const;
/** Statuses in which the ticket is still being worked on. */
export const OPEN_STATUSES = ['new', 'triaged', 'in_progress', 'waiting_on_requester'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export type ActivityAction =
  | 'created'
  | 'classified'
  | 'claimed'
  | 'assigned'
  | 'resolved'
  | 'reopened'
  | 'escalated'
  | 'waiting_on_requester'
  | 'requester_replied'
  | 'closed'
  | 'recategorized'
  /** Tags changed (`from`, `to`: the tags before and after, space-separated). */
  | 'tagged'
  | 'sla_reminder'
  /** A person was asked to step in (an SLA escalation level, or an agent escalating to them); `to` is their `platform:id`. */
  | 'escalation_notified'
  | 'sla_acknowledged'
  /** An agent's reply reached the requester (`note` is the text). */
  | 'agent_replied'
  /** This ticket was closed as a duplicate of `to`, or (on the original) ticket `from` was linked to it. */
  | 'duplicate_linked'
  /** The requester said a suggested answer (`note`: knowledge entry id) solved it: resolved with no agent. */
  | 'deflected'
  /** The requester's CSAT score (`to`: 1-5). */
  | 'rated'
  /** The requester's comment on their rating (`note`: the text, `to`: the score it goes with). */
  | 'csat_commented'
  /** A person tried an action the permission matrix refuses them (`to`: the action, `note`: the reason); nothing else changed. */
  | 'refused'
  /** Someone other than the requester turned the requester's chat message into this ticket (`note`: the message's link, when known). */
  | 'reported'
  /** An agent's internal note (`note`): shown to agents under the card, never to the requester. */
  | 'note'
  /** A person or a confident classification set category and priority (`to`: category/priority). */
  | 'triaged'
  /** Closed by itself: resolved for longer than the desk's `autoCloseAfterDays`. */
  | 'auto_closed'
  /** After close, the requester wrote again: a new ticket was opened (`to` on the old one, `from` on the new one). */
  | 'follow_up_linked'
  /** A reply draft was sent to the requester / dismissed (`note`: the draft id). */
  | 'draft_sent'
  | 'draft_dismissed'
  /** A knowledge entry drawn from the ticket was published, edited or rejected (`note`: the entry id). */
  | 'knowledge_published'
  | 'knowledge_edited'
  | 'knowledge_rejected'
  /** The assistant offered the requester a duplicate or answers (`note`: what), and what they answered (`to`: dup_yes / dup_no / kb_solved). */
  | 'assist_offered'
  | 'assist_answered';

/** The internal notes' texts, for leak checks and agent views. */
export function internalNotes(ticket: Pick<Ticket, 'activity'>): string[] {
  return ticket.activity.filter((a) => a.action === 'note').map((a) => a.note ?? '');
}

export interface ActivityEntry {
  at: Date;
  action: ActivityAction;
  actor: UserRef | { platform: 'system'; id: 'chatdesk' };
  from?: string;
  to?: string;
  note?: string;
}

export interface Ticket {
  id: string;
  number: number;
  /** Human key, e.g. T-1001. */
  key: string;
  title: string;
  description: string;
  type: string;
  fields: Record<string, string | number>;
  requester: UserRef;
  team: string;
  category: string;
  categoryConfidence: number;
  priority: Priority;
  priorityConfidence: number;
  classificationReason: string;
  status: TicketStatus;
  assignee?: UserRef;
  escalationLevel: number;
  tags: string[];
  /** The requester's confirmation message (its thread is where they follow the ticket). */
  requesterThread?: MessageRef;
  /** The assignment cards in the team's agent channels (one per messenger the team uses). */
  agentCards: MessageRef[];
  createdAt: Date;
  updatedAt: Date;
  firstResponseAt?: Date;
  resolvedAt?: Date;
  closedAt?: Date;
  activity: ActivityEntry[];
  /** The SLA clock (business-hours aware, paused while waiting on the requester). */
  sla?: SlaClockState;
  /** When the SLA worker must next look at this ticket (a reminder, escalation or deadline is due); absent when nothing is pending. */
  slaNextAt?: Date;
  /** People whose duplicate tickets were linked to this one: they hear when it is resolved. */
  watchers?: UserRef[];
  /** What the AI offered on this ticket (duplicate, answers, reply drafts) and where it was shown. */
  assist?: TicketAssist;
  /** The inbound request (platform delivery id) that opened it: a retried request resumes this ticket instead of opening another. */
  intakeId?: string;
  /** Incremented on every change; the store refuses a write based on a stale version. */
  version: number;
}

/** A reply the AI drafted for agents, posted in the card's thread with Send / Edit / Dismiss. */
export interface ReplyDraftRecord {
  id: string;
  text: string;
  /** Keys of tickets / ids of knowledge entries it drew on. */
  sources: string[];
  state: 'pending' | 'sent' | 'dismissed';
  /** The draft messages in the agent channels' card threads (updated in place when sent or dismissed). */
  refs: MessageRef[];
  by: 'llm' | 'knowledge';
}

export interface TicketAssist {
  /** Open ticket (key) the requester was asked about ("is this your problem?"). */
  possibleDuplicateOf?: string;
  /** Knowledge entry ids suggested to the requester at intake (at most 3). */
  suggested?: string[];
  /** The message in the requester's DM that carries those offers. */
  offerRef?: MessageRef;
  drafts?: ReplyDraftRecord[];
  /** The knowledge entry drafted when it was resolved, and its messages under the cards. */
  knowledge?: { entryId: string; refs: MessageRef[] };
}

/** chatdesk itself as the actor of a change (auto-close, auto-assign). */
export const SYSTEM_ACTOR: UserRef = Object.freeze({ platform: 'system' as Platform, id: 'chatdesk', name: 'chatdesk' });

export function ticketKey(prefix: string, number: number): string {
  return `${prefix}-${number}`;
}

/** `slack:U123`: how configuration and the SLA directory name a person on a messenger. */
export function userKey(user: { platform: string; id: string }): string {
  return `${user.platform}:${user.id}`;
}

/** Parses `slack:U123`; undefined when the platform is not one chatdesk speaks. */
export function parseUserKey(key: string): UserRef | undefined {
  const i = key.indexOf(':');
  if (i <= 0) return undefined;
  const platform = key.slice(0, i) as Platform;
  const id = key.slice(i + 1);
  return (PLATFORMS as readonly string[]).includes(platform) && id ? { platform, id } : undefined;
}

export function sameUser(a: UserRef | undefined, b: UserRef | undefined): boolean {
  return !!a && !!b && a.platform === b.platform && a.id === b.id;
}
