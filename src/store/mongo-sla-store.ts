import type { ClaimOutcome, SlaDelivery, SlaNotificationLog, SlaTicketState, SlaTimer } from '../domain/sla/sla-log.port';
import { mapLimit } from '../core/map-limit';
import { mongo } from 'mongoose';
import type { Ticket } from '../domain/ticket/ticket';
import type { SlaAuditRecord, SlaSnapshotRecord, SlaTimerRecord } from './sla.model';
import { toTicket } from './ticket.mapper';
import type { StoreModels } from './ticket.model';
import { auditId, mergeAudit, readAudit, readAuditOfMany } from './sla-audit';
import { type CopySources, copiesOf, decodePack, encodePack, PACK_MAX, type SnapshotRef, type TicketCopies, type TicketCopy } from './sla-ticket-copies';
import { localLiveness, newWorkerName } from './worker-identity';

const DUPLICATE_KEY = 11000;
const BACKFILL_MARK = 'backfill:slaNextAt:v1';
const HEADS_BACKFILL_MARK = 'backfill:slaHeads:v1';
/**
 * A worker whose last beat is older than this is taken for dead: its claims are
 * taken over. Generous, because on a loaded FerretDB a heartbeat write can wait
 * several seconds behind other writes. It stops sending by itself well before (OWNER_STALE_MS - SELF_MARGIN_MS
 * after its last recorded beat), so a stalled worker that wakes up cannot send a
 * claim someone else took over. A worker that ran on this machine and whose process
 * is gone (worker-identity.ts) is taken for dead at once.
 */
export const OWNER_STALE_MS = 20_000;
const SELF_MARGIN_MS = 8_000;
/** Up to this many tickets, `sla_heads` is read by `_id` lookups (about 1 ms each); above, in one pass over it. */
const HEAD_LOOKUPS_MAX = 32;

/**
 * Inserts `docs` as one unordered batch and returns the indexes refused as
 * duplicate keys. Any other error is thrown.
 */
export async function insertIgnoringDuplicates(
  model: { collection: { insertMany(docs: never[], opts: { ordered: boolean }): Promise<unknown> } },
  docs: readonly object[],
): Promise<Set<number>> {
  const dups = new Set<number>();
  if (docs.length === 0) return dups;
  try {
    await model.collection.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
    const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as Array<{ index: number; code: number }>;
    if (list.length === 0 && (err as { code?: number }).code === DUPLICATE_KEY && docs.length === 1) return new Set([0]);
    if (list.length === 0 || list.some((e) => e.code !== DUPLICATE_KEY)) throw err;
    for (const e of list) dups.add(e.index);
  }
  return dups;
}


export const timerId = (ticketId: string, at: Date, version?: number) => `${ticketId}:${at.getTime()}${version === undefined ? '' : `:v${version}`}`;
const changedTimerId = (ticketId: string, version: number) => `${ticketId}@v${version}`;
/** The `at` (epoch ms) a timer id was written for: its number after the ticket id (changed wake-ups are due at epoch). */
export function timerAt(id: string): number {
  if (id.includes('@v')) return 0;
  const ms = Number(id.split(':')[1]);
  return Number.isFinite(ms) ? ms : Date.now() + 86_400_000 * 365;
}
/** Copies are kept this long after their wake-up's time, then removed in one pass. */
const SNAPSHOT_KEEP_MS = 10 * 60_000;
const SNAPSHOT_SWEEP_EVERY_MS = 60_000;

/**
 * Called by the ticket repository after each write of a ticket: drops this process's
 * read-ahead copy, and (for tickets with an SLA clock) adds a wake-up due at once so
 * the SLA worker, in whatever process, re-plans from the new version.
 */
export async function slaTicketChanged(models: StoreModels, ticket: Pick<Ticket, 'id' | 'version' | 'sla' | 'slaNextAt'>): Promise<void> {
  copiesOf(models).changed(ticket.id);
  if (!ticket.sla && !ticket.slaNextAt) return;
  await Promise.all([
    // `$max`: two saves racing cannot lower it.
    models.SlaHead.updateOne({ _id: ticket.id }, { $max: { v: ticket.version } }, { upsert: true }),
    insertIgnoringDuplicates(models.SlaTimer, [{ _id: changedTimerId(ticket.id, ticket.version), ticketId: ticket.id, at: new Date(0), v: ticket.version }]),
  ]);
}

const stateOf = (copy: TicketCopy): SlaTicketState => ({
  ticket: mergeAudit(copy.raw, copy.rows),
  sent: new Set(copy.rows.map((r) => r.key)),
  auditCount: copy.rows.length,
  position: copy.raw.activity.length,
});

