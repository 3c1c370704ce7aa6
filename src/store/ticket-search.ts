import type { TicketSearch, TicketSearchPage, TicketSearchQuery } from '../api/ticket-search.port';
import { mapLimit } from '../core/map-limit';
import { OPEN_STATUSES, type Ticket } from '../domain/ticket/ticket';
import { HOUR_MS, hourOf, NUMBER_BLOCK, numberBlockOf, personKey } from './ticket-buckets';
import { toTicket } from './ticket.mapper';
import type { StoreModels, TicketRecord } from './ticket.model';
import { setStartMark } from './start-marks';

/** Bucket lookups one page may make; a page that used them up ends early with a cursor to go on from. */
export const READ_BUDGET = 64;
const PARALLEL = 4;

type Filter = Record<string, unknown>;
type Position = { at: Date; number: number };

const OPEN: ReadonlySet<string> = new Set(OPEN_STATUSES);

/**
 * The REST API's ticket list on a database that only indexes equality
 * (FerretDB 1.24, see ticket-buckets.ts): no range, no sort, no skip is sent to it.
 * - A selective filter (a requester, or open statuses only: sets that grow
 *   with a person's or the backlog's size, not the history's)
 *   is one equality lookup per value; its tickets are sorted here.
 * - Anything else walks buckets in the page's order, each one equality lookup
 *   (with the filter's single values): number blocks for the created sort
 *   (newest first = highest number first), update hours for the updated sort.
 *   A page stops when it is full, at the end of the tickets, or after
 *   READ_BUDGET lookups (with a cursor to go on from: a short page is not the end).
 * Ranges, several values of one field and `where` are checked here on each candidate.
 */
