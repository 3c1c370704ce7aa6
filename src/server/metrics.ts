import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IntakeMetrics } from '../core/intake/intake-metrics';
import type { OutboxMetrics } from '../core/outbox/outbox-worker';

/** Seconds: from 1 ms to 2 minutes (a backlog shows in the top buckets). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

/**
 * The process's Prometheus registry (`GET /metrics`). Gauges that need the
 * database (inbox depth, tickets by status) are read at scrape time through
 * the `collect` callbacks the app installs.
 */
export class ChatdeskMetrics {
  readonly registry = new Registry();
  readonly intake: IntakeMetrics;
  readonly outbox: OutboxMetrics;
  readonly platformErrors: Counter<'platform' | 'code'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'chatdesk_' });
    const acked = new Counter({
      name: 'chatdesk_intake_acked_total',
      help: 'Inbound requests stored and acknowledged',
      labelNames: ['platform', 'kind'],
      registers: [this.registry],
    });
    const ackLatency = new Histogram({
      name: 'chatdesk_intake_ack_seconds',
      help: 'Time to store an inbound request before acknowledging it',
      labelNames: ['platform'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    const refused = new Counter({
      name: 'chatdesk_intake_refused_total',
      help: 'Inbound requests not stored (store: database failed; busy: over the inbox bounds)',
      labelNames: ['platform', 'reason'],
      registers: [this.registry],
    });
    const retried = new Counter({
      name: 'chatdesk_intake_retries_total',
      help: 'Attempts of inbound requests that failed and were scheduled again',
      labelNames: ['platform'],
      registers: [this.registry],
    });
    const processed = new Counter({
      name: 'chatdesk_intake_processed_total',
      help: 'Inbound requests done, by outcome',
      labelNames: ['platform', 'status'],
      registers: [this.registry],
    });
    const total = new Histogram({
      name: 'chatdesk_intake_done_seconds',
      help: 'From receipt of an inbound request to done (for a new ticket: command to card)',
      labelNames: ['platform', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.platformErrors = new Counter({
      name: 'chatdesk_platform_errors_total',
      help: 'Failed calls to a messenger platform, by error code',
      labelNames: ['platform', 'code'],
      registers: [this.registry],
    });
    const outboxSent = new Histogram({
      name: 'chatdesk_outbox_send_seconds',
      help: 'Time to send an outgoing message (card update, line, DM), by kind',
      labelNames: ['kind'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    const outboxRetried = new Counter({
      name: 'chatdesk_outbox_retries_total',
      help: 'Outgoing messages that failed and were scheduled again',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    const outboxFailed = new Counter({
      name: 'chatdesk_outbox_given_up_total',
      help: 'Outgoing messages given up (after their retries, or the person cannot get DMs)',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    this.outbox = {
      sent: (kind, ms) => outboxSent.observe({ kind }, ms / 1000),
      retried: (kind) => outboxRetried.inc({ kind }),
      failed: (kind) => outboxFailed.inc({ kind }),
    };
    this.intake = {
      acked: (platform, kind, ms) => {
        acked.inc({ platform, kind });
        ackLatency.observe({ platform }, ms / 1000);
      },
      refused: (platform, reason) => refused.inc({ platform, reason }),
      retried: (platform) => retried.inc({ platform }),
      processed: (platform, status, _workMs, totalMs) => {
        processed.inc({ platform, status });
        total.observe({ platform, status }, totalMs / 1000);
      },
    };
  }

  /** The mailbox reader's counters (email intake): connection state, failed connections, mails by what became of them. */
  mailbox(): { connected(up: boolean): void; connectFailed(): void; mail(result: string): void } {
    const up = new Gauge({
      name: 'chatdesk_mailbox_connected',
      help: 'Whether the IMAP mailbox is connected (1) or being retried (0)',
      registers: [this.registry],
    });
    const failures = new Counter({
      name: 'chatdesk_mailbox_connect_failures_total',
      help: 'Failed or lost IMAP connections (each is retried with backoff)',
      registers: [this.registry],
    });
    const mails = new Counter({
      name: 'chatdesk_mailbox_mails_total',
      help: 'Mails read, by result (stored, duplicate, skipped: noise or empty; failed: left unseen for the next look)',
      labelNames: ['result'],
      registers: [this.registry],
    });
    up.set(0);
    return { connected: (on) => up.set(on ? 1 : 0), connectFailed: () => failures.inc(), mail: (result) => mails.inc({ result }) };
  }

  /** A gauge whose values are read when Prometheus scrapes. */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    read: (set: (labels: Partial<Record<L, string>>, value: number) => void) => Promise<void> | void,
  ): void {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        await read((labels, value) => this.set(labels, value));
      },
    });
  }
}