/**
 * SLA timers, exactly-once claims and the SLA audit on MongoDB / FerretDB.
 * Hot-path writes are batched inserts (one transaction on FerretDB); lookups are
 * by `_id` only (the one filter FerretDB pushes down to SQLite) or in bulk.
 */
export class MongoSlaNotificationLog implements SlaNotificationLog {
  private readonly copies: TicketCopies;
  private readonly counts = { ticketsRead: 0, fromSnapshots: 0, snapshotsRefused: 0 };
  /** This worker's instance id, in its claims and its heartbeat. */
  readonly owner = newWorkerName();
  /** `at` of the last beat known to be stored (real ms), once beating. */
  private lastBeat: number | undefined;
  private lastSnapshotSweep = Date.now();

  constructor(private readonly models: StoreModels) {
    this.copies = copiesOf(models);
  }

  async heartbeat(now: Date): Promise<void> {
    await this.models.SlaWorker.updateOne({ _id: this.owner }, { $set: { at: now } }, { upsert: true });
    this.lastBeat = Math.max(this.lastBeat ?? 0, now.getTime());
  }

  async lastHeartbeat(): Promise<Date | undefined> {
    const row = await this.models.SlaWorker.findOne({}, { at: 1 }).sort({ at: -1 }).lean();
    return row?.at ?? undefined;
  }

  async oldestDue(): Promise<Date | undefined> {
    // "Changed" wake-ups are due at the epoch (re-plan at once); planned ones carry their real time.
    const row = await this.models.SlaTimer.findOne({ at: { $gt: new Date(86_400_000) } }, { at: 1 }).sort({ at: 1 }).lean();
    return row?.at ?? undefined;
  }

  maySend(): boolean {
    return this.lastBeat === undefined || Date.now() - this.lastBeat < OWNER_STALE_MS - SELF_MARGIN_MS;
  }

  async prepare(): Promise<void> {
    await this.models.SlaWorker.deleteMany({ at: { $lt: new Date(Date.now() - 86_400_000) } });
    await this.backfillHeads();
    if (await this.models.SlaTimer.findById(BACKFILL_MARK).lean()) return;
    // Tickets stored before the timer collection existed (or written around the store) get their wake-up.
    const rows = await this.models.Ticket.find({ slaNextAt: { $ne: null } }, { _id: 1, slaNextAt: 1, version: 1 }).lean();
    const timers = rows.filter((r) => r.slaNextAt).map((r) => ({ ticketId: r._id, at: r.slaNextAt as Date, version: r.version }));
    for (let i = 0; i < timers.length; i += 1000) await this.writeTimers(timers.slice(i, i + 1000), false);
    await insertIgnoringDuplicates(this.models.SlaTimer, [{ _id: BACKFILL_MARK, ticketId: '', at: null }]);
  }

  /** Tickets saved before `sla_heads` existed get their version there (once), so their wake-ups' copies can be used. */
  private async backfillHeads(): Promise<void> {
    if (await this.models.SlaTimer.findById(HEADS_BACKFILL_MARK).lean()) return;
    const rows = await this.models.Ticket.find({ sla: { $ne: null } }, { _id: 1, version: 1 }).lean();
    for (let i = 0; i < rows.length; i += 1000) {
      await insertIgnoringDuplicates(this.models.SlaHead, rows.slice(i, i + 1000).map((r) => ({ _id: r._id, v: r.version })));
    }
    await insertIgnoringDuplicates(this.models.SlaTimer, [{ _id: HEADS_BACKFILL_MARK, ticketId: '', at: null }]);
  }

  async dueTimers(until: Date, limit: number): Promise<SlaTimer[]> {
    const rows = await this.models.SlaTimer.find({ at: { $lte: until } }).sort({ at: 1 }).limit(limit).lean();
    this.copies.prune();
    return rows
      .filter((r) => r.at && r.ticketId)
      .map((r) => {
        this.copies.seenVersion(r.ticketId, r.v);
        if (typeof r.c === 'string' && r.v !== undefined) this.copies.snapshotSeen(r.ticketId, { packId: r.c, version: r.v, at: r.at as Date });
        return { id: r._id, ticketId: r.ticketId, at: r.at as Date, ...(r.v !== undefined ? { version: r.v } : {}), ...(r._id.includes('@v') ? { changed: true } : {}) };
      });
  }

  /** Each wake-up carries this process's copy of its ticket when that copy is of the same version (packed, see SlaSnapshotRecord). */
  async schedule(timers: ReadonlyArray<{ ticketId: string; at: Date; version?: number }>): Promise<void> {
    await this.writeTimers(timers, true);
  }