export class MongoTicketSearch implements TicketSearch {
  constructor(
    private readonly models: StoreModels,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async search(q: TicketSearchQuery): Promise<TicketSearchPage> {
    const eq = equalities(q);
    const order = comparator(q);
    const keep = (t: Ticket) => matches(q, t) && (!q.after || order(positionOf(q, t), q.after) > 0) && (!q.where || q.where(t));
    if (selective(q)) return this.selectiveSearch(q, eq, keep, order);
    return q.sort.endsWith('createdAt') ? this.walkBlocks(q, eq, keep) : this.walkHours(q, eq, keep);
  }

  async findByIntakeId(intakeId: string): Promise<Ticket | null> {
    const r = await this.models.Ticket.findOne({ intakeId: String(intakeId) }).lean();
    return r ? toTicket(r) : null;
  }

  private async find(filter: Filter): Promise<Ticket[]> {
    return (await this.models.Ticket.find(filter).lean<TicketRecord[]>()).map((r) => toTicket(r));
  }

  private async selectiveSearch(q: TicketSearchQuery, eq: Filter, keep: (t: Ticket) => boolean, order: (a: Position, b: Position) => number) {
    // Open statuses: one lookup each (several values are not an equality); with a requester, that lookup alone.
    const statuses = q.status && q.status.length > 1 && !q.requester ? q.status : [undefined];
    const found = (await mapLimit(statuses, PARALLEL, (s) => this.find(s ? { ...eq, status: s } : eq))).flat();
    const sorted = found.filter(keep).sort((a, b) => order(positionOf(q, a), positionOf(q, b)));
    return pageOf(q, sorted, 'end');
  }

  /** Created order: number blocks, highest first for -createdAt. */
  private async walkBlocks(q: TicketSearchQuery, eq: Filter, keep: (t: Ticket) => boolean): Promise<TicketSearchPage> {
    const desc = q.sort.startsWith('-');
    const counter = await this.models.Counter.findOne({ _id: 'ticket' }).lean();
    const first = numberBlockOf(q.firstNumber);
    // A collision takes the next number (mongo-ticket.repository.ts): a block beyond the counter is read too.
    const last = numberBlockOf(q.firstNumber - 1 + (counter?.seq ?? 0) + NUMBER_BLOCK);
    let from = desc ? last : first;
    if (q.after) from = numberBlockOf(desc ? q.after.number - 1 : q.after.number + 1);
    else if (desc && q.createdBefore) from = Math.min(from, (await this.firstBlock(first, last, (min) => min >= q.createdBefore!.getTime(), 'min')) - 1);
    else if (!desc && q.createdAfter) from = Math.max(from, await this.firstBlock(first, last, (max) => max >= q.createdAfter!.getTime(), 'max'));
    const step = desc ? -1 : 1;
    const past = (t: Ticket) =>
      desc ? !!q.createdAfter && t.createdAt.getTime() < q.createdAfter.getTime() : !!q.createdBefore && t.createdAt.getTime() >= q.createdBefore.getTime();
    return this.walk(
      q,
      from,
      step,
      desc ? first : last,
      (b) => this.find({ ...eq, numberBlock: b }),
      keep,
      past,
      (b) => (desc ? { at: new Date(0), number: b * NUMBER_BLOCK } : { at: new Date(0), number: (b + 1) * NUMBER_BLOCK - 1 }),
    );
  }

  /** Updated order: update hours, newest first for -updatedAt. */
  private async walkHours(q: TicketSearchQuery, eq: Filter, keep: (t: Ticket) => boolean): Promise<TicketSearchPage> {
    const desc = q.sort.startsWith('-');
    const newest = hourOf(this.now()) + 1; // a writer's clock a little ahead
    const oldest = await this.oldestHour(q.firstNumber);
    const top = Math.min(newest, q.updatedBefore ? hourOf(new Date(q.updatedBefore.getTime() - 1)) : newest);
    const bottom = Math.max(oldest, q.updatedAfter ? hourOf(q.updatedAfter) : oldest);
    let from = desc ? top : bottom;
    if (q.after) from = desc ? Math.min(top, hourOf(q.after.at)) : Math.max(bottom, hourOf(q.after.at));
    return this.walk(
      q,
      from,
      desc ? -1 : 1,
      desc ? bottom : top,
      (h) => this.find({ ...eq, updatedHour: h }),
      keep,
      () => false,
      (h) => (desc ? { at: new Date(h * HOUR_MS), number: -1 } : { at: new Date((h + 1) * HOUR_MS - 1), number: Number.MAX_SAFE_INTEGER }),
    );
  }

  /**
   * Reads buckets from `from` towards `end` (inclusive), PARALLEL at a time, keeping
   * `keep`'s tickets in the page's order, until the page is full, a ticket is `past`
   * the range asked, `end` is passed or the budget is spent (then `resume` of the
   * last bucket read is where the next page starts).
   */
  private async walk(
    q: TicketSearchQuery,
    from: number,
    step: 1 | -1,
    end: number,
    read: (bucket: number) => Promise<Ticket[]>,
    keep: (t: Ticket) => boolean,
    past: (t: Ticket) => boolean,
    resume: (bucket: number) => Position,
  ): Promise<TicketSearchPage> {
    const order = comparator(q);
    const out: Ticket[] = [];
    let bucket = from;
    let reads = 0;
    const beyond = (b: number) => (step === -1 ? b < end : b > end);
    while (!beyond(bucket) && reads < READ_BUDGET) {
      const batch: number[] = [];
      for (let b = bucket; !beyond(b) && batch.length < PARALLEL && reads + batch.length < READ_BUDGET; b += step) batch.push(b);
      const rows = await mapLimit(batch, PARALLEL, read);
      reads += batch.length;
      bucket = batch.at(-1)! + step;
      let ended = false;
      for (const tickets of rows) {
        if (tickets.some(past)) ended = true;
        out.push(...tickets.filter(keep).sort((a, b) => order(positionOf(q, a), positionOf(q, b))));
      }
      if (out.length > q.limit) return pageOf(q, out);
      if (ended) return pageOf(q, out, 'end');
    }
    return pageOf(q, out, beyond(bucket) ? 'end' : resume(bucket - step));
  }

  /** The first block in [lo, hi] whose min (or max) createdAt passes `test` (monotonic: numbers follow creation); hi + 1 when none. */
  private async firstBlock(lo: number, hi: number, test: (ms: number) => boolean, which: 'min' | 'max'): Promise<number> {
    let a = lo;
    let b = hi + 1;
    while (a < b) {
      const mid = Math.floor((a + b) / 2);
      const rows = await this.models.Ticket.find({ numberBlock: mid }, { createdAt: 1 }).lean();
      const times = rows.map((r) => r.createdAt.getTime());
      const ok = times.length > 0 && test(which === 'min' ? Math.min(...times) : Math.max(...times));
      if (ok) b = mid;
      else a = mid + 1;
    }
    return a;
  }

  /** The hour the desk's first ticket was opened in (nothing was updated before it). */
  private async oldestHour(firstNumber: number): Promise<number> {
    const rows = await this.models.Ticket.find({ numberBlock: numberBlockOf(firstNumber) }, { createdAt: 1 }).lean();
    return rows.length > 0 ? hourOf(new Date(Math.min(...rows.map((r) => r.createdAt.getTime())))) : hourOf(this.now());
  }
}

const BACKFILL_MARK = 'list-buckets-v1';

/**
 * Tickets stored before the list read buckets get them, once per database
 * (a marker in `counters` says it was done; a ticket written since has them from its save).
 */
export async function backfillListBuckets(models: StoreModels): Promise<number> {
  if (await models.Counter.findOne({ _id: BACKFILL_MARK }).lean()) return 0;
  let n = 0;
  let batch: Array<{ updateOne: { filter: Filter; update: Filter } }> = [];
  const flush = async () => {
    if (batch.length > 0) await models.Ticket.bulkWrite(batch as never, { ordered: false });
    n += batch.length;
    batch = [];
  };
  const fields = { number: 1, updatedAt: 1, requester: 1, assignee: 1, numberBlock: 1, updatedHour: 1, requesterKey: 1, assigneeKey: 1 };
  for await (const r of models.Ticket.find({}, fields).lean().cursor()) {
    const set = {
      numberBlock: numberBlockOf(r.number),
      updatedHour: hourOf(r.updatedAt),
      requesterKey: personKey(r.requester),
      assigneeKey: personKey(r.assignee),
    };
    if (Object.entries(set).every(([k, v]) => (r as unknown as Record<string, unknown>)[k] === v)) continue;
    batch.push({ updateOne: { filter: { _id: r._id }, update: { $set: set } } });
    if (batch.length >= 500) await flush();
  }
  await flush();
  await setStartMark(models, BACKFILL_MARK, n);
  return n;
}

/** The filter's single values, sent to the database as equalities. */
function equalities(q: TicketSearchQuery): Filter {
  const f: Filter = {};
  if (q.status?.length === 1) f.status = q.status[0];
  if (q.priority?.length === 1) f.priority = q.priority[0];
  if (q.team) f.team = String(q.team);
  if (q.category) f.category = String(q.category);
  if (q.tag) f.tags = String(q.tag);
  if (q.assignee) f.assigneeKey = personKey(q.assignee);
  if (q.requester) f.requesterKey = personKey(q.requester);
  return f;
}

/**
 * Sets bounded by a requester's or the backlog's size: read alone, not by
 * walking the history. (An assignee's or a tag's tickets grow with the
 * history, an agent's by thousands: those walk, with the filter pushed down.)
 */
function selective(q: TicketSearchQuery): boolean {
  return !!q.requester || (!!q.status?.length && q.status.every((s) => OPEN.has(s)));
}

/** Everything the database was not asked: several values of a field, unassigned, the ranges. */
function matches(q: TicketSearchQuery, t: Ticket): boolean {
  const within = (d: Date, from?: Date, to?: Date) => (!from || d.getTime() >= from.getTime()) && (!to || d.getTime() < to.getTime());
  return (
    (!q.status || q.status.includes(t.status)) &&
    (!q.priority || q.priority.includes(t.priority)) &&
    (q.assignee !== null || !t.assignee) &&
    within(t.createdAt, q.createdAfter, q.createdBefore) &&
    within(t.updatedAt, q.updatedAfter, q.updatedBefore)
  );
}

/** A ticket's place in the page's order: the created order is the number order. */
function positionOf(q: TicketSearchQuery, t: Ticket): Position {
  return { at: q.sort.endsWith('createdAt') ? new Date(0) : t.updatedAt, number: t.number };
}

/** Compares two positions in the page's order (< 0: `a` comes first). */
function comparator(q: TicketSearchQuery): (a: Position, b: Position) => number {
  const dir = q.sort.startsWith('-') ? -1 : 1;
  const created = q.sort.endsWith('createdAt');
  return (a, b) => dir * (created ? a.number - b.number : a.at.getTime() - b.at.getTime() || a.number - b.number);
}

/** The first `limit` tickets, and where the next page starts: after the last one, `resume`, or nowhere ('end'). */
function pageOf(q: TicketSearchQuery, sorted: Ticket[], resume?: Position | 'end'): TicketSearchPage {
  const tickets = sorted.slice(0, q.limit);
  const last = tickets.at(-1);
  if (sorted.length > q.limit && last) return { tickets, next: positionOf(q, last) };
  return { tickets, ...(resume && resume !== 'end' ? { next: resume } : {}) };
}
