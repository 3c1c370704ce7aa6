import { type Connection, type Model, Schema } from 'mongoose';

/**
 * The SLA worker's own collections. Both are insert-only on the hot path: on
 * FerretDB (SQLite) every updated document is a transaction of its own, while an
 * `insertMany` of hundreds of documents is one, so the worker writes each sweep's
 * timers and audit entries as one batch of inserts.
 */

/**
 * A wake-up: "look at ticket `ticketId` at `at`". `_id` is `${ticketId}:${at ms}:v${version}`,
 * so writing the same wake-up twice is a duplicate key, not a second document. Written
 * by the worker for the next wake-up, and by every save of a ticket with an SLA
 * clock as a "changed" wake-up `${ticketId}@v${version}` due at once (at = epoch), so
 * the worker re-plans from the new version and drops copies it read ahead.
 * Deleted (in batches) once handled. A stale wake-up (the ticket changed since) is
 * harmless: its copy of the ticket is refused (`sla_heads` has a newer version), the
 * worker re-plans from the stored ticket and sends only what is due.
 */
export interface SlaTimerRecord {
  _id: string;
  ticketId: string;
  at: Date | null;
  /** The ticket's version when written. */
  v?: number;
  /** Written by the worker with a copy of the ticket: the `_id` of its pack in `sla_snapshots`. */
  c?: string;
}
const slaTimerSchema = new Schema<SlaTimerRecord>({ _id: String, ticketId: String, at: Date, v: Number, c: String }, { collection: 'sla_timers', versionKey: false });
slaTimerSchema.index({ at: 1 });

/**
 * Copies of tickets (and their SLA audit rows) a worker had in memory when it
 * wrote their next wake-ups: one document per `schedule` call (a "pack"), the
 * copies (with their ticket id and version) as one deflated BSON array. A worker without the
 * tickets in memory (just restarted) fires from these instead of reading the
 * tickets, once `sla_heads` says a copy's version is still its ticket's version.
 * Packed because FerretDB's cost of a filtered read grows with the number of rows
 * and of fields: a restart reads a few hundred packs of four fields, not ten
 * thousand copies (and copies of similar tickets deflate well together). Kept apart from `sla_timers` (read every second). `from` and
 * `at` are the earliest and latest wake-up of the pack; it is removed a while
 * after `at`.
 */
export interface SlaSnapshotRecord {
  _id: string;
  from: Date;
  at: Date;
  s: Buffer | { buffer: Uint8Array };
}
const slaSnapshotSchema = new Schema<SlaSnapshotRecord>(
  { _id: String, from: Date, at: Date, s: Buffer },
  { collection: 'sla_snapshots', versionKey: false },
);
// `from` for the read ahead, `at` for the sweep of old packs (MongoDB uses them; FerretDB scans either way).
slaSnapshotSchema.index({ from: 1 });
slaSnapshotSchema.index({ at: 1 });

/**
 * One SLA audit entry (`sla_reminder` / `escalation_notified`) of a ticket, written
 * once the platform took the message: it is also the proof that `key` was sent.
 * `_id` is `${ticketId}#${n}` (n = 0, 1, 2 …), so a ticket's entries are read by
 * `_id` lookups (the only filter FerretDB answers without scanning the collection);
 * `pos` is how many entries the ticket document held when the ping was sent, which
 * places the entry in the merged audit trail.
 */
export interface SlaAuditRecord {
  _id: string;
  ticketId: string;
  key: string;
  pos: number;
  entry: { at: Date; action: string; actor: { platform: string; id: string; name?: string }; from?: string; to?: string; note?: string };
}
const slaAuditSchema = new Schema<SlaAuditRecord>(
  { _id: String, ticketId: String, key: String, pos: Number, entry: { type: Schema.Types.Mixed } },
  { collection: 'sla_audit', versionKey: false },
);
slaAuditSchema.index({ ticketId: 1 });
slaAuditSchema.index({ 'entry.to': 1 });

/**
 * The version of every ticket with an SLA clock (`_id` is the ticket id), raised
 * by each save. Small documents: all 10,000 are read in one pass of about 0.3 s on
 * FerretDB, where reading the tickets themselves takes seconds. It is what makes a
 * wake-up's copy of a ticket safe to fire from.
 */
export interface SlaHeadRecord {
  _id: string;
  v: number;
}
const slaHeadSchema = new Schema<SlaHeadRecord>({ _id: String, v: Number }, { collection: 'sla_heads', versionKey: false });

/**
 * A running SLA worker's heartbeat (`_id` is the worker's instance id, `at` when it
 * last beat). A claim whose owner stopped beating is taken over a few seconds after
 * the last beat instead of after the whole claim lease.
 */
export interface SlaWorkerRecord {
  _id: string;
  at: Date;
}
const slaWorkerSchema = new Schema<SlaWorkerRecord>({ _id: String, at: Date }, { collection: 'sla_workers', versionKey: false });

export interface SlaModels {
  SlaTimer: Model<SlaTimerRecord>;
  SlaAudit: Model<SlaAuditRecord>;
  SlaHead: Model<SlaHeadRecord>;
  SlaWorker: Model<SlaWorkerRecord>;
  SlaSnapshot: Model<SlaSnapshotRecord>;
}

/** Registers (once per connection) and returns the SLA worker's models. */
export function registerSlaModels(conn: Connection): SlaModels {
  return {
    SlaTimer: (conn.models.SlaTimer as Model<SlaTimerRecord> | undefined) ?? conn.model<SlaTimerRecord>('SlaTimer', slaTimerSchema),
    SlaAudit: (conn.models.SlaAudit as Model<SlaAuditRecord> | undefined) ?? conn.model<SlaAuditRecord>('SlaAudit', slaAuditSchema),
    SlaHead: (conn.models.SlaHead as Model<SlaHeadRecord> | undefined) ?? conn.model<SlaHeadRecord>('SlaHead', slaHeadSchema),
    SlaWorker: (conn.models.SlaWorker as Model<SlaWorkerRecord> | undefined) ?? conn.model<SlaWorkerRecord>('SlaWorker', slaWorkerSchema),
    SlaSnapshot: (conn.models.SlaSnapshot as Model<SlaSnapshotRecord> | undefined) ?? conn.model<SlaSnapshotRecord>('SlaSnapshot', slaSnapshotSchema),
  };
}
