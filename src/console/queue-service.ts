import { DateTime } from 'luxon';
import type { SlaConfig } from '../domain/sla/policy';
import { ticketSlaStatus } from '../domain/sla/ticket-sla';
import { dayOf, monthOf } from '../domain/ticket/search-words';
import { OPEN_STATUSES, type Ticket, type UserRef } from '../domain/ticket/ticket';
import { mapLimit } from '../core/map-limit';
import type { ConsoleTickets, EqualityFilter } from './console-tickets.port';
import { PAGE_SIZE, type QueueQuery, type SlaState } from './queue-query';

/** Who is looking: every team, some teams, or (a requester) only their own tickets. */
export type QueueScope = { kind: 'all' } | { kind: 'teams'; teams: string[] } | { kind: 'own'; user: UserRef };

/** A lookup reads at most this many tickets (a backlog, a person's tickets, a day, a word). */
const LOOKUP_LIMIT = 5000;
/** A requester's own tickets are read in one lookup up to this many; beyond, their history is walked. */
const OWN_LIMIT = 1000;
/** A queue over all history walks back day by day, up to 8 days at a time, at most this far. */
const MAX_DAYS_BACK = 3 * 366;
const DAYS_AT_ONCE = 8;
/** With search words, the newest days walked one by one before whole months. */
const WORD_DAYS = 14;
const DUE_SOON_MS = 4 * 60 * 60 * 1000;
const DAY_MS = 86_400_000;
const PRIORITY_RANK: Record<string, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };

export interface QueuePage {
  tickets: Ticket[];
  /** Known when every matching ticket was read (open views, a person's tickets, a search). */
  total?: number;
  more: boolean;
  /** The sort used (history views sort by creation only). */
  sort: QueueQuery['sort'];
}

export function slaStateOf(ticket: Ticket, now: Date, sla: SlaConfig): SlaState {
  const status = ticketSlaStatus(ticket, now, sla, 'en');
  if (!status) return 'none';
  const targets = [status.firstResponse, status.resolution];
  if (targets.some((x) => x.breached)) return 'breached';
  if (targets.some((x) => x.phase === 'running' && x.dueAt && x.dueAt.getTime() - now.getTime() <= DUE_SOON_MS)) return 'due_soon';
  return 'on_track';
}

/**
 * The console's queue, kept fast however long the history grows: every read
 * is an equality lookup on an indexed field (see console-tickets.ts), search
 * words included (the longest one; the others are checked here). Three plans:
 * - open statuses only (the default view): one lookup per status, so the cost
 *   follows the backlog, not the history;
 * - a requester's own tickets: one lookup on the requester (one who opened
 *   more than OWN_LIMIT, an integration say, is walked as below);
 * - any other status: the creation days walked back from the newest, a day per
 *   lookup (with search words, months after the newest two weeks), until the page is full, so the cost
 *   follows the page, not the history (a filter that matches little walks
 *   further, at most to the first ticket).
 */
export class QueueService {
  constructor(
    private readonly deps: {
      tickets: ConsoleTickets;
      sla: SlaConfig;
      timeZone: string;
      /** The desk's first ticket number: no ticket was created before its day. */
      firstNumber: number;
      now: () => Date;
    },
  ) {}
  private firstDay?: number;

  async page(scope: QueueScope, q: QueueQuery, me: UserRef, pageSize = PAGE_SIZE): Promise<QueuePage> {
    return this.read(scope, q, me, q.page * pageSize, pageSize);
  }

  /** Every matching ticket up to `max` (the export), in the queue's order. */
  async all(scope: QueueScope, q: QueueQuery, me: UserRef, max: number): Promise<QueuePage> {
    return this.read(scope, { ...q, page: 1 }, me, max, max);
  }

