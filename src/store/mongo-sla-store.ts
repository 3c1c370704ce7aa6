import type { ClaimOutcome, SlaNotificationLog, SlaOutcome, SlaProgress, SlaTicketState, SlaTimer } from '../domain/sla/sla-log.port';
import type { ActivityEntry } from '../domain/ticket/ticket';
import { mapLimit } from '../core/map-limit';
import { slaSlotOf, toTicket } from './ticket.mapper';
import type { StoreModels, TicketRecord } from './ticket.model';
import { localLiveness, newWorkerName } from './worker-identity';
import { foldSideAudit } from './sla-audit';
import type { TicketVersionGuard } from './ticket-version-guard';
import { setStartMark } from './start-marks';
import { insertIgnoringDuplicates } from './insert-ignoring-duplicates';

const SLOTS_MARK = 'sla:slots:v2';
/**
 * A worker whose last beat is older than this is taken for dead: its claims are
 * taken over. Generous, because under load a heartbeat write can wait seconds
 * behind other writes. It stops sending by itself well before (OWNER_STALE_MS - SELF_MARGIN_MS
 * after its last recorded beat), so a stalled worker that wakes up cannot send a
 * claim someone else took over. A worker that ran on this machine and whose process
 * is gone (worker-identity.ts) is taken for dead at once.
 */
export const OWNER_STALE_MS = 20_000;
const SELF_MARGIN_MS = 8_000;

/** The row that marks a key as sent, written right after sending (before its ticket is). */
const sentMark = (key: string) => `${key}#sent`;

/** An audit entry as stored in the ticket's activity (no undefined fields). */
function activityRecord(e: ActivityEntry): Record<string, unknown> {
  const out: Record<string, unknown> = { at: e.at, action: e.action, actor: { ...e.actor } };
  for (const f of ['from', 'to', 'note'] as const) if (e[f] !== undefined) out[f] = e[f];
  return out;
}

const stateOf = (r: TicketRecord): SlaTicketState => ({ ticket: toTicket(r), sent: new Set(r.slaSent ?? []) });
const timerOf = (r: TicketRecord, state?: SlaTicketState): SlaTimer => ({
  id: `${r._id}:v${r.version}`,
  ticketId: r._id,
  at: r.slaNextAt as Date,
  ...(state ? { state } : {}),
});

/**
 * SLA wake-ups, exactly-once claims and the SLA audit on MongoDB / FerretDB.
 * A ticket's next wake-up is its own `slaNextAt` (and `slaSlot`, the second it is
 * read in), written by every save and by the worker; a claim is a unique
 * `sla_notifications` row inserted before sending; the proof of sending is a
 * `${key}#sent` row inserted right after, then the ticket's activity entry and its
 * key in `slaSent`, written with the next wake-up in one update.
 */
export class MongoSlaNotificationLog implements SlaNotificationLog {
  /** This worker's instance id, in its claims and its heartbeat. */
  readonly owner = newWorkerName();
  /** `at` of the last beat known to be stored (real ms), once beating. */
  private lastBeat: number | undefined;

  constructor(
    private readonly models: StoreModels,
    /** On FerretDB (see ticket-version-guard.ts). */
    private readonly versionGuard?: TicketVersionGuard,
  ) {}

  async heartbeat(now: Date, progress?: SlaProgress): Promise<void> {
    await this.models.SlaWorker.updateOne({ _id: this.owner }, { $set: { at: now, ...(progress ? { progress } : {}) } }, { upsert: true });
    this.lastBeat = Math.max(this.lastBeat ?? 0, now.getTime());
  }

  async lastHeartbeat(): Promise<{ at: Date; progress?: SlaProgress } | undefined> {
    const row = await this.models.SlaWorker.findOne({}, { at: 1, progress: 1 }).sort({ at: -1 }).lean();
    return row ? { at: row.at, ...(row.progress ? { progress: row.progress } : {}) } : undefined;
  }

  maySend(): boolean {
    return this.lastBeat === undefined || Date.now() - this.lastBeat < OWNER_STALE_MS - SELF_MARGIN_MS;
  }

  async prepare(): Promise<void> {
    await this.models.SlaWorker.deleteMany({ at: { $lt: new Date(Date.now() - 86_400_000) } });
    await foldSideAudit(this.models);
    if (await this.models.Counter.findById(SLOTS_MARK).lean()) return;
    // Tickets written before `slaSlot` / `slaLive` existed get them from their `slaNextAt` (once).
    const rows = await this.models.Ticket.find({ slaNextAt: { $ne: null } }, { _id: 1, slaNextAt: 1, slaSlot: 1, slaLive: 1 }).lean();
    const now = new Date();
    await mapLimit(
      rows.filter((r) => r.slaSlot == null || r.slaLive !== true),
      8,
      (r) => this.models.Ticket.updateOne({ _id: r._id }, { $set: { slaSlot: r.slaSlot ?? slaSlotOf(r.slaNextAt as Date, now), slaLive: true } }),
    );
    await setStartMark(this.models, SLOTS_MARK, 1);
  }

  async dueTimers(until: Date, limit: number): Promise<SlaTimer[]> {
    const last = Math.floor(until.getTime() / 1000);
    const rows = await this.models.Ticket.find({ slaLive: true }, { _id: 1, slaNextAt: 1, slaSlot: 1, version: 1 }).lean();
    return rows
      .filter((r) => r.slaNextAt && r.slaSlot != null && r.slaSlot <= last)
      .map((r) => timerOf(r as TicketRecord))
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .slice(0, limit);
  }

