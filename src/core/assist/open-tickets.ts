import { type DuplicateMatch, findDuplicates, similarityText, type TicketLike } from '../../ai/knowledge/duplicates';
import { SimilarityIndex } from '../../ai/knowledge/similarity-index';
import { OPEN_STATUSES, type Ticket } from '../../domain/ticket/ticket';
import type { TicketChange, TicketRepository } from '../../domain/ticket/ticket.repository.port';

export { OPEN_STATUSES };
/** Open tickets kept searchable for duplicate detection (the newest, at load). */
export const OPEN_INDEX_LIMIT = 5000;

/** new, in progress or waiting on the requester. */
export const isOpen = (t: Pick<Ticket, 'status'>): boolean => (OPEN_STATUSES as readonly string[]).includes(t.status);

/**
 * The open tickets a new one may duplicate: an in-memory similarity index
 * loaded at start, kept current by this process's own changes and by the
 * changes of other processes (IndexFollower).
 */
export class OpenTickets {
  private readonly index = new SimilarityIndex<TicketLike>();

  constructor(private readonly tickets: TicketRepository) {}

  async load(): Promise<number> {
    const open = await this.tickets.list({ status: [...OPEN_STATUSES], limit: OPEN_INDEX_LIMIT });
    for (const t of open) this.track(t);
    return open.length;
  }

  /** Follows a ticket's change: open tickets are searchable, resolved and closed ones are not. */
  track(ticket: Ticket | TicketChange): void {
    const present = this.index.has(ticket.id);
    if (isOpen(ticket) && !present)
      this.index.add(ticket.id, similarityText(ticket), { id: ticket.id, key: ticket.key, title: ticket.title, description: ticket.description });
    else if (!isOpen(ticket) && present) this.index.remove(ticket.id);
  }

  /** The best open ticket the new one may duplicate (never itself, never one of the requester's own that is already linked). */
  duplicatesOf(ticket: Ticket): DuplicateMatch[] {
    return findDuplicates(ticket, this.index, { k: 1, excludeId: ticket.id });
  }
}
