import { type Connection, type Model, Schema } from 'mongoose';

/**
 * The SLA worker's own collections. Both are insert-only on the hot path: on
 * FerretDB (SQLite) every updated document is a transaction of its own, while an
 * `insertMany` of hundreds of documents is one, so the worker writes each sweep's
 * timers and audit entries as one batch of inserts.
 */

/**
 * A wake-up: "look at ticket `ticketId` at `at`". `_id` is `${ticketId}:${at ms}`, so
 * writing the same wake-up twice is a duplicate key, not a second document. Written
 * by the worker for the next wake-up, and by every save of a ticket with an SLA
 * clock as a "changed" wake-up `${ticketId}@v${version}` due at once (at = epoch), so
 * the worker re-plans from the new version and drops copies it read ahead.
 * Deleted (in batches) once handled. A stale wake-up (the ticket changed since) is
 * harmless: the worker re-plans from the stored ticket and sends only what is due.
 */
export interface SlaTimerRecord {
  _id: string;
  ticketId: string;
  at: Date | null;
  /** The ticket's version when written. */
  v?: number;
}
const slaTimerSchema = new Schema<SlaTimerRecord>({ _id: String, ticketId: String, at: Date, v: Number }, { collection: 'sla_timers', versionKey: false });
slaTimerSchema.index({ at: 1 });

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

export interface SlaModels {
  SlaTimer: Model<SlaTimerRecord>;
  SlaAudit: Model<SlaAuditRecord>;
}

/** Registers (once per connection) and returns the SLA worker's models. */
export function registerSlaModels(conn: Connection): SlaModels {
  return {
    SlaTimer: (conn.models.SlaTimer as Model<SlaTimerRecord> | undefined) ?? conn.model<SlaTimerRecord>('SlaTimer', slaTimerSchema),
    SlaAudit: (conn.models.SlaAudit as Model<SlaAuditRecord> | undefined) ?? conn.model<SlaAuditRecord>('SlaAudit', slaAuditSchema),
  };
}
