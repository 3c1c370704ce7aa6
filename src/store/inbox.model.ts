import { type Connection, type Model, Schema } from 'mongoose';

/**
 * `inbox`: every inbound request, stored before the platform is acknowledged.
 * `_id` is the platform's delivery id, so a redelivery is a duplicate key.
 * Pending entries are found by `{ state, due }` (the lease or retry time);
 * done entries stay for a week (dedupe, audit) and are purged by the app.
 */
export interface InboxRecord {
  _id: string;
  state: 'pending' | 'done' | 'failed';
  platform: string;
  kind: string;
  /**
   * The neutral event (IntakeEvent) as JSON text: opaque to the database, which
   * never queries inside it. (Entries stored before were the object itself.)
   * As text, FerretDB decodes one string instead of the event's tree on every
   * update of the entry (the lease, the completion).
   */
  event: string | Record<string, unknown>;
  receivedAt: Date;
  /** Pending: when it may be (re)claimed — the end of its lease, or its retry time. */
  due: Date;
  owner?: string | null;
  attempts: number;
  /** The outcome as told to the person (told once). */
  answered?: Record<string, unknown> | null;
  lastError?: string | null;
  doneAt?: Date | null;
}

const inboxSchema = new Schema<InboxRecord>(
  {
    _id: String,
    state: String,
    platform: String,
    kind: String,
    event: Schema.Types.Mixed,
    receivedAt: Date,
    due: Date,
    owner: String,
    attempts: Number,
    answered: Schema.Types.Mixed,
    lastError: String,
    doneAt: Date,
  },
  // Fail at once instead of queueing while the database is away: the platform must hear "not stored".
  { collection: 'inbox', versionKey: false, minimize: false, bufferCommands: false },
);
inboxSchema.index({ state: 1, due: 1 });
inboxSchema.index({ state: 1, doneAt: 1 });

export function registerInboxModel(conn: Connection): Model<InboxRecord> {
  return conn.model<InboxRecord>('Inbox', inboxSchema);
}
