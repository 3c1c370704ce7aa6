import type { TicketSearch, TicketSearchQuery } from '../api/ticket-search.port';
import type { Ticket } from '../domain/ticket/ticket';
import { toTicket } from './ticket.mapper';
import type { StoreModels } from './ticket.model';

/**
 * The REST API's ticket list: filters, sorting on created/updated time with the
 * ticket number as tie-break, and keyset pagination (no skip: a page deep in a
 * large desk costs what the first one does). Indexes in ticket.model.ts.
 */
export class MongoTicketSearch implements TicketSearch {
  constructor(private readonly models: StoreModels) {}

  async search(q: TicketSearchQuery): Promise<{ tickets: Ticket[]; more: boolean }> {
    const filter: Record<string, unknown> = {};
    if (q.status?.length) filter.status = q.status.length === 1 ? q.status[0] : { $in: q.status };
    if (q.priority?.length) filter.priority = q.priority.length === 1 ? q.priority[0] : { $in: q.priority };
    if (q.team) filter.team = String(q.team);
    if (q.category) filter.category = String(q.category);
    if (q.tag) filter.tags = String(q.tag);
    if (q.assignee === null) filter.assignee = null;
    else if (q.assignee) Object.assign(filter, { 'assignee.platform': String(q.assignee.platform), 'assignee.id': String(q.assignee.id) });
    if (q.requester) Object.assign(filter, { 'requester.platform': String(q.requester.platform), 'requester.id': String(q.requester.id) });
    const range = (from?: Date, to?: Date) => ({ ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) });
    if (q.createdAfter || q.createdBefore) filter.createdAt = range(q.createdAfter, q.createdBefore);
    if (q.updatedAfter || q.updatedBefore) filter.updatedAt = range(q.updatedAfter, q.updatedBefore);
    const field = q.sort.replace('-', '') as 'createdAt' | 'updatedAt';
    const dir = q.sort.startsWith('-') ? -1 : 1;
    const and: Array<Record<string, unknown>> = [filter];
    if (q.after) {
      const cmp = dir === -1 ? '$lt' : '$gt';
      and.push({ $or: [{ [field]: { [cmp]: q.after.at } }, { [field]: q.after.at, number: { [cmp]: q.after.number } }] });
    }
    const rows = await this.models.Ticket.find(and.length === 1 ? filter : { $and: and })
      .sort({ [field]: dir, number: dir })
      .limit(q.limit + 1)
      .lean();
    const page = rows.slice(0, q.limit);
    return { tickets: page.map((r) => toTicket(r)), more: rows.length > q.limit };
  }

  async findByIntakeId(intakeId: string): Promise<Ticket | null> {
    const r = await this.models.Ticket.findOne({ intakeId: String(intakeId) }).lean();
    return r ? toTicket(r) : null;
  }
}
