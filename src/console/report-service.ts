import { DateTime } from 'luxon';
import type { SlaConfig } from '../domain/sla/policy';
import type { Ticket } from '../domain/ticket/ticket';
import { decodeKey, dimensionKey, encodeKey, REPORT_DIMENSIONS, slaBreached } from './report-contribution';
import type { DailySummary, DailySummaryStore, ReportComment } from './console-tickets.port';
import { mapLimit } from '../core/map-limit';

export const DIMENSIONS = ['team', ...REPORT_DIMENSIONS] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A date range in the desk's time zone: `from` and `to` (YYYY-MM-DD) both included. */
export interface ReportRange {
  from: string;
  to: string;
}

export interface Timing {
  /** Minutes (wall clock), nearest-rank percentiles over fixed buckets (see report-contribution.ts); null without data. */
  p50: number | null;
  p90: number | null;
  n: number;
}

export interface Csat {
  /** Ratings given in the range. */
  n: number;
  /** Mean score, two decimals; null without ratings. */
  average: number | null;
  /** How many ratings of 1, 2, 3, 4 and 5. */
  distribution: [number, number, number, number, number];
}

export interface Figures {
  created: number;
  resolved: number;
  firstResponse: Timing;
  resolution: Timing;
  /** Resolved tickets whose first-response and resolution targets were both met (business hours, per the SLA policy). */
  slaMet: number;
  slaMeasured: number;
  /** slaMet / slaMeasured in percent, one decimal; null when nothing was measured. */
  slaCompliance: number | null;
  /** Tickets created in the range whose SLA is breached (missed or overdue now). */
  breaches: number;
  escalated: number;
  /** Tickets an agent moved to another category than the classifier's. */
  recategorised: number;
  /** Tickets solved at intake by a knowledge answer (the requester pressed "this solved it"). */
  deflected: number;
  csat: Csat;
}

/** The classifier's quality: tickets by the category it gave them, and how many of those an agent moved. */
export interface ClassifierRow {
  key: string;
  classified: number;
  recategorised: number;
  /** recategorised / classified in percent, one decimal. */
  recategorisedPct: number;
}

export interface Report {
  /** The range reported (at most MAX_RANGE_DAYS from its start). */
  range: ReportRange;
  zone: string;
  totals: Figures & { backlogNow: number };
  days: Array<{ date: string; created: number; resolved: number; backlog: number }>;
  by: Record<Dimension, Array<{ key: string } & Figures>>;
  classifier: ClassifierRow[];
  /** The newest comments requesters added to their ratings in the range (at most RECENT_COMMENTS), newest first. */
  comments: Array<Omit<ReportComment, 'id' | 'day'>>;
  /** The summary was still being built from the stored tickets: the figures are incomplete. */
  building?: true;
}

export const MAX_RANGE_DAYS = 90;
/** How many comments on ratings a report lists. */
export const RECENT_COMMENTS = 20;
/** Counters of one section of the summary: plain counts, or histograms (bucket → amount). */
type Section = Record<string, number | Record<string, number>>;

/**
 * The reports page's figures for a date range, from the per-day summary
 * (daily_stats, one equality lookup per day of the range and per day after it
 * for the backlog) and the open tickets' report fields kept beside it (one
 * read of the backlog): the work follows the days and the backlog, not the history.
 */
export class ReportService {
  constructor(
    private readonly deps: {
      summary: DailySummaryStore;
      sla: SlaConfig;
      timeZone: string;
      now: () => Date;
      /** Resolves once this process's ticket changes are in the summary. */
      settled?: () => Promise<void>;
      /** Whether the summary is still being built from the tickets (the first start after an upgrade). */
      building?: () => boolean;
    },
  ) {}

  /** The CSAT of the ratings given in the last `days` days, today included (the summary alone: one lookup a day). */
  async csat(teams: readonly string[] | 'all', days: number): Promise<Csat> {
    await this.deps.settled?.();
    const today = DateTime.fromJSDate(this.deps.now(), { zone: this.deps.timeZone }).startOf('day');
    const dates = Array.from({ length: Math.min(days, MAX_RANGE_DAYS) }, (_, i) => today.minus({ days: i }).toISODate()!);
    const docs = (await mapLimit(dates, 4, (d) => this.deps.summary.day(d))).flat();
    const parts = docs.filter((x) => teams === 'all' || teams.includes(x.team)).flatMap((x) => (x.f.all ? [x.f.all] : []));
    return figures(parts, 0).csat;
  }

