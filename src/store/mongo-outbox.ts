import { type Model, Types } from 'mongoose';
import type { OutboxEntry, OutboxItem, OutboxJob, OutboxStats, OutboxStore } from '../core/outbox/outbox.port';
import type { OutboxRecord } from './outbox.model';

const toEntry = (r: OutboxRecord): OutboxEntry => ({
  id: r._id,
  conversation: r.conversation,
  job: r.job as unknown as OutboxJob,
  createdAt: r.createdAt,
  attempts: r.attempts ?? 0,
});

/**
 * The outbox on MongoDB (or the embedded FerretDB). Claims are conditional
 * updates on the lease, like the inbox's. A second send of the same entry
 * (two processes racing a takeover) is caught by the platform's idempotency
 * key where it has one: every post carries `outbox:<entry id>`.
 */
export class MongoOutboxStore implements OutboxStore {
  constructor(private readonly Outbox: Model<OutboxRecord>) {}

  async add(items: OutboxItem[], owner: string, now: Date, leaseUntil: Date): Promise<OutboxEntry[]> {
    const records: OutboxRecord[] = items.map((item) => ({
      _id: new Types.ObjectId().toHexString(),
      state: 'pending',
      conversation: item.conversation,
      job: JSON.parse(JSON.stringify(item.job)) as Record<string, unknown>,
      createdAt: now,
      due: leaseUntil,
      owner,
      attempts: 0,
    }));
    if (records.length > 0) await this.Outbox.insertMany(records, { ordered: true, lean: true });
    return records.map(toEntry);
  }

  async claimDue(owner: string, now: Date, leaseUntil: Date, limit: number, isDead: (owner: string) => boolean): Promise<OutboxEntry[]> {
    const owners = (await this.Outbox.distinct('owner', { state: 'pending', due: { $gt: now } })) as Array<string | null>;
    const dead = owners.filter((o): o is string => !!o && o !== owner && isDead(o));
    const filter: Record<string, unknown> =
      dead.length > 0 ? { state: 'pending', $or: [{ due: { $lte: now } }, { owner: { $in: dead } }] } : { state: 'pending', due: { $lte: now } };
    const candidates = (await this.Outbox.find(filter)
      .sort({ _id: 1 })
      .limit(limit * 4)
      .lean()) as OutboxRecord[];
    const claimed: OutboxEntry[] = [];
    const seen = new Set<string>();
    for (const c of candidates) {
      if (claimed.length >= limit) break;
      if (seen.has(c.conversation)) continue;
      seen.add(c.conversation);
      // An older entry of this conversation still waits (leased elsewhere, or retrying): this one waits behind it.
      const older = await this.Outbox.exists({ conversation: c.conversation, state: 'pending', _id: { $lt: c._id } });
      if (older) continue;
      const res = await this.Outbox.updateOne({ _id: c._id, state: 'pending', due: c.due, owner: c.owner ?? null }, { $set: { owner, due: leaseUntil } });
      if (res.modifiedCount === 1) claimed.push(toEntry(c));
    }
    return claimed;
  }

  async renew(owner: string, ids: string[], leaseUntil: Date): Promise<void> {
    if (ids.length > 0) await this.Outbox.updateMany({ _id: { $in: ids }, state: 'pending', owner }, { $set: { due: leaseUntil } });
  }

  async sent(id: string): Promise<void> {
    await this.Outbox.deleteOne({ _id: id });
  }

  async retryLater(id: string, attempts: number, due: Date, error: string): Promise<void> {
    await this.Outbox.updateOne({ _id: id, state: 'pending' }, { $set: { attempts, due, lastError: error.slice(0, 500) } });
  }

  async fail(id: string, now: Date, error: string): Promise<void> {
    await this.Outbox.updateOne({ _id: id }, { $set: { state: 'failed', failedAt: now, owner: null, lastError: error.slice(0, 500) } });
  }

  async release(owner: string, ids: string[], now: Date): Promise<void> {
    if (ids.length > 0) await this.Outbox.updateMany({ _id: { $in: ids }, state: 'pending', owner }, { $set: { due: now, owner: null } });
  }

  async stats(): Promise<OutboxStats> {
    const [pending, oldest, failed] = await Promise.all([
      this.Outbox.countDocuments({ state: 'pending' }),
      this.Outbox.findOne({ state: 'pending' }, { createdAt: 1 }).sort({ _id: 1 }).lean(),
      this.Outbox.countDocuments({ state: 'failed' }),
    ]);
    return { pending, failed, ...(oldest ? { oldestAt: oldest.createdAt } : {}) };
  }
}
