/**
 * What one ticket adds to the per-day summary the reports read (daily_stats).
 *
 * Pure: a ticket's whole contribution is worked out from its current state
 * (and the SLA policy), so counting is "replace this ticket's last counted
 * contribution by its new one" (see src/store/daily-stats.ts), never "add an
 * event": a save seen twice, or out of order, changes nothing.
 *
 * A summary document is one desk-zone day of one team (`<YYYY-MM-DD>|<team>`).
 * Its figures are counters under `f.<section>.<counter>`, where a section is
 * `all` (the team's figures) or `<dimension>~<key>` (agent, category,
 * priority, channel). Counters:
 * - `c` created, `e` escalated, `bd` breached among tickets no longer open
 *   (keyed by the day a ticket was created);
 * - `r` resolved, `sq`/`sm` SLA measured/met (by the day it was resolved);
 * - `fn.<b>`/`fs.<b>` first-response times, `rn.<b>`/`rs.<b>` resolution
 *   times: how many fell in bucket b and the sum of their minutes;
 * - `q.<1-5>` CSAT ratings (by the day of the rating);
 * - `rc` recategorised by an agent, `df` solved at intake by a knowledge
 *   answer (deflected), by the day a ticket was created.
 * A section `classified~<category>` counts, by the category the classifier
 * gave (before any agent moved it), `c` tickets and `rc` those an agent moved:
 * the classifier's quality per category.
 * A requester's comment on a rating is text, not a counter: it is kept beside
 * the summary (see commentRowOf), one per ticket, and listed by its day.
 * Open tickets' breaches are not counted here: they change with the clock,
 * not with a write, and the report reads the open backlog for them.
 */
import { DateTime } from 'luxon';
import type { SlaConfig } from '../domain/sla/policy';
import { ticketSlaStatus } from '../domain/sla/ticket-sla';
import { OPEN_STATUSES, type Ticket } from '../domain/ticket/ticket';
import { csatOf } from '../domain/ticket/transitions';
import type { ReportComment, ReportRow } from './console-tickets.port';

export const REPORT_DIMENSIONS = ['agent', 'category', 'priority', 'channel'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** `<summary document id>\t<counter path>` → amount. */
export type Contribution = Map<string, number>;

const SEP = '\t';
/** Minutes below this have one bucket each; above, 16 buckets per doubling (each ≤ 4.4% wide). */
const LINEAR_MINUTES = 60;
const PER_DOUBLING = 16;

/** The histogram bucket of a duration in minutes. */
export function bucketOf(minutes: number): number {
  const m = Math.max(0, minutes);
  if (m < LINEAR_MINUTES) return Math.floor(m);
  return LINEAR_MINUTES + Math.floor(PER_DOUBLING * Math.log2(m / LINEAR_MINUTES));
}

/** A dimension's key as a field name (no dots or leading `$`), and back. */
export const encodeKey = (k: string): string => k.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\$/g, '%24');
export const decodeKey = (k: string): string => k.replace(/%2E/g, '.').replace(/%24/g, '$').replace(/%25/g, '%');

export const summaryId = (date: string, team: string): string => `${date}|${team}`;
export const splitKey = (key: string): [string, string] => {
  const i = key.indexOf(SEP);
  return [key.slice(0, i), key.slice(i + 1)];
};

/** The report's key of a ticket in a dimension (the agent's name as the ticket holds it). */
export function dimensionKey(t: Pick<Ticket, 'assignee' | 'category' | 'priority' | 'requester'>, dim: ReportDimension | 'team', team = ''): string {
  switch (dim) {
    case 'team':
      return team;
    case 'agent':
      return t.assignee ? `${t.assignee.name ?? t.assignee.id} (${t.assignee.platform})` : 'unassigned';
    case 'category':
      return t.category;
    case 'priority':
      return t.priority;
    case 'channel':
      return t.requester?.platform ?? 'unknown';
  }
}

const isOpen = (t: Pick<Ticket, 'status'>) => (OPEN_STATUSES as readonly string[]).includes(t.status);

/** The ticket's SLA breach as the report counts it: undefined without an SLA clock. */
export function slaBreached(t: Ticket, now: Date, sla: SlaConfig): boolean | undefined {
  const s = ticketSlaStatus(t, now, sla, 'en');
  return s ? s.firstResponse.breached || s.resolution.breached : undefined;
}

