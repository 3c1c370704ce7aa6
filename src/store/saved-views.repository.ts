import { randomBytes } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import { MAX_SAVED_VIEWS, type SavedView, type SavedViewStore } from '../console/saved-views';
import type { UserRef } from '../domain/ticket/ticket';

const DUPLICATE_KEY = 11000;

/** One row per saved view: `owner` the person's `platform:id`, `key` their lower-cased name (unique per owner). */
interface ViewRecord {
  _id: string;
  owner: string;
  key: string;
  name: string;
  query: string;
  createdAt: Date;
}

const viewSchema = new Schema<ViewRecord>(
  { _id: String, owner: String, key: String, name: String, query: String, createdAt: Date },
  { collection: 'console_views', versionKey: false },
);
// A person's views are one equality lookup; a name is theirs once.
viewSchema.index({ owner: 1 });
viewSchema.index({ owner: 1, key: 1 }, { unique: true });

const ownerOf = (u: UserRef) => `${u.platform}:${u.id}`;
const toView = (r: ViewRecord): SavedView => ({ id: r._id, name: r.name, query: r.query, createdAt: r.createdAt });

export class MongoSavedViewStore implements SavedViewStore {
  private constructor(private readonly Views: Model<ViewRecord>) {}

  static register(conn: Connection): MongoSavedViewStore {
    return new MongoSavedViewStore(conn.model<ViewRecord>('ConsoleView', viewSchema));
  }

  model(): Model<ViewRecord> {
    return this.Views;
  }

  async list(owner: UserRef): Promise<SavedView[]> {
    const rows = await this.Views.find({ owner: ownerOf(owner) }).lean();
    return rows.map(toView).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  }

  async add(owner: UserRef, view: { name: string; query: string }, now: Date): Promise<SavedView | 'full' | 'taken'> {
    // The count and the insert are two commands: two saves at the very same moment can leave one view over the limit.
    if ((await this.Views.countDocuments({ owner: ownerOf(owner) })) >= MAX_SAVED_VIEWS) return 'full';
    const record: ViewRecord = {
      _id: `v-${randomBytes(9).toString('base64url')}`,
      owner: ownerOf(owner),
      key: view.name.toLowerCase(),
      name: view.name,
      query: view.query,
      createdAt: now,
    };
    try {
      await this.Views.create(record);
    } catch (err) {
      if ((err as { code?: number }).code === DUPLICATE_KEY) return 'taken';
      throw err;
    }
    return toView(record);
  }

  async remove(owner: UserRef, id: string): Promise<boolean> {
    const res = await this.Views.deleteOne({ _id: String(id), owner: ownerOf(owner) });
    return res.deletedCount > 0;
  }
}
