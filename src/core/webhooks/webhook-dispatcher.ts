import type { SlaConfig } from '../../domain/sla/policy';
import type { Logger } from '../../logger';
import type { OutboxItem } from '../outbox/outbox.port';
import { toTicketView } from '../ticket-view';
import type { TicketEvent, TicketEventSink } from './ticket-events';
import type { WebhookStore, WebhookSubscription } from './webhook-subscription';

/** How often the active subscriptions are read again (a subscription made on another replica is used within this). */
const REFRESH_MS = 5000;

/** What a receiver gets: one event, with the ticket as it was right after the change. */
export function webhookBody(event: TicketEvent, sla: SlaConfig): string {
  const actor = event.actor;
  return JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.at.toISOString(),
    data: {
      ticket: toTicketView(event.ticket, event.at, sla),
      actor: { platform: actor.platform, id: actor.id, ...('name' in actor && actor.name ? { name: actor.name } : {}) },
      ...(event.change ? { change: event.change } : {}),
    },
  });
}

/**
 * Turns the core's ticket events into webhook deliveries: one outbox entry
 * per event and subscription, each its own conversation (a receiver that
 * fails on one event does not hold back the others). Runs in the background:
 * the change that made the event never waits for it, and a failure here is
 * logged (the change itself is stored already).
 */
export class WebhookDispatcher implements TicketEventSink {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly log: Logger;
  /** The active subscriptions, kept in memory so a ticket change costs no database read when nobody subscribed. */
  private active: WebhookSubscription[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly deps: {
      store: Pick<WebhookStore, 'activeFor' | 'list'>;
      outbox: { enqueue(items: OutboxItem[]): Promise<void> };
      sla: SlaConfig;
      logger: Logger;
    },
  ) {
    this.log = deps.logger.child({ component: 'webhooks' });
  }

  /** Reads the active subscriptions now (after an admin changed them), then every REFRESH_MS. */
  async refresh(): Promise<void> {
    this.active = (await this.deps.store.list()).filter((s) => s.state === 'active');
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: unknown) => this.log.warn({ err }, 'could not read the webhook subscriptions; using the last ones read'));
    }, REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  publish(events: TicketEvent[]): void {
    if (events.length === 0 || !this.active.some((s) => events.some((e) => s.events.includes(e.type)))) return;
    const work = this.dispatch(events)
      .catch((err: unknown) => this.log.error({ err, events: events.map((e) => e.id) }, 'webhook events could not be queued'))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  /** Resolves when the events published so far are queued (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async dispatch(events: TicketEvent[]): Promise<void> {
    // Read again, so a subscription deleted or disabled meanwhile gets nothing (and its state is the stored one).
    const subs = await this.deps.store.activeFor([...new Set(events.map((e) => e.type))]);
    if (subs.length === 0) return;
    const items: OutboxItem[] = [];
    for (const event of events) {
      const body = webhookBody(event, this.deps.sla);
      for (const sub of subs) {
        if (!sub.events.includes(event.type)) continue;
        items.push({
          conversation: `webhook:${sub.id}:${event.id}`,
          job: { kind: 'webhook', subscriptionId: sub.id, eventId: event.id, eventType: event.type, body },
        });
      }
    }
    await this.deps.outbox.enqueue(items);
  }
}