  private async read(scope: QueueScope, q: QueueQuery, me: UserRef, upTo: number, pageSize: number): Promise<QueuePage> {
    const now = this.deps.now();
    const base = this.equalities(scope, q, me);
    if (base === null) return { tickets: [], total: 0, more: false, sort: q.sort };
    const keep = this.matcher(scope, q, me, now);
    const openOnly = q.status.length > 0 && q.status.every((s) => (OPEN_STATUSES as readonly string[]).includes(s));
    const word: EqualityFilter = q.words.length > 0 ? { words: longest(q.words) } : {};
    if (openOnly || scope.kind === 'own') {
      // Open statuses: one lookup each, bounded by the backlog. A requester's tickets: one lookup, bounded by OWN_LIMIT.
      const filters: EqualityFilter[] = openOnly ? q.status.map((status) => ({ ...base, ...word, status })) : [{ ...base, ...word }];
      const limit = openOnly ? LOOKUP_LIMIT : OWN_LIMIT;
      const rows = await mapLimit(filters, 4, (f) => this.deps.tickets.find(f, limit));
      // A requester with more tickets than that (an integration, a monitoring bot) is walked like the history.
      if (openOnly || rows[0]!.length < limit) {
        const sorted = sortTickets(dedupe(rows.flat()).filter(keep), q.sort);
        const start = upTo - pageSize;
        return { tickets: sorted.slice(start, upTo), total: sorted.length, more: sorted.length > upTo, sort: q.sort };
      }
    }
    // History: walk the creation days, newest (or oldest) first, within the created range.
    this.firstDay ??= await this.deps.tickets.createdDayOf(this.deps.firstNumber);
    const [fromDay, toDay] = this.dayRange(q, now, this.firstDay);
    const buckets = historyBuckets(fromDay, toDay, q.words.length > 0);
    if (q.sort === 'oldest') buckets.reverse();
    const sort = q.sort === 'oldest' ? 'oldest' : 'newest';
    const status: EqualityFilter = q.status.length === 1 ? { status: q.status[0]! } : {};
    const found: Ticket[] = [];
    // One bucket first, then twice as many each time the page is still not full (at most DAYS_AT_ONCE).
    for (let i = 0, n = 1; i < buckets.length && found.length <= upTo; i += n, n = Math.min(DAYS_AT_ONCE, n * 2)) {
      const batch = buckets.slice(i, i + n);
      const rows = await mapLimit(batch, 4, async (b) =>
        (await this.deps.tickets.find({ ...base, ...word, ...b.filter, ...status }, LOOKUP_LIMIT)).filter(b.only),
      );
      found.push(...sortTickets(rows.flat().filter(keep), sort));
    }
    const start = upTo - pageSize;
    return { tickets: found.slice(start, upTo), more: found.length > upTo, sort };
  }

  /** The equalities the database applies; null when the scope allows nothing (a team outside it). */
  private equalities(scope: QueueScope, q: QueueQuery, me: UserRef): EqualityFilter | null {
    const f: EqualityFilter = {};
    if (scope.kind === 'own') f.requesterKey = `${scope.user.platform}:${scope.user.id}`;
    if (q.team) {
      if (scope.kind === 'teams' && !scope.teams.includes(q.team)) return null;
      f.team = q.team;
    } else if (scope.kind === 'teams' && scope.teams.length === 1) f.team = scope.teams[0]!;
    if (q.category) f.category = q.category;
    if (q.tag) f.tags = q.tag.toLowerCase();
    if (q.priority.length === 1) f.priority = q.priority[0]!;
    const who = q.assignee === 'me' ? me : q.assignee && q.assignee !== 'none' ? parsePerson(q.assignee) : undefined;
    if (who) f.assigneeKey = `${who.platform}:${who.id}`;
    return f;
  }

  /** What the database was not asked: scope over several teams, lists, words, SLA state, the created and updated ranges. */
  private matcher(scope: QueueScope, q: QueueQuery, me: UserRef, now: Date): (t: Ticket) => boolean {
    const [from, to] = this.range(q.createdFrom, q.createdTo);
    const [changedFrom, changedTo] = this.range(q.updatedFrom, q.updatedTo);
    const assignee = q.assignee === 'me' ? me : q.assignee && q.assignee !== 'none' ? parsePerson(q.assignee) : undefined;
    return (t) =>
      (scope.kind !== 'teams' || scope.teams.includes(t.team)) &&
      (q.status.length === 0 || q.status.includes(t.status)) &&
      (q.priority.length === 0 || q.priority.includes(t.priority)) &&
      (q.assignee !== 'none' || !t.assignee) &&
      (!assignee || (t.assignee?.platform === assignee.platform && t.assignee.id === assignee.id)) &&
      (!q.tag || t.tags.includes(q.tag.toLowerCase())) &&
      (!from || t.createdAt.getTime() >= from.getTime()) &&
      (!to || t.createdAt.getTime() < to.getTime()) &&
      (!changedFrom || t.updatedAt.getTime() >= changedFrom.getTime()) &&
      (!changedTo || t.updatedAt.getTime() < changedTo.getTime()) &&
      (q.words.length === 0 || hasWords(t, q.words)) &&
      (!q.sla || slaStateOf(t, now, this.deps.sla) === q.sla);
  }

