import type { Ticket } from '../domain/ticket/ticket';
import type { Contribution } from './report-contribution';

/** A filter the store hands to the database whole: equalities on indexed fields only (see queue-service.ts). */
export type EqualityFilter = Record<string, string | number>;

/** What a report reads of an open ticket (its SLA now, its keys in each breakdown): kept beside the summary. */
export type ReportRow = Pick<
  Ticket,
  | 'id'
  | 'key'
  | 'type'
  | 'team'
  | 'category'
  | 'priority'
  | 'status'
  | 'requester'
  | 'assignee'
  | 'createdAt'
  | 'firstResponseAt'
  | 'resolvedAt'
  | 'sla'
  | 'escalationLevel'
>;

/** The console's reads of the tickets collection, each one an equality lookup the embedded database pushes down. */
export interface ConsoleTickets {
  /** Tickets matching every equality, in no order, at most `limit`. */
  find(filter: EqualityFilter, limit: number): Promise<Ticket[]>;
  /** The UTC day ticket number `number` was created on (the first ticket bounds how far back a queue walks). */
  createdDayOf(number: number): Promise<number | undefined>;
}

/** One desk-zone day of one team in the reports' summary (see report-contribution.ts for its counters). */
export interface DailySummary {
  day: string;
  team: string;
  f: Record<string, Record<string, number | Record<string, number>>>;
}

/** A requester's comment on their rating as the reports list it (one per ticket; `day`: the desk-zone day it was given). */
/** One ticket change to count in the reports' summary (src/store/daily-stats.ts countMany). */
export interface TicketCount {
  ticketId: string;
  version: number;
  /** Its whole contribution (src/console/report-contribution.ts). */
  next: Contribution;
  open: ReportRow | null;
  /** The requester's comment on their rating, once there is one. */
  comment?: ReportComment | null;
  /** Never counted before, as far as this process knows (its first version seen was 1): its ledger is not read. */
  fresh?: boolean;
}

export interface ReportComment {
  /** The ticket's id. */
  id: string;
  key: string;
  team: string;
  day: string;
  at: Date;
  score: number;
  text: string;
}

/**
 * The reports' per-day summary: one equality lookup a day; the open tickets' report fields (the
 * backlog, no history); and the comments on ratings, newest first, a bounded lookup a day.
 */
export interface DailySummaryStore {
  day(date: string): Promise<DailySummary[]>;
  open(): Promise<ReportRow[]>;
  comments(date: string, teams: readonly string[] | 'all', limit: number): Promise<ReportComment[]>;
}
