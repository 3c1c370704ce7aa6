import type { Priority } from '../../ai/classifier.port';

/** Messengers chatdesk speaks. `playground` is the local web playground. */
export const PLATFORMS = ['slack', 'teams', 'discord', 'feishu', 'playground'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A person on one messenger. `id` is the platform's own user id. */
export interface UserRef {
  platform: Platform;
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

export const TICKET_STATUSES = ['new', 'in_progress', 'waiting_on_requester', 'resolved', 'closed'] as const;
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
  | 'recategorized';

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
  /** Incremented on every change; the store refuses a write based on a stale version. */
  version: number;
}

export function ticketKey(prefix: string, number: number): string {
  return `${prefix}-${number}`;
}

export function sameUser(a: UserRef | undefined, b: UserRef | undefined): boolean {
  return !!a && !!b && a.platform === b.platform && a.id === b.id;
}
