import { DateTime } from 'luxon';
import type { SlaConfig } from '../domain/sla/policy';
import { ticketSlaStatus } from '../domain/sla/ticket-sla';
import { dayOf } from '../domain/ticket/search-words';
import { OPEN_STATUSES, type Ticket } from '../domain/ticket/ticket';
import { mapLimit } from '../core/map-limit';
import type { ConsoleTickets, ReportRow } from './console-tickets.port';

export const DIMENSIONS = ['team', 'agent', 'category', 'priority', 'channel'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A date range in the desk's time zone: `from` and `to` (YYYY-MM-DD) both included. */
export interface ReportRange {
  from: string;
  to: string;
}

export interface Timing {
  /** Minutes (wall clock), nearest-rank percentiles; null without data. */
  p50: number | null;
  p90: number | null;
  n: number;
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
}

export interface Report {
  range: ReportRange;
  zone: string;
  totals: Figures & { backlogNow: number };
  days: Array<{ date: string; created: number; resolved: number; backlog: number }>;
  by: Record<Dimension, Array<{ key: string } & Figures>>;
}

const MAX_RANGE_DAYS = 366;

/**
 * The reports page's figures for a date range. The database selects (one
 * equality lookup per day on `createdDay` / `resolvedDay`, projected to the
 * report's fields) and counts (the backlog and the days after the range,
 * `$group` by team); percentiles and SLA compliance, which FerretDB's
 * aggregation cannot compute, are worked out here from the range's rows only.
 */
export class ReportService {
  constructor(
    private readonly deps: {
      tickets: ConsoleTickets;
      sla: SlaConfig;
      timeZone: string;
      now: () => Date;
    },
  ) {}

  async report(teams: readonly string[] | 'all', range: ReportRange): Promise<Report> {
    const zone = this.deps.timeZone;
    const now = this.deps.now();
    const start = DateTime.fromISO(range.from, { zone }).startOf('day');
    let end = DateTime.fromISO(range.to, { zone }).plus({ days: 1 }).startOf('day');
    if (end.diff(start, 'days').days > MAX_RANGE_DAYS) end = start.plus({ days: MAX_RANGE_DAYS });
    const [from, to] = [start.toJSDate(), end.toJSDate()];
    const inScope = (r: { team: string }) => teams === 'all' || teams.includes(r.team);
    const days: number[] = [];
    for (let d = dayOf(from); d <= dayOf(new Date(to.getTime() - 1)); d++) days.push(d);
    const [createdRead, resolvedRead] = await Promise.all(
      (['createdDay', 'resolvedDay'] as const).map(async (field) =>
        (await mapLimit(days, 4, (d) => this.deps.tickets.reportRows(field, d))).flat().filter(inScope),
      ),
    );
    const within = (at: Date | undefined) => !!at && at.getTime() >= from.getTime() && at.getTime() < to.getTime();
    const created = createdRead!.filter((r) => within(r.createdAt));
    const resolved = resolvedRead!.filter((r) => within(r.resolvedAt));

    // The backlog: open now (counted by the database), walked back through the days.
    const openCounts = await Promise.all(OPEN_STATUSES.map((s) => this.deps.tickets.countByTeam('status', s)));
    const sum = (counts: Record<string, number>) => Object.entries(counts).reduce((n, [team, c]) => n + (inScope({ team }) ? c : 0), 0);
    const backlogNow = openCounts.reduce((n, c) => n + sum(c), 0);
    const laterDays: number[] = [];
    for (let d = days[days.length - 1]! + 1; d <= dayOf(now); d++) laterDays.push(d);
    const [laterCreated, laterResolved] = await Promise.all(
      (['createdDay', 'resolvedDay'] as const).map(async (field) =>
        (await mapLimit(laterDays, 4, (d) => this.deps.tickets.countByTeam(field, d))).reduce((n, c) => n + sum(c), 0),
      ),
    );
    const afterEnd = {
      created: laterCreated! + createdRead!.filter((r) => r.createdAt.getTime() >= to.getTime()).length,
      resolved: laterResolved! + resolvedRead!.filter((r) => !!r.resolvedAt && r.resolvedAt.getTime() >= to.getTime()).length,
    };
    const series: Report['days'] = [];
    let backlog = backlogNow - afterEnd.created + afterEnd.resolved;
    const dateOf = (at: Date) => DateTime.fromJSDate(at, { zone }).toISODate()!;
    for (let day = end.minus({ days: 1 }); day >= start; day = day.minus({ days: 1 })) {
      const date = day.toISODate()!;
      const c = created.filter((r) => dateOf(r.createdAt) === date).length;
      const r = resolved.filter((x) => dateOf(x.resolvedAt!) === date).length;
      series.unshift({ date, created: c, resolved: r, backlog: Math.max(0, backlog) });
      backlog = backlog - c + r;
    }

    // Each ticket's SLA state once (business-hours arithmetic is the costly part), shared by every breakdown.
    const breached = new Map<string, boolean | undefined>();
    for (const r of [...created, ...resolved]) {
      if (breached.has(r.id)) continue;
      const s = ticketSlaStatus(r as Ticket, now, this.deps.sla, 'en');
      breached.set(r.id, s ? s.firstResponse.breached || s.resolution.breached : undefined);
    }
    const figures = (c: ReportRow[], r: ReportRow[]) => this.figures(c, r, breached);
    const by = Object.fromEntries(
      DIMENSIONS.map((dim) => {
        const keys = [...new Set([...created, ...resolved].map((x) => keyOf(x, dim)))].sort();
        return [
          dim,
          keys.map((key) => ({
            key,
            ...figures(
              created.filter((x) => keyOf(x, dim) === key),
              resolved.filter((x) => keyOf(x, dim) === key),
            ),
          })),
        ];
      }),
    ) as Report['by'];
    return { range, zone, totals: { ...figures(created, resolved), backlogNow }, days: series, by };
  }

  /** `breached`: per ticket id, whether a target was breached (undefined: no SLA). */
  private figures(created: ReportRow[], resolved: ReportRow[], breached: ReadonlyMap<string, boolean | undefined>): Figures {
    const minutes = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000;
    const measured = resolved.filter((r) => breached.get(r.id) !== undefined);
    const slaMeasured = measured.length;
    const slaMet = measured.filter((r) => breached.get(r.id) === false).length;
    const breaches = created.filter((r) => breached.get(r.id) === true).length;
    return {
      created: created.length,
      resolved: resolved.length,
      firstResponse: timing(created.filter((r) => r.firstResponseAt).map((r) => minutes(r.createdAt, r.firstResponseAt!))),
      resolution: timing(resolved.map((r) => minutes(r.createdAt, r.resolvedAt!))),
      slaMet,
      slaMeasured,
      slaCompliance: slaMeasured ? Math.round((1000 * slaMet) / slaMeasured) / 10 : null,
      breaches,
      escalated: created.filter((r) => r.escalationLevel > 0).length,
    };
  }
}

function keyOf(r: ReportRow, dim: Dimension): string {
  switch (dim) {
    case 'team':
      return r.team;
    case 'agent':
      return r.assignee ? `${r.assignee.name ?? r.assignee.id} (${r.assignee.platform})` : 'unassigned';
    case 'category':
      return r.category;
    case 'priority':
      return r.priority;
    case 'channel':
      return r.requester?.platform ?? 'unknown';
  }
}

/** Nearest-rank percentiles, in minutes rounded to one decimal. */
export function timing(values: number[]): Timing {
  if (values.length === 0) return { p50: null, p90: null, n: 0 };
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(10 * v[Math.max(0, Math.ceil((p / 100) * v.length) - 1)]!) / 10;
  return { p50: at(50), p90: at(90), n: v.length };
}
