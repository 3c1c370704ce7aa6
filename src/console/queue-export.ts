import type { SlaConfig } from '../domain/sla/policy';
import type { Ticket } from '../domain/ticket/ticket';
import { slaStateOf } from './queue-service';

/** Most tickets one export carries (the filtered queue, first rows in its order). */
export const EXPORT_MAX = 10_000;
const COLUMNS = [
  'key',
  'title',
  'status',
  'priority',
  'team',
  'category',
  'requester',
  'assignee',
  'tags',
  'sla',
  'createdAt',
  'firstResponseAt',
  'resolvedAt',
] as const;

const iso = (d: Date | undefined | null) => (d ? d.toISOString() : '');
const person = (u: { platform: string; id: string; name?: string } | undefined | null) => (u ? `${u.name ?? u.id} (${u.platform}:${u.id})` : '');

function record(t: Ticket, now: Date, sla: SlaConfig): Record<(typeof COLUMNS)[number], string> {
  return {
    key: t.key,
    title: t.title,
    status: t.status,
    priority: t.priority,
    team: t.team,
    category: t.category,
    requester: person(t.requester),
    assignee: person(t.assignee),
    tags: t.tags.join(' '),
    sla: slaStateOf(t, now, sla),
    createdAt: iso(t.createdAt),
    firstResponseAt: iso(t.firstResponseAt),
    resolvedAt: iso(t.resolvedAt),
  };
}

/**
 * A CSV cell: quoted, quotes doubled; a cell a spreadsheet would run as a
 * formula (= + - @, tab, CR) gets a leading apostrophe.
 */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** UTF-8 with a byte order mark, CRLF lines: Excel opens Chinese text right. */
export function ticketsCsv(tickets: readonly Ticket[], now: Date, sla: SlaConfig): string {
  const lines = [COLUMNS.join(','), ...tickets.map((t) => COLUMNS.map((c) => csvCell(record(t, now, sla)[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function ticketsJson(tickets: readonly Ticket[], now: Date, sla: SlaConfig): string {
  return `${JSON.stringify({ tickets: tickets.map((t) => record(t, now, sla)) }, null, 1)}`;
}