  private async writeTimers(timers: ReadonlyArray<{ ticketId: string; at: Date; version?: number }>, withCopies: boolean): Promise<void> {
    const unique = new Map<string, SlaTimerRecord>();
    const packIds: string[] = [];
    const items: Array<{ t: string; v: number; copy: TicketCopy; pack: string }> = [];
    const itemOf = new Map<string, (typeof items)[number]>();
    for (const t of timers) {
      const id = timerId(t.ticketId, t.at, t.version);
      if (unique.has(id)) continue;
      const copy = this.copies.get(t.ticketId);
      let pack: string | undefined;
      if (withCopies && copy && t.version !== undefined && copy.raw.version === t.version) {
        let item = itemOf.get(`${t.ticketId}|${t.version}`);
        if (!item) {
          const n = Math.floor(items.length / PACK_MAX);
          item = { t: t.ticketId, v: t.version, copy, pack: (packIds[n] ??= new mongo.ObjectId().toHexString()) };
          items.push(item);
          itemOf.set(`${t.ticketId}|${t.version}`, item);
        }
        pack = item.pack;
      }
      unique.set(id, { _id: id, ticketId: t.ticketId, at: t.at, v: t.version, ...(pack ? { c: pack } : {}) });
    }
    const packs: SlaSnapshotRecord[] = packIds.map((packId) => {
      const mine = items.filter((i) => i.pack === packId);
      const times = [...unique.values()].filter((tm) => tm.c === packId).map((tm) => (tm.at as Date).getTime());
      return {
        _id: packId,
        from: new Date(Math.min(...times)),
        at: new Date(Math.max(...times)),
        s: encodePack(mine.map((i) => i.copy)),
      };
    });
    // A wake-up whose pack is missing (a failed insert) only costs a read of the ticket.
    await Promise.all([insertIgnoringDuplicates(this.models.SlaSnapshot, packs), insertIgnoringDuplicates(this.models.SlaTimer, [...unique.values()])]);
  }

