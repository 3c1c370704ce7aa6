import { type Connection, type Model, Schema } from 'mongoose';

/** `webhooks`: outbound webhook subscriptions (the signing secret is stored: it must sign every delivery). */
export interface WebhookRecord {
  _id: string;
  url: string;
  events: string[];
  description?: string | null;
  secret: string;
  state: 'active' | 'disabled';
  createdAt: Date;
  createdBy: string;
  failingSince?: Date | null;
  disabledAt?: Date | null;
  disabledReason?: string | null;
  lastDelivery?: Record<string, unknown> | null;
}

/** `webhook_attempts`: every delivery attempt (status, latency, attempt number), purged after a week. */
export interface WebhookAttemptRecord {
  _id: string;
  subscriptionId: string;
  at: Date;
  eventId: string;
  eventType: string;
  attempt: number;
  status?: number | null;
  latencyMs: number;
  ok: boolean;
  error?: string | null;
}

const webhookSchema = new Schema<WebhookRecord>(
  {
    _id: String,
    url: String,
    events: [String],
    description: { type: String, default: null },
    secret: String,
    state: String,
    createdAt: Date,
    createdBy: String,
    failingSince: { type: Date, default: null },
    disabledAt: { type: Date, default: null },
    disabledReason: { type: String, default: null },
    lastDelivery: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'webhooks', versionKey: false, minimize: false, bufferCommands: false },
);
webhookSchema.index({ state: 1 });

const attemptSchema = new Schema<WebhookAttemptRecord>(
  {
    _id: String,
    subscriptionId: String,
    at: Date,
    eventId: String,
    eventType: String,
    attempt: Number,
    status: Number,
    latencyMs: Number,
    ok: Boolean,
    error: String,
  },
  { collection: 'webhook_attempts', versionKey: false, bufferCommands: false },
);
attemptSchema.index({ subscriptionId: 1, at: -1 });
attemptSchema.index({ at: 1 });

export interface WebhookModels {
  Webhook: Model<WebhookRecord>;
  WebhookAttempt: Model<WebhookAttemptRecord>;
}

export function registerWebhookModels(conn: Connection): WebhookModels {
  return { Webhook: conn.model<WebhookRecord>('Webhook', webhookSchema), WebhookAttempt: conn.model<WebhookAttemptRecord>('WebhookAttempt', attemptSchema) };
}
