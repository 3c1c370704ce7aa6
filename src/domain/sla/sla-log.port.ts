import type { ActivityEntry, Ticket } from '../ticket/ticket';

/**
 * What the SLA worker needs from the database: wake-up timers, exactly-once
 * bookkeeping for reminders and escalations (keyed by the plan's idempotency
 * keys) and the SLA part of the audit trail. Implemented in src/store. Every
 * call takes a batch, so one sweep costs a handful of round trips whatever the
 * number of tickets: the store writes each batch as one `insertMany`.
 */

/** "Look at ticket `ticketId` at `at`." */
export interface SlaTimer {
  readonly id: string;
  readonly ticketId: string;
  readonly at: Date;
  /** The ticket's version when the wake-up was written. */
  readonly version?: number;
  /** Written because the ticket changed (not an SLA threshold): re-plan, nothing more. */
  readonly changed?: boolean;
}

export interface SlaTicketState {
  /** The ticket, its audit trail merged with the SLA entries. */
  readonly ticket: Ticket;
  /** Keys of notifications already delivered (their audit entries exist). */
  readonly sent: ReadonlySet<string>;
  /** How many SLA audit entries the ticket has (the next one is number `auditCount`). */
  readonly auditCount: number;
  /** How many entries the stored ticket document itself holds: new SLA entries go after them. */
  readonly position: number;
}

export type ClaimOutcome =
  /** This caller must send it now. */
  | { readonly status: 'claimed' }
  /** Delivered already. */
  | { readonly status: 'sent' }
  /** Another sender holds a live claim; look again when its lease ends. */
  | { readonly status: 'busy'; readonly leaseEndsAt: Date };

export interface SlaDelivery {
  readonly key: string;
  readonly ticketId: string;
  readonly entry: ActivityEntry;
  /** SlaTicketState.position of the ticket when it was sent. */
  readonly position: number;
  /** SlaTicketState.auditCount of the ticket when it was loaded. */
  readonly auditCount: number;
}

export interface SlaNotificationLog {
  /** One-time preparation (e.g. timers for tickets stored before the timer collection existed). */
  prepare(): Promise<void>;
  /** The wake-ups at or before `until`, earliest first (at most `limit`). */
  dueTimers(until: Date, limit: number): Promise<SlaTimer[]>;
  /**
   * What a worker starting with nothing in memory reads first: the wake-ups due by
   * `until` (as `dueTimers`), with the tickets they need read ahead in the same pass.
   */
  warmUp(until: Date, limit: number): Promise<SlaTimer[]>;
  /** Adds wake-ups (an identical one already stored is kept). */
  schedule(timers: ReadonlyArray<{ ticketId: string; at: Date; version: number }>): Promise<void>;
  /** Removes handled wake-ups. */
  clearTimers(ids: readonly string[]): Promise<void>;
  /**
   * The tickets (missing ones left out) with what was sent for them. May answer from
   * copies read ahead by `prefetch`, as long as no newer version of the ticket was seen.
   */
  load(ticketIds: readonly string[]): Promise<Map<string, SlaTicketState>>;
  /** Reads these tickets ahead of their wake-ups, in bulk. */
  prefetch(ticketIds: readonly string[]): Promise<void>;
  /** Which of these tickets `load` would answer without reading them. */
  cached(ticketIds: readonly string[]): Set<string>;
  /**
   * Claims keys for sending; a key is claimed by one caller only, across processes.
   * An unconfirmed claim older than `leaseMs` (its sender died mid-send) is taken over.
   */
  claim(claims: ReadonlyArray<{ key: string; ticketId: string }>, now: Date, leaseMs: number): Promise<Map<string, ClaimOutcome>>;
  /** The platform took these messages: records their audit entries, which also mark the keys as sent. */
  confirm(deliveries: readonly SlaDelivery[]): Promise<void>;
  /** These sends failed before the platform took them: the keys may be claimed again at once. */
  release(keys: readonly string[]): Promise<void>;
  /**
   * The running worker says it is alive (about every second). Claims of a worker
   * that stopped beating are taken over soon after its last beat, not after the lease.
   */
  heartbeat(now: Date): Promise<void>;
  /**
   * False when this worker's last recorded beat is so old that another may already
   * have taken its claims over: it must not send them (they are released instead).
   */
  maySend(): boolean;
  /** The newest heartbeat of any worker (what /readyz checks). */
  lastHeartbeat?(): Promise<Date | undefined>;
  /** The earliest planned wake-up (reminders, escalations) still not handled. */
  oldestDue?(): Promise<Date | undefined>;
}
