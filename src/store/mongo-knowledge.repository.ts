import { type Connection, type Model, Schema } from 'mongoose';
import { KNOWLEDGE_STATUSES, type KnowledgeEntry, type KnowledgeStatus } from '../ai/knowledge/knowledge-entry';
import type { KnowledgeStore } from '../ai/knowledge/knowledge-store.port';
import { changedSinceBySecond, secondOf } from './second-slots';

interface KnowledgeRecord extends Omit<KnowledgeEntry, 'id'> {
  _id: string;
  /** The second of `updatedAt`, read by equality by other processes following changes (see second-slots.ts). */
  updatedSec?: number;
}

const knowledgeSchema = new Schema<KnowledgeRecord>(
  {
    _id: { type: String, required: true },
    ticketKey: { type: String, required: true },
    question: { type: String, required: true },
    answer: { type: String, required: true },
    category: String,
    status: { type: String, enum: KNOWLEDGE_STATUSES, required: true },
    locale: String,
    createdAt: Date,
    updatedAt: Date,
    updatedSec: Number,
    uses: { type: Number, default: 0 },
    deflections: { type: Number, default: 0 },
  },
  { collection: 'knowledge', versionKey: false },
);
knowledgeSchema.index({ status: 1 });
knowledgeSchema.index({ updatedAt: 1 });
knowledgeSchema.index({ updatedSec: 1 });

function toEntry(r: KnowledgeRecord): KnowledgeEntry {
  const { _id, updatedSec: _sec, ...rest } = r;
  return { id: _id, ...rest, uses: rest.uses ?? 0, deflections: rest.deflections ?? 0 };
}

/** The `knowledge` collection (entries drafted from resolved tickets). */
export class MongoKnowledgeStore implements KnowledgeStore {
  private readonly model: Model<KnowledgeRecord>;

  private constructor(connection: Connection) {
    this.model = connection.models.Knowledge ?? connection.model<KnowledgeRecord>('Knowledge', knowledgeSchema);
  }

  static async open(connection: Connection): Promise<MongoKnowledgeStore> {
    const store = new MongoKnowledgeStore(connection);
    await store.model.syncIndexes();
    return store;
  }

  async put(entry: KnowledgeEntry): Promise<void> {
    const { id, ...rest } = entry;
    await this.model.replaceOne({ _id: id }, { ...rest, updatedSec: secondOf(rest.updatedAt) }, { upsert: true });
  }

  async findById(id: string): Promise<KnowledgeEntry | null> {
    const r = await this.model.findById(String(id)).lean();
    return r ? toEntry(r) : null;
  }

  /**
   * By equality on the status (pushed down on FerretDB), sorted here: the
   * knowledge base is kept in memory whole (KNOWLEDGE_INDEX_LIMIT), so its size is bounded.
   */
  async list(status: KnowledgeStatus | undefined, limit: number): Promise<KnowledgeEntry[]> {
    const filter: Record<string, string> = status ? { status: String(status) } : {};
    const rows = await this.model.find(filter).lean<KnowledgeRecord[]>();
    return rows
      .map(toEntry)
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  async listActive(limit: number): Promise<KnowledgeEntry[]> {
    const rows = await this.model
      .find({ status: { $ne: 'rejected' } })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean();
    return rows.map(toEntry);
  }

  async changedSince(since: Date, limit: number): Promise<KnowledgeEntry[]> {
    const rows = await changedSinceBySecond(
      since,
      new Date(),
      limit,
      (updatedSec) => this.model.find({ updatedSec }).lean(),
      () =>
        this.model
          .find({ updatedAt: { $gte: since } })
          .sort({ updatedAt: 1 })
          .limit(limit)
          .lean(),
    );
    return rows.map(toEntry);
  }

  async count(id: string, field: 'uses' | 'deflections'): Promise<void> {
    // Filter on _id alone (pushed down on FerretDB).
    await this.model.updateOne({ _id: String(id) }, { $inc: { [field]: 1 } });
  }
}
