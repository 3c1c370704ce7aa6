import { type Connection, type Model, Schema } from 'mongoose';
import type { SlaProgress } from '../domain/sla/sla-log.port';

/**
 * A running SLA worker's heartbeat (`_id` is the worker's instance id, `at` when it
 * last beat, `progress` where its loop stood). A claim whose owner stopped beating
 * is taken over a few seconds after the last beat instead of after the whole claim
 * lease, and a worker that takes over reads on from the last one's progress.
 */
export interface SlaWorkerRecord {
  _id: string;
  at: Date;
  progress?: SlaProgress;
}
const slaWorkerSchema = new Schema<SlaWorkerRecord>(
  { _id: String, at: Date, progress: { type: Schema.Types.Mixed } },
  { collection: 'sla_workers', versionKey: false },
);

export interface SlaModels {
  SlaWorker: Model<SlaWorkerRecord>;
}

/** Registers (once per connection) and returns the SLA worker's models. */
export function registerSlaModels(conn: Connection): SlaModels {
  return {
    SlaWorker: (conn.models.SlaWorker as Model<SlaWorkerRecord> | undefined) ?? conn.model<SlaWorkerRecord>('SlaWorker', slaWorkerSchema),
  };
}
