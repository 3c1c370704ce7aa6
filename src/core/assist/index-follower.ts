import type { KnowledgeStore } from '../../ai/knowledge/knowledge-store.port';
import type { TicketRepository } from '../../domain/ticket/ticket.repository.port';
import type { Logger } from '../../logger';
import type { KnowledgeBase } from './knowledge-base';
import type { OpenTickets } from './open-tickets';
import { nextCursor, PollLoop } from '../poll-loop';

/** Changes are looked for this often: another replica's ticket or knowledge edit is followed within about this long. */
export const FOLLOW_INTERVAL_MS = 1500;
/** Each look goes back this far behind the newest change seen: writers' clocks and in-flight writes differ by less. */
const OVERLAP_MS = 3000;
const PAGE = 500;

/**
 * Keeps this process's similarity indexes (open tickets for duplicates,
 * knowledge for answers) in step with changes other processes store: every
 * FOLLOW_INTERVAL_MS it reads what changed since the newest change it saw (by
 * the second of `updatedAt`, by equality: see src/store/second-slots.ts) and re-tracks it. Re-tracking is idempotent, so the
 * overlap only costs a re-read.
 */
export class IndexFollower extends PollLoop {
  private cursor: Date;

  constructor(
    private readonly deps: {
      tickets: Pick<TicketRepository, 'changedSince'>;
      knowledgeStore: Pick<KnowledgeStore, 'changedSince'>;
      open: OpenTickets;
      knowledge: KnowledgeBase;
      logger: Logger;
      now?: () => Date;
      intervalMs?: number;
    },
    /** Changes from this time on are followed (the indexes were loaded just after it). */
    since: Date,
  ) {
    super({
      intervalMs: deps.intervalMs ?? FOLLOW_INTERVAL_MS,
      onError: (err: unknown) => deps.logger.warn({ err }, "following other processes' ticket and knowledge changes failed; trying again"),
    });
    this.cursor = since;
  }

  protected async look(): Promise<number> {
    let followed = 0;
    const now = (this.deps.now ?? (() => new Date()))();
    for (let page = 0; page < 20; page++) {
      const from = new Date(this.cursor.getTime() - OVERLAP_MS);
      const [tickets, entries] = await Promise.all([this.deps.tickets.changedSince(from, PAGE), this.deps.knowledgeStore.changedSince(from, PAGE)]);
      for (const t of tickets) this.deps.open.track(t);
      for (const e of entries) this.deps.knowledge.follow(e);
      followed += tickets.length + entries.length;
      const full = tickets.length === PAGE || entries.length === PAGE;
      this.cursor = nextCursor(
        this.cursor,
        [...tickets, ...entries].map((c) => c.updatedAt),
        full,
        now,
        OVERLAP_MS,
      );
      if (!full) break;
    }
    return followed;
  }
}
