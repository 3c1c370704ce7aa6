import { Types } from 'mongoose';
import { ChatdeskError } from '../domain/errors';
import type { SlaNotificationLog } from '../domain/sla/sla-log.port';
import type { ActivityEntry, Ticket } from '../domain/ticket/ticket';
import type { DeliveryLog, NewTicket, TicketQuery, TicketRepository } from '../domain/ticket/ticket.repository.port';
import { KeyedMutex } from '../core/keyed-mutex';
import { toRecord, toTicket } from './ticket.mapper';
import type { StoreModels } from './ticket.model';

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === DUPLICATE_KEY;

export class MongoTicketRepository implements TicketRepository {
  /** Counter increments are serialized here because FerretDB's findAndModify is not atomic. */
  private readonly counterLock = new KeyedMutex();

  constructor(private readonly models: StoreModels) {}

  async nextNumber(firstNumber: number): Promise<number> {
    return this.counterLock.run('ticket', async () => {
      const doc = await this.models.Counter.findOneAndUpdate({ _id: 'ticket' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
      return firstNumber - 1 + (doc?.seq ?? 1);
    });
  }

  async insert(ticket: NewTicket): Promise<Ticket> {
    let candidate = ticket;
    // The unique index on `number` is the guard across processes; a collision takes the next number.
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = new Types.ObjectId().toHexString();
      try {
        await this.models.Ticket.create({ _id: id, ...toRecord(candidate) });
        return { ...candidate, id };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const number = await this.nextNumber(candidate.number + 1);
        candidate = { ...candidate, number, key: candidate.key.replace(/-\d+$/, `-${number}`) };
      }
    }
    throw new ChatdeskError('chatdesk_ticket_conflict', 'could not allocate a unique ticket number after 5 attempts');
  }

  async findById(id: string): Promise<Ticket | null> {
    if (typeof id !== 'string' || !/^[0-9a-f]{24}$/.test(id)) return null;
    const r = await this.models.Ticket.findById(id).lean();
    return r ? toTicket(r) : null;
  }

  async findByKey(key: string): Promise<Ticket | null> {
    const r = await this.models.Ticket.findOne({ key: String(key) }).lean();
    return r ? toTicket(r) : null;
  }

  async save(next: Ticket): Promise<void> {
    const { id, ...rest } = next;
    const res = await this.models.Ticket.updateOne({ _id: id, version: next.version - 1 }, { $set: toRecord(rest) });
    if (res.matchedCount === 0) {
      throw new ChatdeskError('chatdesk_ticket_conflict', `${next.key} was changed by someone else; try again`, { ticket: next.key });
    }
  }

  async list(query: TicketQuery): Promise<Ticket[]> {
    const filter: Record<string, unknown> = {};
    if (query.status) filter.status = { $in: query.status };
    if (query.team) filter.team = query.team;
    if (query.requesterId) filter['requester.id'] = query.requesterId;
    if (query.notified) filter['activity.to'] = String(query.notified);
    const rows = await this.models.Ticket.find(filter).sort({ number: -1 }).limit(query.limit ?? 50).lean();
    return rows.map(toTicket);
  }

  async recordSla(id: string, entries: ActivityEntry[], slaNextAt: Date | undefined): Promise<void> {
    // Filter on _id alone: FerretDB pushes only that down (any other field scans the collection).
    const update: Record<string, unknown> = { $set: { slaNextAt: slaNextAt ?? null }, $inc: { version: 1 } };
    if (entries.length > 0) update.$push = { activity: { $each: entries.map((a) => ({ ...a, actor: { ...a.actor } })) } };
    await this.models.Ticket.updateOne({ _id: id }, update);
  }

  async findSlaDue(now: Date, limit: number): Promise<string[]> {
    const rows = await this.models.Ticket.find({ slaNextAt: { $lte: now } }, { _id: 1 }).sort({ slaNextAt: 1 }).limit(limit).lean();
    return rows.map((r) => r._id);
  }
}

export class MongoDeliveryLog implements DeliveryLog {
  constructor(private readonly models: StoreModels) {}

  async firstDelivery(key: string): Promise<boolean> {
    try {
      await this.models.Delivery.create({ _id: key, at: new Date() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
}

export class MongoSlaNotificationLog implements SlaNotificationLog {
  constructor(private readonly models: StoreModels) {}

  async claim(key: string, ticketId: string, now: Date, leaseMs: number): Promise<boolean> {
    try {
      await this.models.SlaNotification.create({ _id: key, ticketId, state: 'sending', at: now });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // Taken: only an unconfirmed claim whose lease ran out (its sender died mid-send) may be taken over.
    const res = await this.models.SlaNotification.updateOne(
      { _id: key, state: 'sending', at: { $lt: new Date(now.getTime() - leaseMs) } },
      { $set: { at: now } },
    );
    return res.modifiedCount === 1;
  }

  async confirm(key: string, now: Date): Promise<void> {
    await this.models.SlaNotification.updateOne({ _id: key }, { $set: { state: 'sent', at: now } });
  }

  async release(key: string): Promise<void> {
    await this.models.SlaNotification.deleteOne({ _id: key, state: 'sending' });
  }

  async handled(ticketId: string, now: Date, leaseMs: number): Promise<{ keys: Set<string>; leaseEndsAt?: Date }> {
    const rows = await this.models.SlaNotification.find({ ticketId }).lean();
    const keys = new Set<string>();
    let leaseEnds: number | undefined;
    for (const r of rows) {
      const ends = r.at.getTime() + leaseMs;
      if (r.state === 'sent' || ends > now.getTime()) keys.add(r._id);
      if (r.state === 'sending') leaseEnds = Math.min(leaseEnds ?? Infinity, ends);
    }
    return leaseEnds === undefined ? { keys } : { keys, leaseEndsAt: new Date(leaseEnds) };
  }
}
