import { nextCursor, PollLoop } from '../../core/poll-loop';
import type { Logger } from '../../logger';
import type { PlaygroundLog, PlaygroundMessage } from './playground-log.port';

/** Other replicas' posts and edits are looked for this often while a page is open here. */
export const FEED_INTERVAL_MS = 1000;
/** Each look goes back this far behind the last one: writers' clocks and in-flight writes differ by less. */
const OVERLAP_MS = 3000;
/** What was pushed is remembered this long (past the overlap), so a re-read is not pushed twice. */
const REMEMBER_MS = 60_000;
const PAGE = 500;

export type FeedEvent = { type: 'message' | 'message_updated'; message: PlaygroundMessage };

/**
 * Pushes to this process's open pages what other processes stored: every
 * FEED_INTERVAL_MS, while a page is connected, it reads the messages posted or
 * edited since its last look (by the second of the change, by equality) and
 * hands on those it has not pushed yet in that version. This process's own
 * writes are pushed at once and noted with `seen`.
 */
export class PlaygroundFeed extends PollLoop {
  private cursor: Date;
  /** Message id → the change (ms) last pushed for it. */
  private readonly pushed = new Map<string, number>();

  constructor(
    private readonly deps: {
      log: Pick<PlaygroundLog, 'changedSince'>;
      emit: (event: FeedEvent) => void;
      /** Whether a page is connected: with none, nothing is read (the page reads its snapshot when it connects). */
      watched: () => boolean;
      logger: Logger;
      now?: () => Date;
      intervalMs?: number;
    },
  ) {
    super({
      intervalMs: deps.intervalMs ?? FEED_INTERVAL_MS,
      onError: (err: unknown) => deps.logger.warn({ err }, "following other replicas' playground messages failed; trying again"),
    });
    this.cursor = this.now();
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** This process stored (and pushed) this change itself. */
  seen(id: string, changedAt: Date): void {
    this.pushed.set(id, Math.max(changedAt.getTime(), this.pushed.get(id) ?? 0));
  }

  protected async look(): Promise<number> {
    const now = this.now();
    if (!this.deps.watched()) {
      this.cursor = now;
      return 0;
    }
    let pushed = 0;
    for (let page = 0; page < 20; page++) {
      const rows = await this.deps.log.changedSince(new Date(this.cursor.getTime() - OVERLAP_MS), now, PAGE);
      for (const { message, changedAt } of rows) {
        const before = this.pushed.get(message.id);
        if (before !== undefined && before >= changedAt.getTime()) continue;
        this.pushed.set(message.id, changedAt.getTime());
        this.deps.emit({ type: before === undefined && !message.updatedAt ? 'message' : 'message_updated', message });
        pushed++;
      }
      const full = rows.length === PAGE;
      this.cursor = nextCursor(
        this.cursor,
        rows.map((r) => r.changedAt),
        full,
        now,
        OVERLAP_MS,
      );
      if (!full) break;
    }
    const forgetBefore = now.getTime() - REMEMBER_MS;
    for (const [id, at] of this.pushed) if (at < forgetBefore) this.pushed.delete(id);
    return pushed;
  }
}
