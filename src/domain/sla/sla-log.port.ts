/**
 * Exactly-once bookkeeping for SLA reminders and escalations, keyed by the
 * plan's idempotency keys. Implemented in src/store on a unique-keyed collection,
 * so two workers (or a job that runs twice) never both send the same key.
 */
export interface SlaNotificationLog {
  /**
   * Claims `key` for sending. True when this caller must send it now: the key was
   * never claimed, or its claim was left unconfirmed (sender died) for longer than `leaseMs`.
   */
  claim(key: string, ticketId: string, now: Date, leaseMs: number): Promise<boolean>;
  /** The platform accepted the message. */
  confirm(key: string, now: Date): Promise<void>;
  /** The send failed before the platform accepted it: the key may be claimed again at once. */
  release(key: string): Promise<void>;
  /** Keys of the ticket that are sent or being sent, and when the oldest unconfirmed claim's lease ends. */
  handled(ticketId: string, now: Date, leaseMs: number): Promise<{ keys: Set<string>; leaseEndsAt?: Date }>;
}
