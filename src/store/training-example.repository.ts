import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { ImportBatchInfo, StoredExample, TrainingExampleStore, ExampleSource } from '../ai/learning/training-example.port';
import type { TicketExample } from '../ai/offline/ticket-classifier';
import type { Priority } from '../ai/classifier.port';
import { registerTrainingModels, type TrainingExampleRecord, type TrainingModels } from './training-example.model';

/** An import whose batch row is still missing this long after its examples was interrupted: its examples are deleted. */
export const ABANDONED_IMPORT_AFTER_MS = 60 * 60 * 1000;
const STATE_ID = 'examples';

export class MongoTrainingExampleStore implements TrainingExampleStore {
  constructor(
    private readonly models: TrainingModels,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(example: TicketExample, source: ExampleSource): Promise<void> {
    await this.models.TrainingExample.create(toRecord(example, source, null, this.now()));
    await this.changed();
  }

  async addBatch(examples: readonly TicketExample[], info: ImportBatchInfo): Promise<void> {
    const at = this.now();
    const { TrainingExample, TrainingImport } = this.models;
    try {
      await TrainingExample.insertMany(
        examples.map((e) => toRecord(e, 'imported', info.batchId, at)),
        { ordered: true },
      );
      // Written last: from now on the batch's examples are used.
      await TrainingImport.create({
        _id: info.batchId,
        createdAt: at,
        rows: info.rows,
        examples: info.examples,
        categories: Object.entries(info.categories).map(([label, count]) => ({ label, count })),
        priorities: Object.entries(info.priorities).map(([label, count]) => ({ label, count })),
      });
    } catch (err) {
      await TrainingExample.deleteMany({ batchId: info.batchId }).catch(() => undefined); // best effort; never used without its batch row anyway
      throw err;
    }
    await this.changed();
  }

  async loadAll(): Promise<StoredExample[]> {
    const [docs, batches] = await Promise.all([
      this.models.TrainingExample.find({}).sort({ createdAt: 1, _id: 1 }).lean<TrainingExampleRecord[]>(),
      this.models.TrainingImport.find({}, { _id: 1 }).lean<Array<{ _id: string }>>(),
    ]);
    const committed = new Set(batches.map((b) => b._id));
    return docs.filter((d) => d.source === 'recategorized' || (d.batchId && committed.has(d.batchId))).map(fromRecord);
  }

  /** One read by _id: the change id written after the last change by any process. */
  async fingerprint(): Promise<string> {
    const state = await this.models.TrainingState.findById(STATE_ID, { changeId: 1 }).lean<{ changeId: string }>();
    return state?.changeId ?? 'none';
  }

  /**
   * Marks a change (after the examples are written). A new random id each time, not a counter:
   * FerretDB's updates are read-modify-write, and two processes incrementing at once could both write the same number.
   */
  private async changed(): Promise<void> {
    await this.models.TrainingState.updateOne({ _id: STATE_ID }, { $set: { changeId: randomUUID(), changedAt: this.now() } }, { upsert: true });
  }

  /** Deletes the examples of imports interrupted before their batch row was written (older than `olderThanMs`). */
  async purgeAbandonedImports(olderThanMs = ABANDONED_IMPORT_AFTER_MS): Promise<number> {
    const { TrainingExample, TrainingImport } = this.models;
    const ids = (await TrainingExample.distinct('batchId', { source: 'imported', createdAt: { $lt: new Date(this.now().getTime() - olderThanMs) } })) as Array<
      string | null
    >;
    if (ids.length === 0) return 0;
    const committed = new Set((await TrainingImport.find({ _id: { $in: ids } }, { _id: 1 }).lean<Array<{ _id: string }>>()).map((b) => b._id));
    const abandoned = ids.filter((id): id is string => !!id && !committed.has(id));
    if (abandoned.length === 0) return 0;
    const { deletedCount } = await TrainingExample.deleteMany({ batchId: { $in: abandoned } });
    await this.changed();
    return deletedCount;
  }
}

/** The training example store on `connection` (models registered, indexes created, interrupted imports purged). */
export async function openTrainingExampleStore(connection: Connection, now?: () => Date): Promise<MongoTrainingExampleStore> {
  const store = new MongoTrainingExampleStore(await registerTrainingModels(connection), now);
  await store.purgeAbandonedImports();
  return store;
}

function toRecord(e: TicketExample, source: ExampleSource, batchId: string | null, createdAt: Date): Omit<TrainingExampleRecord, '_id'> {
  return {
    exampleId: e.id ?? null,
    title: e.title,
    description: e.description ?? null,
    category: e.category ?? null,
    priority: e.priority ?? null,
    source,
    batchId,
    createdAt,
  };
}

function fromRecord(d: TrainingExampleRecord): StoredExample {
  return {
    ...(d.exampleId ? { id: d.exampleId } : {}),
    title: d.title,
    ...(d.description ? { description: d.description } : {}),
    ...(d.category ? { category: d.category } : {}),
    ...(d.priority ? { priority: d.priority as Priority } : {}),
    source: d.source,
    ...(d.batchId ? { batchId: d.batchId } : {}),
    createdAt: d.createdAt,
  };
}