  /** One `slaSlot` lookup per second of the span, each returning that second's tickets. */
  async timersBetween(from: Date, until: Date): Promise<SlaTimer[]> {
    const slots: number[] = [];
    for (let s = Math.floor(from.getTime() / 1000); s <= Math.floor(until.getTime() / 1000); s++) slots.push(s);
    const rows = (await mapLimit(slots, 4, (slaSlot) => this.models.Ticket.find({ slaSlot }).lean())).flat();
    return rows.filter((r) => r.slaNextAt).map((r) => timerOf(r, stateOf(r)));
  }

  /** Each ticket by `_id` (an index lookup on PostgreSQL and MongoDB), 16 at a time. */
  async load(ticketIds: readonly string[]): Promise<Map<string, SlaTicketState>> {
    const out = new Map<string, SlaTicketState>();
    await mapLimit([...new Set(ticketIds)], 16, async (id) => {
      const record = await this.models.Ticket.findById(id).lean();
      if (record) out.set(id, stateOf(record));
    });
    return out;
  }
  async claim(claims: ReadonlyArray<{ key: string; ticketId: string }>, now: Date, leaseMs: number): Promise<Map<string, ClaimOutcome>> {
    const out = new Map<string, ClaimOutcome>();
    const dups = await insertIgnoringDuplicates(
      this.models.SlaNotification.collection,
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
      const dup = await insertIgnoringDuplicates(this.models.SlaNotification.collection, [
        { _id: key, ticketId, state: 'sending', at: now, owner: this.owner },
      ]);
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
    const ticket = await this.models.Ticket.findById(ticketId, { slaSent: 1 }).lean();
    if (ticket?.slaSent?.includes(key)) return { status: 'sent' };
    // Marked as sent by a sender that died before writing the ticket: sent, and its entry still to record.
    const marked = await this.models.SlaNotification.findById(sentMark(key)).lean();
    if (marked?.entry) return { status: 'sent', entry: { ...(marked.entry as ActivityEntry), at: new Date(marked.entry.at) } };
    // Expired and never confirmed: its sender died mid-send. One taker per claim generation:
    // the marker's unique _id decides (an insert is atomic on FerretDB too; its updates are not).
    const won = await insertIgnoringDuplicates(this.models.SlaNotification.collection, [
      { _id: `${key}~${row.at.getTime()}`, ticketId, state: 'takeover', at: now },
    ]);
    if (won.size > 0) return { status: 'busy', leaseEndsAt: new Date(now.getTime() + leaseMs) };
    await this.models.SlaNotification.updateOne({ _id: key }, { $set: { at: now, owner: this.owner } });
    return { status: 'claimed' };
  }

  /**
   * One update per ticket, based on the version planned from: its audit entries
   * appended to its activity, their keys to `slaSent` (the proof of sending), the next
   * wake-up, and the version raised (so a save based on the version before is refused
   * and retried from the stored ticket instead of overwriting the entries). When the
   * ticket changed meanwhile, only the entries are added: its newer wake-up stays.
   */
  async record(outcomes: readonly SlaOutcome[], now: Date): Promise<void> {
    // First the marks (one insert for the batch): a crash after this sends nothing twice.
    const delivered = outcomes.flatMap((o) => o.delivered);
    await insertIgnoringDuplicates(
      this.models.SlaNotification.collection,
      delivered.map((d) => ({ _id: sentMark(d.key), ticketId: d.ticketId, state: 'sent', at: now, entry: activityRecord(d.entry) })),
    );
    // One update per ticket, 16 at a time. (As one bulk write of the batch it took ~40 ms instead of 300-550, but
    // FerretDB 1.24 then stopped answering within seconds whenever the worker also read the coming seconds.)
    await mapLimit(outcomes, 16, (o) => this.recordOne(o, now));
  }

  /** Based on the version planned from; when the ticket moved on meanwhile, only the entries, onto the version stored. */
  private async recordOne(o: SlaOutcome, now: Date): Promise<void> {
    const sent =
      o.delivered.length > 0
        ? { $push: { activity: { $each: o.delivered.map((d) => activityRecord(d.entry)) } }, $addToSet: { slaSent: { $each: o.delivered.map((d) => d.key) } } }
        : {};
    const current = async () => (await this.models.Ticket.findById(o.ticketId, { version: 1 }).lean())?.version;
    let version = o.version;
    for (let attempt = 0; attempt < 5; attempt++) {
      const update =
        attempt === 0
          ? { ...sent, $set: { slaNextAt: o.nextAt ?? null, slaSlot: slaSlotOf(o.nextAt, now), slaLive: o.nextAt ? true : null }, $inc: { version: 1 } }
          : { ...sent, $inc: { version: 1 } };
      // On FerretDB a conditional update is not atomic across processes: the version is taken first, as a save does.
      const mine = !this.versionGuard || (await this.versionGuard.take(o.ticketId, version + 1, new Date(), current));
      if (mine && (await this.models.Ticket.collection.updateOne({ _id: o.ticketId as never, version }, update as never)).matchedCount > 0) return;
      if (o.delivered.length === 0) return;
      const stored = await this.models.Ticket.findById(o.ticketId, { version: 1, slaSent: 1 }).lean();
      if (!stored || stored.slaSent?.includes(o.delivered[0]?.key as string)) return;
      if (stored.version === version) await new Promise((r) => setTimeout(r, 50));
      version = stored.version;
    }
    throw new Error(`the SLA entries of ticket ${o.ticketId} could not be recorded (it kept changing)`);
  }

  async release(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.models.SlaNotification.deleteOne({ _id: key, state: 'sending' });
  }
}
