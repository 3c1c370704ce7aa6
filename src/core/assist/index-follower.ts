import type { KnowledgeStore } from '../../ai/knowledge/knowledge-store.port';
import type { TicketRepository } from '../../domain/ticket/ticket.repository.port';
import type { Logger } from '../../logger';
import type { KnowledgeBase } from './knowledge-base';
import type { OpenTickets } from './open-tickets';

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
 * overlap only costs a re-read. FerretDB has no change streams; a poll works
 * on both databases.
 */
export class IndexFollower {
  private cursor: Date;
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;

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
    this.cursor = since;
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One look now (tests, and each tick). Returns how many changes it followed. */
  async catchUp(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      let followed = 0;
      const now = (this.deps.now ?? (() => new Date()))();
      for (let page = 0; page < 20; page++) {
        const from = new Date(this.cursor.getTime() - OVERLAP_MS);
        const [tickets, entries] = await Promise.all([this.deps.tickets.changedSince(from, PAGE), this.deps.knowledgeStore.changedSince(from, PAGE)]);
        for (const t of tickets) this.deps.open.track(t);
        for (const e of entries) this.deps.knowledge.follow(e);
        followed += tickets.length + entries.length;
        const newest = Math.max(this.cursor.getTime(), ...tickets.map((t) => t.updatedAt.getTime()), ...entries.map((e) => e.updatedAt.getTime()));
        const full = tickets.length === PAGE || entries.length === PAGE;
        // A full page moves the cursor past the overlap, so a burst of changes is read through, not re-read forever.
        // Otherwise everything up to this look's start was read: the next look starts from there (less the overlap), however quiet the desk.
        this.cursor = new Date(full ? newest + OVERLAP_MS : Math.max(newest, now.getTime()));
        if (!full) break;
      }
      return followed;
    } finally {
      this.running = false;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.catchUp()
        .catch((err: unknown) => this.deps.logger.warn({ err }, "following other processes' ticket and knowledge changes failed; trying again"))
        .finally(() => this.schedule());
    }, this.deps.intervalMs ?? FOLLOW_INTERVAL_MS);
    this.timer.unref();
  }
}
