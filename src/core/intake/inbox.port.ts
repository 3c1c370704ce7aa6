import type { IntakeEvent, IntakeOutcome } from './intake-event';

/** One stored inbound event while chatdesk works on it (and, once done, as the record that dedupes redeliveries). */
export interface InboxEntry {
  event: IntakeEvent;
  receivedAt: Date;
  attempts: number;
  /** Stored by this process just now and never worked on: no earlier attempt can have opened its ticket. */
  fresh?: boolean;
  /** The outcome, once the person was told it (it is told once). */
  answered?: IntakeOutcome;
}

export interface InboxStats {
  /** Events stored and not done yet. */
  pending: number;
  /** When the oldest of them arrived. */
  oldestAt?: Date;
  /** Events chatdesk gave up on (after its retries) since the store was created. */
  failed: number;
}

/**
 * The durable inbox: every inbound event is stored here (one insert, unique
 * on the event id) before the platform is acknowledged. Implemented in src/store.
 */
export interface InboxStore {
  /** Stores a new event, leased to `owner` until `leaseUntil`. `duplicate` when this id was stored before (a redelivery). */
  accept(event: IntakeEvent, owner: string, now: Date, leaseUntil: Date): Promise<'accepted' | 'duplicate'>;
  /** Forgets an event that was stored after the platform had already been told it failed (a late insert). */
  forget(id: string): Promise<void>;
  /**
   * Takes over pending events whose lease ran out by `now`, or whose owner
   * `isDead` says is gone, oldest first, leasing them to `owner`.
   */
  claimDue(owner: string, now: Date, leaseUntil: Date, limit: number, isDead: (owner: string) => boolean): Promise<InboxEntry[]>;
  /** Extends the lease of events this owner is still working on. */
  renew(owner: string, ids: string[], leaseUntil: Date): Promise<void>;
  /** A stored event by id (pending, done or failed), while it is kept. */
  get(id: string): Promise<InboxEntry | null>;
  markAnswered(id: string, outcome: IntakeOutcome): Promise<void>;
  /** The event is done (with the outcome told, when it was told just now: one write for both): kept (for dedupe and audit) until purged. */
  complete(id: string, now: Date, answered?: IntakeOutcome): Promise<void>;
  /** Try again at `due` (the lease is the retry time). */
  retryLater(id: string, attempts: number, due: Date, error: string): Promise<void>;
  /** Given up after its retries; kept with the last error for an operator. */
  fail(id: string, now: Date, error: string): Promise<void>;
  /** Hands events back (due now) so another process or the next start takes them. */
  release(owner: string, ids: string[], now: Date): Promise<void>;
  stats(): Promise<InboxStats>;
  /** Deletes done events older than `before`; returns how many. */
  purgeDone(before: Date): Promise<number>;
}