/** Everything `ticket` adds to the summary, with days in `zone`. */
export function contributionOf(ticket: Ticket, zone: string, sla: SlaConfig): Contribution {
  const out: Contribution = new Map();
  const sections = ['all', ...REPORT_DIMENSIONS.map((d) => `${d}~${encodeKey(dimensionKey(ticket, d))}`)];
  const dateOf = (at: Date) => DateTime.fromJSDate(at, { zone }).toISODate()!;
  const add = (at: Date, counter: string, n = 1) => {
    const doc = summaryId(dateOf(at), ticket.team);
    for (const s of sections) {
      const key = `${doc}${SEP}f.${s}.${counter}`;
      out.set(key, (out.get(key) ?? 0) + n);
    }
  };
  const minutes = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 60_000;
  const open = isOpen(ticket);
  // A ticket no longer open keeps its SLA outcome (judged when it was resolved or closed); an open one is judged by the report at read time.
  const breached = open ? undefined : slaBreached(ticket, ticket.closedAt ?? ticket.resolvedAt ?? ticket.updatedAt, sla);
  add(ticket.createdAt, 'c');
  if (ticket.escalationLevel > 0) add(ticket.createdAt, 'e');
  if (breached === true) add(ticket.createdAt, 'bd');
  if (ticket.firstResponseAt) {
    const m = minutes(ticket.createdAt, ticket.firstResponseAt);
    add(ticket.createdAt, `fn.${bucketOf(m)}`);
    add(ticket.createdAt, `fs.${bucketOf(m)}`, m);
  }
  if (ticket.resolvedAt) {
    const m = minutes(ticket.createdAt, ticket.resolvedAt);
    add(ticket.resolvedAt, 'r');
    add(ticket.resolvedAt, `rn.${bucketOf(m)}`);
    add(ticket.resolvedAt, `rs.${bucketOf(m)}`, m);
    if (breached !== undefined) {
      add(ticket.resolvedAt, 'sq');
      if (!breached) add(ticket.resolvedAt, 'sm');
    }
  }
  if (ticket.activity.some((a) => a.action === 'deflected')) add(ticket.createdAt, 'df');
  const moved = ticket.activity.some((a) => a.action === 'recategorized' && a.actor.platform !== 'system');
  if (moved) add(ticket.createdAt, 'rc');
  const classifiedAs = ticket.activity.find((a) => a.action === 'recategorized')?.from ?? ticket.category;
  const classified = `${summaryId(dateOf(ticket.createdAt), ticket.team)}${SEP}f.classified~${encodeKey(classifiedAs)}`;
  out.set(`${classified}.c`, 1);
  if (moved) out.set(`${classified}.rc`, 1);
  const score = csatOf(ticket);
  const rated = ticket.activity.findLast((a) => a.action === 'rated');
  if (score !== undefined && rated) add(rated.at, `q.${score}`);
  return out;
}

/** The requester's comment on their rating as the reports list it (its day in `zone`); null without one. */
export function commentRowOf(t: Ticket, zone: string): ReportComment | null {
  const entry = t.activity.findLast((a) => a.action === 'csat_commented');
  if (!entry?.note) return null;
  const day = DateTime.fromJSDate(entry.at, { zone }).toISODate()!;
  return { id: t.id, key: t.key, team: t.team, day, at: entry.at, score: Number(entry.to ?? csatOf(t) ?? 0), text: entry.note };
}

/** What the report reads of an open ticket (its SLA now); null once it is resolved or closed. */
export function openRowOf(t: Ticket): ReportRow | null {
  if (!isOpen(t)) return null;
  const row: ReportRow = {
    id: t.id,
    key: t.key,
    type: t.type,
    team: t.team,
    category: t.category,
    priority: t.priority,
    status: t.status,
    requester: t.requester,
    createdAt: t.createdAt,
    escalationLevel: t.escalationLevel,
    ...(t.assignee ? { assignee: t.assignee } : {}),
    ...(t.firstResponseAt ? { firstResponseAt: t.firstResponseAt } : {}),
    ...(t.resolvedAt ? { resolvedAt: t.resolvedAt } : {}),
    ...(t.sla ? { sla: t.sla } : {}),
  };
  return row;
}

/** `next - prev`, zero entries dropped. */
export function contributionDiff(prev: ReadonlyMap<string, number>, next: ReadonlyMap<string, number>): Contribution {
  const diff: Contribution = new Map();
  for (const [k, v] of next) {
    const d = v - (prev.get(k) ?? 0);
    if (d !== 0) diff.set(k, d);
  }
  for (const [k, v] of prev) if (!next.has(k) && v !== 0) diff.set(k, -v);
  return diff;
}
