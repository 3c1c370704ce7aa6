import { type mongo, Types } from 'mongoose';
import { ChatdeskError } from '../domain/errors';
import { type ActivityEntry, type MessageRef, type Platform, TICKET_STATUSES, type Ticket, type TicketStatus } from '../domain/ticket/ticket';
import {
  type AssistChange,
  type NewTicket,
  type TicketChange,
  type TicketQuery,
  type TicketRepository,
  withAssistChange,
} from '../domain/ticket/ticket.repository.port';
import { mapLimit } from '../core/map-limit';
import { MongoSlaNotificationLog } from './mongo-sla-store';
import { changedSinceBySecond, secondOf } from './second-slots';
import { toNewRecord, toRecord, toTicket } from './ticket.mapper';
import { personKey } from './ticket-buckets';
import { TicketNumbers } from './ticket-numbers';
import type { StoreModels, TicketRecord } from './ticket.model';
import type { TicketVersionGuard } from './ticket-version-guard';

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === DUPLICATE_KEY;

export { MongoSlaNotificationLog };

const cardKey = (platform: string, messageId: string) => `${platform}:${messageId}`;

const CLOSED_COUNT_MAX_AGE_MS = 5 * 60_000;

export class MongoTicketRepository implements TicketRepository {
  /** Closed tickets as last counted (see countByStatus). */
  private closed?: { at: number; n: number };

  /** Ticket numbers, taken from the counter for every waiting ticket at once (FerretDB's findAndModify is not atomic: one increment at a time here). */
  private readonly numbers = new TicketNumbers(async (n) => {
    // The driver's findAndModify (about one per ticket under load): mongoose's query casting skipped.
    const increment = () =>
      this.models.Counter.collection.findOneAndUpdate({ _id: 'ticket' as never }, { $inc: { seq: n } }, { upsert: true, returnDocument: 'after' });
    // Two processes creating the counter at once (a new database): one upsert loses with a duplicate key; the counter now exists.
    const doc = await increment().catch((err: unknown) => (isDuplicateKey(err) ? increment() : Promise.reject(err)));
    return (doc?.seq as number | undefined) ?? n;
  });

  private readonly listeners: Array<(ticket: Ticket) => void> = [];

  constructor(
    private readonly models: StoreModels,
    /** On FerretDB, where conditional updates are not atomic across processes (see ticket-version-guard.ts). */
    private readonly versionGuard?: TicketVersionGuard,
  ) {}

  /**
   * Calls `listener` with each ticket as stored, after every insert and save (the
   * reports' summary counts from it). A listener must not throw; it runs before the write's caller goes on.
   */
  onChange(listener: (ticket: Ticket) => void): void {
    this.listeners.push(listener);
  }

  private changed(ticket: Ticket): void {
    for (const l of this.listeners) l(ticket);
  }

  async nextNumber(firstNumber: number): Promise<number> {
    return firstNumber - 1 + (await this.numbers.next());
  }