  async report(teams: readonly string[] | 'all', asked: ReportRange): Promise<Report> {
    await this.deps.settled?.();
    const zone = this.deps.timeZone;
    const now = this.deps.now();
    const start = DateTime.fromISO(asked.from, { zone }).startOf('day');
    let end = DateTime.fromISO(asked.to, { zone }).startOf('day');
    if (end.diff(start, 'days').days >= MAX_RANGE_DAYS) end = start.plus({ days: MAX_RANGE_DAYS - 1 });
    const range = { from: start.toISODate()!, to: end.toISODate()! };
    const inScope = (team: string) => teams === 'all' || teams.includes(team);
    const dates: string[] = [];
    for (let d = start; d <= end; d = d.plus({ days: 1 })) dates.push(d.toISODate()!);
    const today = DateTime.fromJSDate(now, { zone }).startOf('day');
    const later: string[] = [];
    for (let d = end.plus({ days: 1 }); d <= today; d = d.plus({ days: 1 })) later.push(d.toISODate()!);
    const read = (ds: string[]) => mapLimit(ds, 4, async (d) => (await this.deps.summary.day(d)).filter((x) => inScope(x.team)));
    const [inRange, after, open, comments] = await Promise.all([
      read(dates),
      read(later),
      this.deps.summary.open().then((rows) => rows.filter((r) => inScope(r.team))),
      this.recentComments(teams, dates),
    ]);

    // The backlog: open now, walked back through the days after the range and then the range's days.
    const count = (docs: DailySummary[], counter: 'c' | 'r') => docs.reduce((n, d) => n + num(d.f.all?.[counter]), 0);
    let backlog = open.length - after.reduce((n, docs) => n + count(docs, 'c'), 0) + after.reduce((n, docs) => n + count(docs, 'r'), 0);
    const days: Report['days'] = [];
    for (let i = dates.length - 1; i >= 0; i--) {
      const c = count(inRange[i]!, 'c');
      const r = count(inRange[i]!, 'r');
      days.unshift({ date: dates[i]!, created: c, resolved: r, backlog: Math.max(0, backlog) });
      backlog = backlog - c + r;
    }

    // Open tickets created in the range that are past a target now (the summary counts breaches once a ticket is done).
    const [from, to] = [start.toMillis(), end.plus({ days: 1 }).toMillis()];
    const openBreached = open.filter(
      (r) => r.createdAt.getTime() >= from && r.createdAt.getTime() < to && slaBreached(r as Ticket, now, this.deps.sla) === true,
    );
    const sections = new Map<string, Section[]>();
    // A section whose counters are all back to zero (a ticket moved to another agent, category …) is not shown.
    const push = (key: string, s: Section | undefined) => {
      if (s && !isEmpty(s)) sections.set(key, [...(sections.get(key) ?? []), s]);
    };
    for (const doc of inRange.flat()) {
      push('all', doc.f.all);
      push(`team~${encodeKey(doc.team)}`, doc.f.all);
      for (const [name, s] of Object.entries(doc.f)) if (name !== 'all') push(name, s);
    }
    const breachesOf = (key: string) =>
      openBreached.filter(
        (r) => key === 'all' || key === `team~${encodeKey(r.team)}` || REPORT_DIMENSIONS.some((d) => key === `${d}~${encodeKey(dimensionKey(r, d))}`),
      ).length;
    for (const r of openBreached) {
      for (const key of [`team~${encodeKey(r.team)}`, ...REPORT_DIMENSIONS.map((d) => `${d}~${encodeKey(dimensionKey(r, d))}`)])
        if (!sections.has(key)) sections.set(key, []);
    }
    const figuresOf = (key: string) => figures(sections.get(key) ?? [], breachesOf(key));
    const by = Object.fromEntries(
      DIMENSIONS.map((dim) => [
        dim,
        [...sections.keys()]
          .filter((k) => k.startsWith(`${dim}~`))
          .map((k) => decodeKey(k.slice(dim.length + 1)))
          .sort()
          .map((key) => ({ key, ...figuresOf(`${dim}~${encodeKey(key)}`) })),
      ]),
    ) as Report['by'];
    const classifier = [...sections.keys()]
      .filter((k) => k.startsWith('classified~'))
      .map((k) => {
        const parts = sections.get(k) ?? [];
        const classified = parts.reduce((n, x) => n + num(x.c), 0);
        const recategorised = parts.reduce((n, x) => n + num(x.rc), 0);
        return {
          key: decodeKey(k.slice('classified~'.length)),
          classified,
          recategorised,
          recategorisedPct: classified ? Math.round((1000 * recategorised) / classified) / 10 : 0,
        };
      })
      .filter((x) => x.classified > 0)
      .sort((a, b) => a.key.localeCompare(b.key));
    return {
      range,
      zone,
      totals: { ...figuresOf('all'), backlogNow: open.length },
      days,
      by,
      classifier,
      comments,
      ...(this.deps.building?.() ? { building: true as const } : {}),
    };
  }

