import type { Model, mongo } from 'mongoose';
import type { InboxEntry, InboxStats, InboxStore } from '../core/intake/inbox.port';
import type { IntakeEvent, IntakeOutcome } from '../core/intake/intake-event';
import type { InboxRecord } from './inbox.model';

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === DUPLICATE_KEY;

function toEntry(r: InboxRecord): InboxEntry {
  return {
    event: (typeof r.event === 'string' ? JSON.parse(r.event) : r.event) as IntakeEvent,
    receivedAt: r.receivedAt,
    attempts: r.attempts ?? 0,
    ...(r.answered ? { answered: r.answered as unknown as IntakeOutcome } : {}),
  };
}

/** A plain-JSON copy (no undefined, no class instances) of an outcome. */
const plain = <T>(v: T): Record<string, unknown> => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

/**
 * The inbox on MongoDB (or the embedded FerretDB). Claims are conditional
 * updates on the lease (atomic on MongoDB); on the embedded database, which
 * runs one chatdesk process, they are not contended. A second claim of the
 * same event is harmless anyway: a ticket is tied to its event (reserved
 * number + intakeId) and is never opened twice.
 */
export class MongoInboxStore implements InboxStore {
  constructor(private readonly Inbox: Model<InboxRecord>) {}

  private collection(): mongo.Collection<InboxRecord> {
    return this.Inbox.collection as unknown as mongo.Collection<InboxRecord>;
  }

  async accept(event: IntakeEvent, owner: string, now: Date, leaseUntil: Date): Promise<'accepted' | 'duplicate'> {
    try {
      // The driver's insert: the record is built here in full, so mongoose's document machinery is skipped on this hot path.
      const record: InboxRecord = {
        _id: event.id,
        state: 'pending',
        platform: event.platform,
        kind: event.request.kind,
        event: JSON.stringify(event),
        receivedAt: now,
        due: leaseUntil,
        owner,
        attempts: 0,
        answered: null,
        lastError: null,
        doneAt: null,
      };
      await this.collection().insertOne(record);
      return 'accepted';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate';
      throw err;
    }
  }

  async forget(id: string): Promise<void> {
    await this.Inbox.deleteOne({ _id: id, state: 'pending', attempts: 0 });
  }

  async claimDue(owner: string, now: Date, leaseUntil: Date, limit: number, isDead: (owner: string) => boolean): Promise<InboxEntry[]> {
    const owners = (await this.Inbox.distinct('owner', { state: 'pending', due: { $gt: now } })) as Array<string | null>;
    const dead = owners.filter((o): o is string => !!o && o !== owner && isDead(o));
    const filter: Record<string, unknown> =
      dead.length > 0 ? { state: 'pending', $or: [{ due: { $lte: now } }, { owner: { $in: dead } }] } : { state: 'pending', due: { $lte: now } };
    const candidates = (await this.Inbox.find(filter).sort({ receivedAt: 1 }).limit(limit).lean()) as InboxRecord[];
    const claimed: InboxEntry[] = [];
    for (const c of candidates) {
      const res = await this.Inbox.updateOne({ _id: c._id, state: 'pending', due: c.due, owner: c.owner ?? null }, { $set: { owner, due: leaseUntil } });
      if (res.modifiedCount === 1) claimed.push(toEntry(c));
    }
    return claimed;
  }

  async renew(owner: string, ids: string[], leaseUntil: Date): Promise<void> {
    await this.Inbox.updateMany({ _id: { $in: ids }, state: 'pending', owner }, { $set: { due: leaseUntil } });
  }

  async get(id: string): Promise<InboxEntry | null> {
    const r = (await this.Inbox.findById(String(id)).lean()) as InboxRecord | null;
    return r ? toEntry(r) : null;
  }

  async markAnswered(id: string, outcome: IntakeOutcome): Promise<void> {
    await this.Inbox.updateOne({ _id: id }, { $set: { answered: plain(outcome) } });
  }

  async complete(id: string, now: Date, answered?: IntakeOutcome): Promise<void> {
    // Once per request: the driver's update (the values are plain already), mongoose's query casting skipped.
    await this.collection().updateOne(
      { _id: id },
      { $set: { state: 'done', doneAt: now, owner: null, lastError: null, ...(answered ? { answered: plain(answered) } : {}) } },
    );
  }

  async retryLater(id: string, attempts: number, due: Date, error: string): Promise<void> {
    await this.Inbox.updateOne({ _id: id, state: 'pending' }, { $set: { attempts, due, lastError: error.slice(0, 500) } });
  }

  async fail(id: string, now: Date, error: string): Promise<void> {
    await this.Inbox.updateOne({ _id: id }, { $set: { state: 'failed', doneAt: now, owner: null, lastError: error.slice(0, 500) } });
  }

  async release(owner: string, ids: string[], now: Date): Promise<void> {
    await this.Inbox.updateMany({ _id: { $in: ids }, state: 'pending', owner }, { $set: { due: now, owner: null } });
  }

  async stats(): Promise<InboxStats> {
    const [pending, oldest, failed] = await Promise.all([
      this.Inbox.countDocuments({ state: 'pending' }),
      this.Inbox.findOne({ state: 'pending' }, { receivedAt: 1 }).sort({ receivedAt: 1 }).lean(),
      this.Inbox.countDocuments({ state: 'failed' }),
    ]);
    return { pending, failed, ...(oldest ? { oldestAt: oldest.receivedAt } : {}) };
  }

  async purgeDone(before: Date): Promise<number> {
    const res = await this.Inbox.deleteMany({ state: 'done', doneAt: { $lt: before } });
    return res.deletedCount ?? 0;
  }
}
