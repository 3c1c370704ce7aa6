import type { Priority } from '../ai/classifier.port';
import type { Ticket, TicketStatus } from '../domain/ticket/ticket';

export const SORTS = ['-createdAt', 'createdAt', '-updatedAt', 'updatedAt'] as const;
export type TicketSort = (typeof SORTS)[number];

/** Filters of GET /api/v1/tickets, as the store applies them (every one optional, all must hold). */
export interface TicketSearchQuery {
  status?: TicketStatus[];
  priority?: Priority[];
  team?: string;
  category?: string;
  tag?: string;
  /** `{platform, id}`, or null for unassigned tickets. */
  assignee?: { platform: string; id: string } | null;
  requester?: { platform: string; id: string };
  createdAfter?: Date;
  createdBefore?: Date;
  updatedAfter?: Date;
  updatedBefore?: Date;
  sort: TicketSort;
  limit: number;
  /** Keyset position: tickets strictly after this (sort value, ticket number; the created order is the number order). */
  after?: { at: Date; number: number };
  /** The desk's first ticket number (where a walk through the history ends). */
  firstNumber: number;
  /** What the store cannot index, checked on each candidate: who may see it, its SLA state, search words. */
  where?: (ticket: Ticket) => boolean;
}

export interface TicketSearchPage {
  tickets: Ticket[];
  /** Where the next page starts; absent at the end. A page may be short (even empty) and still have a next one. */
  next?: { at: Date; number: number };
}

export interface TicketSearch {
  /** At most `limit` tickets in order, and where the next page starts. */
  search(q: TicketSearchQuery): Promise<TicketSearchPage>;
  /** The ticket an inbound request opened (an API request's Idempotency-Key is in it). */
  findByIntakeId(intakeId: string): Promise<Ticket | null>;
}
