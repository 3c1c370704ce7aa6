import type { StoreModels } from './ticket.model';

const DUPLICATE_KEY = 11000;

/**
 * Records that a one-time start-up step (a backfill) is done, in `counters`.
 * Two replicas starting at once on a new database both do the step (it is
 * idempotent) and both upsert the mark; on FerretDB an upsert is not atomic,
 * so one of them can fail with a duplicate key: the mark is there, which is
 * all either wanted.
 */
export async function setStartMark(models: Pick<StoreModels, 'Counter'>, id: string, seq: number): Promise<void> {
  try {
    await models.Counter.updateOne({ _id: id }, { $set: { seq } }, { upsert: true });
  } catch (err) {
    if ((err as { code?: number } | null)?.code !== DUPLICATE_KEY) throw err;
  }
}
