import type { ActivityEntry, Ticket } from '../ticket/ticket';

/**
 * What the SLA worker needs from the database: each ticket's next wake-up (the
 * ticket's own `slaNextAt`), exactly-once bookkeeping for reminders and
 * escalations (keyed by the plan's idempotency keys) and the SLA part of the
 * audit trail (in the ticket's activity). Implemented in src/store.
 */

/** "Look at ticket `ticketId` at `at`." */
export interface SlaTimer {
  /** The ticket and its version: a wake-up of a newer version is another wake-up. */
  readonly id: string;
  readonly ticketId: string;
  readonly at: Date;
  /** The ticket as read with its wake-up (so it need not be read again). */
  readonly state?: SlaTicketState;
}

export interface SlaTicketState {
  readonly ticket: Ticket;
  /** Keys of notifications already delivered (their audit entries exist). */
  readonly sent: ReadonlySet<string>;
}

export type ClaimOutcome =
  /** This caller must send it now. */
  | { readonly status: 'claimed' }
  /** Delivered already; with `entry` when its audit entry may not be in the ticket yet (record it). */
  | { readonly status: 'sent'; readonly entry?: ActivityEntry }
  /** Another sender holds a live claim; look again when its lease ends. */
  | { readonly status: 'busy'; readonly leaseEndsAt: Date };

export interface SlaDelivery {
  readonly key: string;
  readonly ticketId: string;
  readonly entry: ActivityEntry;
}

/** What the worker did with one ticket it looked at: what it sent, and when to look next. */
export interface SlaOutcome {
  readonly ticketId: string;
  /** The version it planned from. */
  readonly version: number;
  readonly delivered: readonly SlaDelivery[];
  readonly nextAt: Date | undefined;
}

/** Where the worker's loop stands, recorded with each heartbeat. */
export interface SlaProgress {
  /** Every wake-up due before this instant has been handled. */
  readonly handledUntil: Date;
  /** How late the oldest wake-up not handled yet is (seconds). */
  readonly lateS: number;
}

export interface SlaNotificationLog {
  /** One-time preparation (e.g. data written by an earlier version). */
  prepare(): Promise<void>;
  /** Every wake-up at or before `until`, earliest first (at most `limit`): a pass over all tickets. */
  dueTimers(until: Date, limit: number): Promise<SlaTimer[]>;
  /**
   * The wake-ups due from `from` to `until` (and those stored meanwhile for a time
   * already past), each with its ticket; in no order. Reads only that span.
   */
  timersBetween(from: Date, until: Date): Promise<SlaTimer[]>;
  /** The stored tickets (missing ones left out) with what was sent for them. */
  load(ticketIds: readonly string[]): Promise<Map<string, SlaTicketState>>;
  /**
   * Claims keys for sending; a key is claimed by one caller only, across processes.
   * An unconfirmed claim older than `leaseMs` (its sender died mid-send) is taken over.
   */
  claim(claims: ReadonlyArray<{ key: string; ticketId: string }>, now: Date, leaseMs: number): Promise<Map<string, ClaimOutcome>>;
  /**
   * What the platform took, first marked as sent (one batched write, right after
   * sending), then one write per ticket: its audit entries and its next wake-up.
   * When the ticket changed since `version`, the entries are still recorded and its
   * own newer wake-up is kept.
   */
  record(outcomes: readonly SlaOutcome[], now: Date): Promise<void>;
  /** These sends failed before the platform took them: the keys may be claimed again at once. */
  release(keys: readonly string[]): Promise<void>;
  /**
   * The running worker says it is alive (about every second), and where it stands.
   * Claims of a worker that stopped beating are taken over soon after its last beat.
   */
  heartbeat(now: Date, progress?: SlaProgress): Promise<void>;
  /**
   * False when this worker's last recorded beat is so old that another may already
   * have taken its claims over: it must not send them (they are released instead).
   */
  maySend(): boolean;
  /** The newest heartbeat of any worker, with where that worker stood. */
  lastHeartbeat(): Promise<{ at: Date; progress?: SlaProgress } | undefined>;
}
