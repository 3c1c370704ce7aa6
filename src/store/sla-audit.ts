import { mapLimit } from '../core/map-limit';
import type { ActivityEntry, Ticket } from '../domain/ticket/ticket';
import type { SlaAuditRecord } from './sla.model';
import type { StoreModels } from './ticket.model';

/** The SLA audit (`sla_audit`): reading a ticket's rows and merging them into its activity. */

export const auditId = (ticketId: string, n: number) => `${ticketId}#${n}`;

/** A ticket's SLA audit rows, in order: `_id` lookups `#0`, `#1` … until one is missing. */
export async function readAudit(models: StoreModels, ticketId: string): Promise<SlaAuditRecord[]> {
  const rows: SlaAuditRecord[] = [];
  for (;;) {
    const row = await models.SlaAudit.findById(auditId(ticketId, rows.length)).lean();
    if (!row) return rows;
    rows.push(row as SlaAuditRecord);
  }
}

/** The SLA audit rows of many tickets (one query), grouped by ticket and in order. */
export async function readAuditOfMany(models: StoreModels, ticketIds: readonly string[]): Promise<Map<string, SlaAuditRecord[]>> {
  const byTicket = new Map<string, SlaAuditRecord[]>();
  if (ticketIds.length === 0) return byTicket;
  if (ticketIds.length <= 16) {
    const rows = await mapLimit(ticketIds, 8, (id) => readAudit(models, id));
    ticketIds.forEach((id, i) => {
      if ((rows[i] as SlaAuditRecord[]).length > 0) byTicket.set(id, rows[i] as SlaAuditRecord[]);
    });
    return byTicket;
  }
  const rows = (await models.SlaAudit.find({ ticketId: { $in: [...ticketIds] } }).lean()) as SlaAuditRecord[];
  for (const r of rows) byTicket.set(r.ticketId, [...(byTicket.get(r.ticketId) ?? []), r]);
  const seq = (r: SlaAuditRecord) => Number(r._id.slice(r._id.lastIndexOf('#') + 1));
  for (const list of byTicket.values()) list.sort((a, b) => seq(a) - seq(b));
  return byTicket;
}

function toEntry(e: SlaAuditRecord['entry']): ActivityEntry {
  const entry: Record<string, unknown> = { at: new Date(e.at), action: e.action, actor: { platform: e.actor.platform, id: e.actor.id, ...(e.actor.name ? { name: e.actor.name } : {}) } };
  for (const f of ['from', 'to', 'note'] as const) if (e[f] !== undefined && e[f] !== null) entry[f] = e[f];
  return entry as unknown as ActivityEntry;
}

const signature = (a: ActivityEntry) => `${new Date(a.at).getTime()}|${a.action}|${a.to ?? ''}|${a.note ?? ''}`;

/**
 * The ticket with its SLA audit rows merged into its activity: each row goes after
 * the first `pos` entries of the stored ticket (what the ticket held when the ping
 * was sent). Rows already in the ticket's own activity (a full save of a merged
 * ticket copies them there) are not repeated.
 */
export function mergeAudit(ticket: Ticket, rows: readonly SlaAuditRecord[]): Ticket {
  if (rows.length === 0) return ticket;
  const own = new Set(ticket.activity.map(signature));
  const extra = rows.map((r) => ({ pos: r.pos ?? Infinity, entry: toEntry(r.entry) })).filter((r) => !own.has(signature(r.entry)));
  if (extra.length === 0) return ticket;
  const activity: ActivityEntry[] = [];
  let j = 0;
  for (let i = 0; i <= ticket.activity.length; i++) {
    while (j < extra.length && (extra[j] as { pos: number }).pos <= i) activity.push((extra[j++] as { entry: ActivityEntry }).entry);
    if (i < ticket.activity.length) activity.push(ticket.activity[i] as ActivityEntry);
  }
  while (j < extra.length) activity.push((extra[j++] as { entry: ActivityEntry }).entry);
  return { ...ticket, activity };
}