  async insert(ticket: NewTicket): Promise<Ticket> {
    let candidate = ticket;
    // The unique index on `number` is the guard across processes; a collision takes the next number.
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = new Types.ObjectId().toHexString();
      try {
        // The driver's insert of the record the mapper builds in full (every field the schema declares; a store test
        // checks it): mongoose's document, casting and validation cost 1.0 ms of CPU per ticket (1.47 ms against 0.47).
        await (this.models.Ticket.collection as unknown as mongo.Collection<TicketRecord>).insertOne(toNewRecord(id, candidate));
        const stored = { ...candidate, id };
        this.changed(stored);
        return stored;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const earlier = candidate.intakeId ? await this.models.Ticket.findOne({ intakeId: candidate.intakeId }, { _id: 1, key: 1 }).lean() : null;
        if (earlier) {
          throw new ChatdeskError('chatdesk_intake_duplicate', `${earlier.key} is already stored for this request`, { ticket: earlier.key, id: earlier._id });
        }
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

  async findByIntakeId(intakeId: string): Promise<Ticket | null> {
    const r = await this.models.Ticket.findOne({ intakeId: String(intakeId) }).lean();
    return r ? toTicket(r) : null;
  }

  async findByKey(key: string): Promise<Ticket | null> {
    const r = await this.models.Ticket.findOne({ key: String(key) }).lean();
    return r ? toTicket(r) : null;
  }

  async save(next: Ticket): Promise<void> {
    const { id, ...rest } = next;
    // Card references and the assistant's record have writers of their own (saveDelivery, updateAssist).
    // The inbound request's id never changes (and is unique): not rewritten either.
    const { agentCards: _cards, requesterThread: _thread, assist: _assist, intakeId: _intake, ...record } = toRecord(rest);
    if (!(await this.takeVersion(id, next.version))) {
      throw new ChatdeskError('chatdesk_ticket_conflict', `${next.key} was changed by someone else; try again`, { ticket: next.key });
    }
    const res = await this.models.Ticket.updateOne({ _id: id, version: next.version - 1 }, { $set: record });
    if (res.matchedCount === 0) {
      throw new ChatdeskError('chatdesk_ticket_conflict', `${next.key} was changed by someone else; try again`, { ticket: next.key });
    }
    this.changed(next);
  }

  async saveDelivery(id: string, delivery: { agentCards: MessageRef[]; requesterThread?: MessageRef }): Promise<void> {
    const cardKeys = delivery.agentCards.map((c) => cardKey(c.platform, c.messageId));
    // Once per ticket opened: the driver's update, the refs cast here as the schema casts them (mongoose's casting skipped).
    await this.models.Ticket.collection.updateOne(
      { _id: id as never },
      {
        $set: {
          agentCards: delivery.agentCards.map(refRecord),
          cardKeys,
          requesterThread: delivery.requesterThread ? refRecord(delivery.requesterThread) : null,
        },
      },
    );
  }

  async findByCard(platform: Platform, messageId: string): Promise<Ticket | null> {
    const r = await this.models.Ticket.findOne({ cardKeys: cardKey(platform, String(messageId)) }).lean();
    return r ? toTicket(r) : null;
  }

  async updateAssist(id: string, change: AssistChange): Promise<void> {
    const update = assistUpdate(change);
    if (Object.keys(update).length === 0) return;
    const res = await this.models.Ticket.updateOne({ _id: id, assist: { $type: 'object' } }, update);
    if (res.matchedCount > 0) return;
    // A ticket stored before the assistant wrote to it has no record yet (null): start one with this change.
    const fresh: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(change.set ?? {})) if (v !== undefined) fresh[k] = plain(v);
    if (change.pushDraft) fresh.drafts = [plain(change.pushDraft)];
    const created = await this.models.Ticket.updateOne({ _id: id, assist: null }, { $set: { assist: fresh } });
    if (created.matchedCount > 0) return;
    // Both missed: the record appeared meanwhile (another writer), or there is no such ticket.
    const again = await this.models.Ticket.updateOne({ _id: id, assist: { $type: 'object' } }, update);
    if (again.matchedCount === 0) throw new ChatdeskError('chatdesk_ticket_not_found', `No ticket ${id}`, { id });
  }

  async updateAssistAudited(ticket: Ticket, change: AssistChange, entry: ActivityEntry): Promise<boolean> {
    const version = ticket.version + 1;
    if (!(await this.takeVersion(ticket.id, version))) return false;
    const update = assistUpdate(change);
    // As any audited change: the entry's time is the ticket's last change.
    update.$set = { ...update.$set, version, updatedAt: entry.at, updatedSec: secondOf(entry.at) };
    update.$push = { ...update.$push, activity: { ...entry, actor: { ...entry.actor } } };
    // No record yet (a ticket stored before the assistant had one) misses too: the caller's updateAssist starts it.
    const res = await this.models.Ticket.updateOne({ _id: ticket.id, version: ticket.version, assist: { $type: 'object' } }, update);
    if (res.matchedCount === 0) {
      await this.versionGuard?.release(ticket.id, version);
      return false;
    }
    this.changed({ ...ticket, assist: withAssistChange(ticket.assist, change), activity: [...ticket.activity, entry], updatedAt: entry.at, version });
    return true;
  }

  /**
   * On a FerretDB that several processes share (no atomic filtered update), takes the right to write `version` of ticket `id`
   * first (src/store/ticket-version-guard.ts): false when another writer holds it or the ticket
   * moved on. Always true elsewhere: on MongoDB the filtered update on `version` decides alone,
   * and the embedded database has one writer per ticket (src/store/database.ts).
   */
  private async takeVersion(id: string, version: number): Promise<boolean> {
    if (!this.versionGuard) return true;
    const current = async () => (await this.models.Ticket.findById(id, { version: 1 }).lean())?.version;
    return this.versionGuard.take(id, version, new Date(), current);
  }

  /**
   * Each look sends one top-level equality FerretDB pushes down to PostgreSQL (the person's
   * `requesterKey` / `assigneeKey`, else one look per status), and the rest of the filter is applied
   * to what it returns. Sent as one filter, a dotted `requester.id` or a status `$in` made FerretDB
   * decode the desk's whole history on every requester reply, `/ticket mine` and auto-close sweep.
   */
  async list(query: TicketQuery): Promise<Ticket[]> {
    const filter: Record<string, unknown> = {};
    if (query.status) filter.status = { $in: query.status };
    if (query.team) filter.team = query.team;
    if (query.requester) filter.requesterKey = personKey(query.requester);
    if (query.teams) filter.team = { $in: query.teams };
    if (query.assignee) filter.assigneeKey = personKey(query.assignee);
    if (query.createdFrom) filter.createdAt = { $gte: query.createdFrom };
    if (query.resolvedFrom || query.resolvedBefore) {
      filter.resolvedAt = { ...(query.resolvedFrom ? { $gte: query.resolvedFrom } : {}), ...(query.resolvedBefore ? { $lte: query.resolvedBefore } : {}) };
    }
    if (query.text) {
      // A plain substring (regex metacharacters escaped): a scan of the candidate tickets, fine for chat; the console will use an index.
      const re = new RegExp(query.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      filter.$and = [{ $or: [{ key: re }, { title: re }, { description: re }] }];
    }
    if (query.notified) filter['activity.to'] = String(query.notified);
    const limit = query.limit ?? 50;
    const looks = query.requester || query.assignee || !query.status ? [filter] : query.status.map((status) => ({ ...filter, status }));
    const rows = (await mapLimit(looks, 4, (f) => this.models.Ticket.find(f).sort({ number: -1 }).limit(limit).lean())).flat();
    return rows
      .sort((a, b) => b.number - a.number)
      .slice(0, limit)
      .map(toTicket);
  }

  async openLoad(people: ReadonlyArray<{ platform: string; id: string }>, statuses: readonly TicketStatus[]): Promise<Map<string, number>> {
    // One count per person and status, each on top-level equalities: an index lookup on both databases (a status `$in`,
    // a dotted `assignee.id` or a team-wide read would make FerretDB decode the team's whole history).
    const pairs = people.flatMap((p) => statuses.map((status) => ({ p, status })));
    const counts = await mapLimit(pairs, 4, ({ p, status }) => this.models.Ticket.countDocuments({ assigneeKey: `${p.platform}:${p.id}`, status }));
    const load = new Map<string, number>();
    for (const [i, { p }] of pairs.entries()) {
      const key = `${p.platform}:${p.id}`;
      load.set(key, (load.get(key) ?? 0) + counts[i]!);
    }
    return load;
  }

  async changedSince(since: Date, limit: number): Promise<TicketChange[]> {
    const fields = { key: 1, title: 1, description: 1, status: 1, updatedAt: 1 };
    const rows = await changedSinceBySecond(
      since,
      new Date(),
      limit,
      (updatedSec) => this.models.Ticket.find({ updatedSec }, fields).lean(),
      () =>
        this.models.Ticket.find({ updatedAt: { $gte: since } }, fields)
          .sort({ updatedAt: 1 })
          .limit(limit)
          .lean(),
    );
    return rows.map((r) => ({
      id: r._id,
      key: r.key,
      title: r.title,
      description: r.description,
      status: r.status as TicketChange['status'],
      updatedAt: r.updatedAt,
    }));
  }

  /** How many tickets there are in each status (for /metrics). */
  /**
   * Tickets by status: one count by equality per live status (FerretDB sends each to PostgreSQL as a
   * filter; a `$group` decoded every ticket: 40 s a scrape at 100,000 tickets on the 2-core machine,
   * and the scrapes piled up). `closed`, the bulk of a desk's history, is the collection's stored
   * count minus the live ones, taken at most every 5 minutes (collStats: 0.85 s at 30,000 on FerretDB).
   */
  async countByStatus(): Promise<Record<string, number>> {
    const live = TICKET_STATUSES.filter((s) => s !== 'closed');
    const counts = await Promise.all(live.map((status) => this.models.Ticket.countDocuments({ status })));
    const out: Record<string, number> = Object.fromEntries(live.map((s, i) => [s, counts[i]!]));
    if (!this.closed || Date.now() - this.closed.at > CLOSED_COUNT_MAX_AGE_MS) {
      const total = await this.storedCount();
      this.closed = { at: Date.now(), n: Math.max(0, total - counts.reduce((a, b) => a + b, 0)) };
    }
    out.closed = this.closed.n;
    return out;
  }

  /** The tickets collection's document count from its statistics (no document is read), or a count where there are none. */
  private async storedCount(): Promise<number> {
    const db = this.models.Ticket.db.db;
    const stats = db ? await db.command({ collStats: this.models.Ticket.collection.collectionName }).catch(() => undefined) : undefined;
    return typeof stats?.count === 'number' ? stats.count : this.models.Ticket.estimatedDocumentCount();
  }
}

const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

/** A message reference as the schema stores it (strings, no undefined fields). */
const refRecord = (r: MessageRef) => ({
  platform: String(r.platform),
  channelId: String(r.channelId),
  messageId: String(r.messageId),
  ...(r.threadId != null ? { threadId: String(r.threadId) } : {}),
});

/** The assistant record's change as field-by-field operators (see updateAssist). */
function assistUpdate(change: AssistChange): Record<string, Record<string, unknown>> {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(change.set ?? {})) if (v !== undefined) $set[`assist.${k}`] = plain(v);
  for (const k of change.unset ?? []) $unset[`assist.${k}`] = '';
  return {
    ...(Object.keys($set).length > 0 ? { $set } : {}),
    ...(Object.keys($unset).length > 0 ? { $unset } : {}),
    ...(change.pushDraft ? { $push: { 'assist.drafts': plain(change.pushDraft) } } : {}),
  };
}
