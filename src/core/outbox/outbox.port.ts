import type { MessageRef, UserRef } from '../../domain/ticket/ticket';
import type { OutboundMessage } from '../cards/card';

/**
 * What the outbox sends. Jobs name the ticket rather than carry its state
 * where the message is built from the ticket (a card refresh renders the
 * ticket as it is when it is sent, so a late or repeated refresh is harmless).
 */
export type OutboxJob =
  /** Re-render the ticket's card in place in every agent channel. */
  | { kind: 'refresh_cards'; ticketId: string }
  /** A line in the requester's thread (or a new DM when the ticket has none yet). */
  | { kind: 'to_requester'; ticketId: string; message: OutboundMessage }
  /** A line under one of the ticket's cards (one entry per agent channel, so one channel's outage does not repeat the post in the others). */
  | { kind: 'in_card_thread'; ticketId: string; card: MessageRef; message: OutboundMessage }
  /**
   * After a resolve: the knowledge entry drafted from the ticket and posted under each of its cards
   * (work rather than one message, kept here so a survivor finishes it when the process that resolved dies).
   */
  | { kind: 'knowledge_from_resolved'; ticketId: string }
  /** A direct message to anyone (an escalation contact). */
  | { kind: 'direct'; user: UserRef; message: OutboundMessage }
  /** A hand-off summary DM to the ticket's new owner: written from the ticket (and the LLM, if any) when it is sent. */
  | { kind: 'handoff_summary'; ticketId: string; user: UserRef }
  /** One event to one webhook subscription: `body` is the JSON sent (signed when it is sent, with the subscription's secret as it is then). */
  | { kind: 'webhook'; subscriptionId: string; eventId: string; eventType: string; body: string };

/** One job to send, with the conversation it is ordered in. */
export interface OutboxItem {
  /** Entries of one conversation are sent one at a time, oldest first. */
  conversation: string;
  job: OutboxJob;
}

export interface OutboxEntry extends OutboxItem {
  id: string;
  createdAt: Date;
  attempts: number;
}

export interface OutboxStats {
  /** Entries not sent yet (all processes). */
  pending: number;
  oldestAt?: Date;
  /** Entries given up after their retries (kept for an operator). */
  failed: number;
}

/**
 * The durable outbox: a message chatdesk decided to send is stored here before
 * it is sent, and removed once the platform took it. Implemented in src/store.
 */
export interface OutboxStore {
  /** Stores the items in order, leased to `owner` (who sends them at once) until `leaseUntil`. */
  add(items: OutboxItem[], owner: string, now: Date, leaseUntil: Date): Promise<OutboxEntry[]>;
  /**
   * Takes over entries whose lease or retry time ran out by `now` (or whose
   * owner `isDead` says is gone): only the oldest unsent entry of each
   * conversation, so a conversation stays in order across processes.
   */
  claimDue(owner: string, now: Date, leaseUntil: Date, limit: number, isDead: (owner: string) => boolean): Promise<OutboxEntry[]>;
  renew(owner: string, ids: string[], leaseUntil: Date): Promise<void>;
  /** The platform took it: the entry is removed. */
  sent(id: string): Promise<void>;
  retryLater(id: string, attempts: number, due: Date, error: string): Promise<void>;
  fail(id: string, now: Date, error: string): Promise<void>;
  release(owner: string, ids: string[], now: Date): Promise<void>;
  stats(): Promise<OutboxStats>;
}