  /** Days `fromDay`..`toDay` (desk zone) as [start, end): either end open when not given. */
  private range(fromDay: string | undefined, toDay: string | undefined): [Date | undefined, Date | undefined] {
    const zone = this.deps.timeZone;
    const from = fromDay ? DateTime.fromISO(fromDay, { zone }).startOf('day').toJSDate() : undefined;
    const to = toDay ? DateTime.fromISO(toDay, { zone }).plus({ days: 1 }).startOf('day').toJSDate() : undefined;
    return [from, to];
  }

  /** The creation days a history walk reads: the created range, and no later than the updated range's end (a ticket is created before it changes). */
  private dayRange(q: QueueQuery, now: Date, firstDay = -Infinity): [number, number] {
    const [from, createdTo] = this.range(q.createdFrom, q.createdTo);
    const changedTo = this.range(undefined, q.updatedTo)[1];
    const ends = [createdTo, changedTo].filter((d): d is Date => !!d).map((d) => d.getTime());
    const to = ends.length > 0 ? new Date(Math.min(...ends)) : undefined;
    const toDay = dayOf(to ? new Date(Math.min(to.getTime() - 1, now.getTime() + 86_400_000)) : new Date(now.getTime() + 86_400_000));
    const fromDay = Math.max(from ? dayOf(from) : -Infinity, firstDay, toDay - MAX_DAYS_BACK);
    return [fromDay, toDay];
  }
}

interface Bucket {
  filter: EqualityFilter;
  /** The bucket's tickets the walk keeps (a month after its newest days were read one by one). */
  only: (t: Ticket) => boolean;
}

/**
 * The lookups of a history walk, newest first: one per creation day; with
 * search words, one per day for the newest WORD_DAYS (a common word fills a
 * page from a few days, as a plain walk does), then one per month (a rare
 * word would otherwise cost a lookup per day of the history: 33 months
 * instead of 1,000 days at 100k tickets).
 */
function historyBuckets(fromDay: number, toDay: number, words: boolean): Bucket[] {
  const all = () => true;
  const lastDay = words ? Math.max(fromDay, toDay - WORD_DAYS + 1) : fromDay;
  const out: Bucket[] = [];
  for (let d = toDay; d >= lastDay; d--) out.push({ filter: { createdDay: d }, only: all });
  if (lastDay > fromDay) {
    const before = (t: Ticket) => dayOf(t.createdAt) < lastDay;
    for (let m = monthOf(new Date((lastDay - 1) * DAY_MS)); m >= monthOf(new Date(fromDay * DAY_MS)); m--)
      out.push({ filter: { createdMonth: m }, only: before });
  }
  return out;
}

function parsePerson(v: string): UserRef | undefined {
  const i = v.indexOf(':');
  return i > 0 ? ({ platform: v.slice(0, i), id: v.slice(i + 1) } as UserRef) : undefined;
}

function longest(words: string[]): string {
  return [...words].sort((a, b) => b.length - a.length)[0]!;
}

function hasWords(t: Ticket, words: string[]): boolean {
  const text = `${t.key} ${t.title} ${t.description} ${t.tags.join(' ')}`.toLowerCase().normalize('NFKC');
  return words.every((w) => text.includes(w));
}

function dedupe(tickets: Ticket[]): Ticket[] {
  const seen = new Map<string, Ticket>();
  for (const t of tickets) seen.set(t.id, t);
  return [...seen.values()];
}

function sortTickets(tickets: Ticket[], sort: QueueQuery['sort']): Ticket[] {
  const by: Record<QueueQuery['sort'], (a: Ticket, b: Ticket) => number> = {
    newest: (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.number - a.number,
    oldest: (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.number - b.number,
    priority: (a, b) => (PRIORITY_RANK[a.priority] ?? 9) - (PRIORITY_RANK[b.priority] ?? 9) || b.number - a.number,
    updated: (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b.number - a.number,
  };
  return [...tickets].sort(by[sort]);
}
