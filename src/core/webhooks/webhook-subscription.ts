import type { TicketEventType } from './ticket-events';

/** An admin's subscription of a URL to some events. */
export interface WebhookSubscription {
  id: string;
  url: string;
  events: TicketEventType[];
  description?: string;
  /** `disabled`: it kept failing (see WEBHOOK_DISABLE_AFTER_MS); nothing more is sent to it. */
  state: 'active' | 'disabled';
  createdAt: Date;
  createdBy: string;
  /** The first failure since the last success (cleared by a success). */
  failingSince?: Date;
  disabledAt?: Date;
  disabledReason?: string;
  lastDelivery?: WebhookAttempt;
}

/** One delivery attempt, as logged and kept on the subscription and in its recent history. */
export interface WebhookAttempt {
  at: Date;
  eventId: string;
  eventType: string;
  attempt: number;
  /** The receiver's HTTP status; absent when there was no answer (refused, timed out, connection closed). */
  status?: number;
  latencyMs: number;
  ok: boolean;
  error?: string;
}

/** Persistence of subscriptions and their attempts (src/store/webhook.repository.ts). */
export interface WebhookStore {
  create(sub: Omit<WebhookSubscription, 'id' | 'state'>, secret: string): Promise<WebhookSubscription>;
  /** With its secret, for signing. */
  find(id: string): Promise<(WebhookSubscription & { secret: string }) | null>;
  list(): Promise<WebhookSubscription[]>;
  /** Active subscriptions to any of these event types. */
  activeFor(types: readonly string[]): Promise<WebhookSubscription[]>;
  /** Deletes it: nothing more is sent to it, queued deliveries are dropped. */
  remove(id: string): Promise<WebhookSubscription | null>;
  /** Records an attempt; returns since when the subscription has been failing (undefined after a success). */
  recordAttempt(id: string, attempt: WebhookAttempt): Promise<Date | undefined>;
  disable(id: string, now: Date, reason: string): Promise<void>;
  attempts(id: string, limit: number): Promise<WebhookAttempt[]>;
  /** Deletes attempts older than `before`. */
  purgeAttempts(before: Date): Promise<number>;
}