  async clearTimers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    if (ids.length === 1) await this.models.SlaTimer.deleteOne({ _id: ids[0] });
    else {
      // `at` first: FerretDB tests the filter on every row, and a long `$in` is slow; the latest
      // handled wake-up bounds them all (timerAt reads it from the id), so later rows stop at `at`.
      const until = ids.reduce((max, id) => Math.max(max, timerAt(id)), 0);
      await this.models.SlaTimer.deleteMany({ at: { $lte: new Date(until) }, _id: { $in: [...ids] } });
    }
    if (Date.now() - this.lastSnapshotSweep >= SNAPSHOT_SWEEP_EVERY_MS) {
      this.lastSnapshotSweep = Date.now();
      await this.models.SlaSnapshot.deleteMany({ at: { $lt: new Date(Date.now() - SNAPSHOT_KEEP_MS) } });
    }
  }

  /** Tickets read from the tickets collection, and taken from wake-ups' copies (or refused as stale), since start. */
  stats(): { ticketsRead: number; fromSnapshots: number; snapshotsRefused: number } {
    return { ...this.counts };
  }

  cached(ticketIds: readonly string[]): Set<string> {
    return new Set(ticketIds.filter((id) => this.copies.get(id)));
  }

  async prefetch(ticketIds: readonly string[]): Promise<void> {
    const ids = [...new Set(ticketIds)].filter((id) => !this.copies.get(id));
    const fromSnapshots = await this.useSnapshots(ids);
    const rest = ids.filter((id) => !fromSnapshots.has(id));
    if (rest.length > 0) await this.read(rest, rest.length > 20);
  }

  /**
   * For a worker that starts with nothing in memory: the wake-ups due by `until`,
   * and, read side by side with them, the versions and packs that let it fire
   * from copies at once.
   */
  async warmUp(until: Date, limit: number): Promise<SlaTimer[]> {
    const [timers, sources] = await Promise.all([this.dueTimers(until, limit), this.readCopySources(until)]);
    const ids = [...new Set(timers.filter((tm) => !tm.changed).map((tm) => tm.ticketId))].filter((id) => !this.copies.get(id));
    await this.useSnapshots(ids, sources);
    return timers;
  }

  /** One pass over each collection: on FerretDB a long `$in` costs more than reading every row. */
  private async readCopySources(until: Date): Promise<CopySources> {
    const [heads, packs] = await Promise.all([this.models.SlaHead.find({}).lean(), this.models.SlaSnapshot.find({ from: { $lte: until } }).lean()]);
    return { heads: new Map(heads.map((h) => [h._id, h.v])), packs: new Map(packs.map((p) => [p._id, p as SlaSnapshotRecord])) };
  }

  /**
   * Takes the copies that came with the wake-ups of these tickets, where `sla_heads`
   * shows no newer version of the ticket; returns those taken. The rest must be read.
   */
  private async useSnapshots(ids: readonly string[], read?: CopySources): Promise<Map<string, TicketCopy>> {
    const out = new Map<string, TicketCopy>();
    const refs = new Map<string, SnapshotRef>();
    for (const id of ids) {
      const ref = this.copies.snapshots.get(id);
      if (ref) refs.set(id, ref);
    }
    if (refs.size === 0) return out;
    const startedAt = performance.now();
    let sources = read;
    if (!sources && refs.size <= HEAD_LOOKUPS_MAX) {
      const found: CopySources = { heads: new Map(), packs: new Map() };
      const packIds = [...new Set([...refs.values()].map((r) => r.packId))];
      await Promise.all([
        mapLimit([...refs.keys()], 16, async (id) => {
          const head = await this.models.SlaHead.findById(id).lean();
          if (head) found.heads.set(id, head.v);
        }),
        mapLimit(packIds, 8, async (packId) => {
          const pack = await this.models.SlaSnapshot.findById(packId).lean();
          if (pack) found.packs.set(packId, pack as SlaSnapshotRecord);
        }),
      ]);
      sources = found;
    }
    sources ??= await this.readCopySources(new Date(Math.max(...[...refs.values()].map((r) => r.at.getTime()))));
    const unpacked = new Map<string, Map<string, TicketCopy>>();
    for (const [id, ref] of refs) {
      if (this.copies.snapshots.get(id) === ref) this.copies.snapshots.delete(id);
      const pack = sources.packs.get(ref.packId);
      if (!pack || sources.heads.get(id) !== ref.version) {
        this.counts.snapshotsRefused += 1;
        continue;
      }
      let open = unpacked.get(ref.packId);
      if (!open) unpacked.set(ref.packId, (open = decodePack(pack, startedAt)));
      const copy = open.get(`${id}|${ref.version}`);
      if (!copy) {
        this.counts.snapshotsRefused += 1;
        continue;
      }
      this.copies.put(id, copy, startedAt);
      if (this.copies.get(id) !== copy) continue;
      this.counts.fromSnapshots += 1;
      out.set(id, copy);
    }
    return out;
  }

  /**
   * Reads tickets and their SLA audit: one by one, or in bulk (one pass over each
   * collection on FerretDB: a few seconds at 10k tickets whatever the number asked for,
   * so only for reading ahead; a ticket due now is read by itself).
   */
  private async read(ids: readonly string[], bulk: boolean): Promise<Map<string, TicketCopy>> {
    const startedAt = performance.now();
    const out = new Map<string, TicketCopy>();
    if (!bulk) {
      await mapLimit(ids, 16, async (id) => {
        const [record, rows] = await Promise.all([this.models.Ticket.findById(id).lean(), readAudit(this.models, id)]);
        if (record) out.set(id, { raw: toTicket(record), rows, loadedAt: startedAt });
      });
    } else {
      const [records, audit] = await Promise.all([this.models.Ticket.find({ _id: { $in: [...ids] } }).lean(), readAuditOfMany(this.models, ids)]);
      for (const r of records) out.set(r._id, { raw: toTicket(r), rows: audit.get(r._id) ?? [], loadedAt: startedAt });
    }
    this.counts.ticketsRead += out.size;
    for (const [id, copy] of out) this.copies.put(id, copy, startedAt);
    return out;
  }

  async load(ticketIds: readonly string[]): Promise<Map<string, SlaTicketState>> {
    const out = new Map<string, SlaTicketState>();
    const missing: string[] = [];
    for (const id of ticketIds) {
      const copy = this.copies.get(id);
      if (copy) out.set(id, stateOf(copy));
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    const fromSnapshots = await this.useSnapshots(missing);
    for (const [id, copy] of fromSnapshots) out.set(id, stateOf(copy));
    const rest = missing.filter((id) => !fromSnapshots.has(id));
    if (rest.length > 0) for (const [id, copy] of await this.read(rest, false)) out.set(id, stateOf(copy));
    return out;
  }

  async claim(claims: ReadonlyArray<{ key: string; ticketId: string }>, now: Date, leaseMs: number): Promise<Map<string, ClaimOutcome>> {
    const out = new Map<string, ClaimOutcome>();
    const dups = await insertIgnoringDuplicates(
      this.models.SlaNotification,
      claims.map((c) => ({ _id: c.key, ticketId: c.ticketId, state: 'sending', at: now, owner: this.owner })),
    );
    claims.forEach((c, i) => {
      if (!dups.has(i)) out.set(c.key, { status: 'claimed' });
    });
    const taken = claims.filter((_, i) => dups.has(i));
    await mapLimit(taken, 16, async (c) => out.set(c.key, await this.claimTaken(c.key, c.ticketId, now, leaseMs)));
    return out;
  }

  /** The key was claimed before: sent, still being sent, or left by a sender that died (then taken over, by one caller). */
  private async claimTaken(key: string, ticketId: string, now: Date, leaseMs: number): Promise<ClaimOutcome> {
    const row = await this.models.SlaNotification.findById(key).lean();
    if (!row) {
      // Released in between: try once more.
      const dup = await insertIgnoringDuplicates(this.models.SlaNotification, [{ _id: key, ticketId, state: 'sending', at: now, owner: this.owner }]);
      return dup.size === 0 ? { status: 'claimed' } : { status: 'busy', leaseEndsAt: new Date(now.getTime() + leaseMs) };
    }
    if (row.state === 'sent') return { status: 'sent' };
    let leaseEndsAt = row.at.getTime() + leaseMs;
    if (row.owner && row.owner !== this.owner) {
      if (localLiveness(row.owner) === 'dead') {
        // Its process is gone from this machine (a restart after a crash): no need to wait for its heartbeat to go stale.
        leaseEndsAt = now.getTime();
      } else {
        // A worker that stopped beating (killed) does not hold its claims for the whole lease.
        const beat = await this.models.SlaWorker.findById(row.owner).lean();
        if (beat) leaseEndsAt = Math.min(leaseEndsAt, Math.max(row.at.getTime(), beat.at.getTime()) + OWNER_STALE_MS);
      }
    }
    if (leaseEndsAt > now.getTime()) return { status: 'busy', leaseEndsAt: new Date(leaseEndsAt) };
    if ((await readAudit(this.models, ticketId)).some((r) => r.key === key)) {
      this.copies.changed(ticketId);
      return { status: 'sent' };
    }
    // Expired and never confirmed: its sender died mid-send. One taker per claim generation:
    // the marker's unique _id decides (an insert is atomic on FerretDB too; its updates are not).
    const won = await insertIgnoringDuplicates(this.models.SlaNotification, [{ _id: `${key}~${row.at.getTime()}`, ticketId, state: 'takeover', at: now }]);
    if (won.size > 0) return { status: 'busy', leaseEndsAt: new Date(now.getTime() + leaseMs) };
    await this.models.SlaNotification.updateOne({ _id: key }, { $set: { at: now, owner: this.owner } });
    return { status: 'claimed' };
  }

  async confirm(deliveries: readonly SlaDelivery[]): Promise<void> {
    // Numbers follow the ticket's rows as loaded; a writer that took a number since makes us re-read and retry.
    const next = new Map<string, number>();
    for (const d of deliveries) if (!next.has(d.ticketId)) next.set(d.ticketId, d.auditCount);
    let pending = [...deliveries];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        const tickets = [...new Set(pending.map((d) => d.ticketId))];
        await mapLimit(tickets, 16, async (id) => next.set(id, (await readAudit(this.models, id)).length));
      }
      const docs = pending.map((d) => {
        const n = next.get(d.ticketId) as number;
        next.set(d.ticketId, n + 1);
        const { at, action, actor, from, to, note } = d.entry;
        return { _id: auditId(d.ticketId, n), ticketId: d.ticketId, key: d.key, pos: d.position, entry: { at, action, actor: { ...actor }, from, to, note } };
      });
      const dups = await insertIgnoringDuplicates(this.models.SlaAudit, docs);
      docs.forEach((doc, i) => {
        if (dups.has(i)) return;
        // Keep the read-ahead copy in step (only when it is exactly the rows before this one).
        const copy = this.copies.get(doc.ticketId);
        if (copy && copy.rows.length === Number(doc._id.slice(doc._id.lastIndexOf('#') + 1))) copy.rows.push(doc as unknown as SlaAuditRecord);
        else if (copy) this.copies.changed(doc.ticketId);
      });
      if (dups.size > 0) for (const d of pending.filter((_, i) => dups.has(i))) this.copies.changed(d.ticketId);
      pending = pending.filter((_, i) => dups.has(i));
      if (attempt >= 10 && pending.length > 0) throw new Error(`could not record ${pending.length} SLA audit entries`);
    }
  }

  async release(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.models.SlaNotification.deleteOne({ _id: key, state: 'sending' });
  }
}
