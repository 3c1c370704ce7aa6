import { type Connection, type Model, Schema } from 'mongoose';

/**
 * `outbox`: messages chatdesk decided to send and the platform has not taken
 * yet. `_id` is an ObjectId string (creation order within a process);
 * `conversation` orders entries among themselves. Sent entries are deleted,
 * so the collection holds only what is in flight or failed: it does not grow
 * with the desk's history.
 */
export interface OutboxRecord {
  _id: string;
  state: 'pending' | 'failed';
  conversation: string;
  /** The OutboxJob, plain JSON. */
  job: Record<string, unknown>;
  createdAt: Date;
  /** Pending: when it may be (re)claimed — the end of its lease, or its retry time. */
  due: Date;
  owner?: string | null;
  attempts: number;
  lastError?: string | null;
  failedAt?: Date | null;
}

const outboxSchema = new Schema<OutboxRecord>(
  {
    _id: String,
    state: String,
    conversation: String,
    job: Schema.Types.Mixed,
    createdAt: Date,
    due: Date,
    owner: String,
    attempts: Number,
    lastError: String,
    failedAt: Date,
  },
  { collection: 'outbox', versionKey: false, minimize: false, bufferCommands: false },
);
outboxSchema.index({ state: 1, due: 1 });
outboxSchema.index({ conversation: 1, state: 1 });

export function registerOutboxModel(conn: Connection): Model<OutboxRecord> {
  return conn.model<OutboxRecord>('Outbox', outboxSchema);
}
