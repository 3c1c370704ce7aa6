import { z } from 'zod';
import { PRIORITIES } from '../ai/classifier.port';
import type { SlaConfig } from '../domain/sla/policy';
import type { TargetStatus } from '../domain/sla/status';
import { ticketSlaStatus } from '../domain/sla/ticket-sla';
import { ACTOR_PLATFORMS, type ActivityEntry, TICKET_STATUSES, type Ticket } from '../domain/ticket/ticket';

/**
 * A ticket as the REST API answers it and webhooks carry it: plain JSON,
 * dates as ISO strings, no delivery internals (card references, the
 * assistant's record, the intake id). One zod schema validates the API's
 * responses and is the OpenAPI document's description of them.
 */
const iso = z.iso.datetime({ offset: true });
export const personView = z.object({ platform: z.enum([...ACTOR_PLATFORMS, 'system']), id: z.string(), name: z.string().optional() });

const targetView = z.object({
  phase: z.enum(['running', 'breached', 'paused', 'met', 'missed']),
  dueAt: iso.nullable(),
  breached: z.boolean(),
});

export const ticketViewSchema = z.object({
  id: z.string(),
  key: z.string().describe('Human key, e.g. T-1001; every route takes it (or the id).'),
  title: z.string(),
  description: z.string(),
  type: z.string(),
  fields: z.record(z.string(), z.union([z.string(), z.number()])),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(PRIORITIES),
  category: z.string(),
  team: z.string(),
  requester: personView,
  assignee: personView.nullable(),
  tags: z.array(z.string()),
  escalationLevel: z.number().int(),
  createdAt: iso,
  updatedAt: iso,
  firstResponseAt: iso.nullable(),
  resolvedAt: iso.nullable(),
  closedAt: iso.nullable(),
  sla: z.object({ paused: z.boolean(), firstResponse: targetView, resolution: targetView }).nullable(),
});
export type TicketView = z.infer<typeof ticketViewSchema>;

export const historyEntryView = z.object({
  at: iso,
  action: z.string(),
  actor: personView,
  from: z.string().optional(),
  to: z.string().optional(),
  note: z.string().optional(),
});
export type HistoryEntryView = z.infer<typeof historyEntryView>;

const date = (d: Date | undefined): string | null => (d ? new Date(d).toISOString() : null);
const person = (u: { platform: string; id: string; name?: string }) =>
  ({ platform: u.platform, id: u.id, ...(u.name ? { name: u.name } : {}) }) as TicketView['requester'];
const target = (s: TargetStatus) => ({ phase: s.phase, dueAt: date(s.dueAt ?? undefined), breached: s.breached });

export function toTicketView(ticket: Ticket, now: Date, sla: SlaConfig): TicketView {
  const status = ticketSlaStatus(ticket, now, sla, 'en');
  return {
    id: ticket.id,
    key: ticket.key,
    title: ticket.title,
    description: ticket.description,
    type: ticket.type,
    fields: { ...ticket.fields },
    status: ticket.status,
    priority: ticket.priority,
    category: ticket.category,
    team: ticket.team,
    requester: person(ticket.requester),
    assignee: ticket.assignee ? person(ticket.assignee) : null,
    tags: [...ticket.tags],
    escalationLevel: ticket.escalationLevel,
    createdAt: date(ticket.createdAt)!,
    updatedAt: date(ticket.updatedAt)!,
    firstResponseAt: date(ticket.firstResponseAt),
    resolvedAt: date(ticket.resolvedAt),
    closedAt: date(ticket.closedAt),
    sla: status ? { paused: status.paused, firstResponse: target(status.firstResponse), resolution: target(status.resolution) } : null,
  };
}

export function toHistoryView(entry: ActivityEntry): HistoryEntryView {
  return {
    at: new Date(entry.at).toISOString(),
    action: entry.action,
    actor: person(entry.actor),
    ...(entry.from !== undefined && entry.from !== null ? { from: String(entry.from) } : {}),
    ...(entry.to !== undefined && entry.to !== null ? { to: String(entry.to) } : {}),
    ...(entry.note !== undefined && entry.note !== null ? { note: entry.note } : {}),
  };
}
