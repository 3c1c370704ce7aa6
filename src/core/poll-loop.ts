/**
 * A follower of other processes' changes: `look` runs every `intervalMs`, one
 * look at a time (FerretDB has no change streams; a poll works on both
 * databases). A failed look is reported to `onError` and tried again on the next tick.
 */
export abstract class PollLoop {
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = true;

  constructor(private readonly opts: { intervalMs: number; onError: (err: unknown) => void }) {}

  /** One look: how many changes it followed. */
  protected abstract look(): Promise<number>;

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One look now (tests, and each tick): how many changes it followed; 0 when one is already under way. */
  async catchUp(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      return await this.look();
    } finally {
      this.running = false;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.catchUp()
        .catch(this.opts.onError)
        .finally(() => this.schedule());
    }, this.opts.intervalMs);
    this.timer.unref();
  }
}

/**
 * Where a follower's next look starts after one page of changes. A full page
 * moves past the overlap, so a burst of changes is read through, not re-read
 * forever; otherwise everything up to this look's start (`now`) was read, so
 * the next look starts from there (less the overlap), however quiet it is.
 */
export function nextCursor(cursor: Date, changedAt: readonly Date[], full: boolean, now: Date, overlapMs: number): Date {
  const newest = Math.max(cursor.getTime(), ...changedAt.map((d) => d.getTime()));
  return new Date(full ? newest + overlapMs : Math.max(newest, now.getTime()));
}