  /** The range's newest comments on ratings: its days walked from the last, a few at a time, each lookup bounded, until there are enough. */
  private async recentComments(teams: readonly string[] | 'all', dates: readonly string[]): Promise<Report['comments']> {
    const found: ReportComment[] = [];
    const newestFirst = [...dates].reverse();
    for (let i = 0; i < newestFirst.length && found.length < RECENT_COMMENTS; i += 4) {
      const days = await mapLimit(newestFirst.slice(i, i + 4), 4, (d) => this.deps.summary.comments(d, teams, RECENT_COMMENTS - found.length));
      found.push(...days.flat());
    }
    return found.slice(0, RECENT_COMMENTS).map(({ key, team, at, score, text }) => ({ key, team, at, score, text }));
  }
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const isEmpty = (s: Section): boolean => Object.values(s).every((v) => (typeof v === 'number' ? Math.abs(v) < 1e-9 : isEmpty(v)));

function figures(parts: Section[], openBreaches: number): Figures {
  const sum = (counter: string) => parts.reduce((n, s) => n + num(s[counter]), 0);
  const hist = (counter: string) => {
    const h = new Map<number, number>();
    for (const s of parts)
      for (const [b, n] of Object.entries((s[counter] as Record<string, number> | undefined) ?? {})) h.set(Number(b), (h.get(Number(b)) ?? 0) + n);
    return h;
  };
  const slaMet = sum('sm');
  const slaMeasured = sum('sq');
  const q = hist('q');
  const distribution = [1, 2, 3, 4, 5].map((s) => Math.round(q.get(s) ?? 0)) as Csat['distribution'];
  const rated = distribution.reduce((a, b) => a + b, 0);
  return {
    created: sum('c'),
    resolved: sum('r'),
    firstResponse: timing(hist('fn'), hist('fs')),
    resolution: timing(hist('rn'), hist('rs')),
    slaMet,
    slaMeasured,
    slaCompliance: slaMeasured ? Math.round((1000 * slaMet) / slaMeasured) / 10 : null,
    breaches: sum('bd') + openBreaches,
    escalated: sum('e'),
    recategorised: sum('rc'),
    deflected: sum('df'),
    csat: {
      n: rated,
      average: rated ? Math.round((100 * distribution.reduce((a, n, i) => a + n * (i + 1), 0)) / rated) / 100 : null,
      distribution,
    },
  };
}

/**
 * Nearest-rank p50/p90 from a histogram (bucket → count, bucket → sum of minutes): the bucket
 * holding the rank, given as the mean of the times in it (exact when they are equal), one decimal.
 */
export function timing(counts: ReadonlyMap<number, number>, sums: ReadonlyMap<number, number>): Timing {
  const buckets = [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const n = buckets.reduce((a, [, c]) => a + c, 0);
  if (n === 0) return { p50: null, p90: null, n: 0 };
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil((p / 100) * n));
    let seen = 0;
    for (const [b, c] of buckets) {
      seen += c;
      if (seen >= rank) return Math.round((10 * (sums.get(b) ?? 0)) / c) / 10;
    }
    return null;
  };
  return { p50: at(50), p90: at(90), n };
}
