/**
 * When to retrain: debounced (a burst of recategorisations gives one
 * training, `debounceMs` after the last one, but never later than `maxWaitMs`
 * after the first), one training at a time (a request during a training gives
 * exactly one more training after it), nothing after stop().
 */
export interface RetrainSchedulerOptions {
  /** One full retraining. Its errors go to `onError`; the scheduler carries on. */
  train: () => Promise<void>;
  onError: (err: unknown) => void;
  debounceMs: number;
  maxWaitMs: number;
  /** Injected for tests; default the global timers and Date.now. */
  clock?: SchedulerClock;
}

export interface SchedulerClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

interface Waiter {
  /** Resolved when run number `run` has finished. */
  run: number;
  resolve: () => void;
}

export class RetrainScheduler {
  private readonly opts: RetrainSchedulerOptions;
  private readonly clock: SchedulerClock;
  private timer: unknown;
  /** When the oldest request not yet served was made. */
  private firstRequestAt: number | undefined;
  private immediate = false;
  private running: Promise<void> | undefined;
  private requestedWhileRunning = false;
  private started = 0;
  private stopped = false;
  private waiters: Waiter[] = [];
  private idleWaiters: Array<() => void> = [];

  constructor(opts: RetrainSchedulerOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      now: () => Date.now(),
    };
  }

  /** Trainings started so far. */
  get runs(): number {
    return this.started;
  }

  get busy(): boolean {
    return this.timer !== undefined || this.running !== undefined;
  }

  /** Asks for a retraining: after the debounce, or as soon as possible with `immediate`. */
  request(options: { immediate?: boolean } = {}): void {
    if (this.stopped) return;
    this.firstRequestAt ??= this.clock.now();
    if (options.immediate) this.immediate = true;
    if (this.running) {
      this.requestedWhileRunning = true;
      return;
    }
    this.arm();
  }

  /** Requests an immediate retraining and resolves once a training that started after this call has finished. */
  retrainNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const run = this.started + 1;
    const done = new Promise<void>((resolve) => this.waiters.push({ run, resolve }));
    this.request({ immediate: true });
    return done;
  }

  /** Resolves when nothing is scheduled or running. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels what is scheduled, waits for a running training to end; later requests are ignored. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    this.settle(Number.POSITIVE_INFINITY);
  }

  private arm(): void {
    const now = this.clock.now();
    const first = this.firstRequestAt ?? now;
    const delay = this.immediate ? 0 : Math.max(0, Math.min(this.opts.debounceMs, first + this.opts.maxWaitMs - now));
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    this.firstRequestAt = undefined;
    this.immediate = false;
    this.requestedWhileRunning = false;
    const run = ++this.started;
    this.running = (async () => {
      try {
        await this.opts.train();
      } catch (err) {
        this.opts.onError(err);
      }
    })();
    void this.running.then(() => {
      this.running = undefined;
      this.settle(run);
      if (this.requestedWhileRunning && !this.stopped) this.arm();
      else if (!this.busy) this.notifyIdle();
    });
  }

  private settle(finishedRun: number): void {
    const done = this.waiters.filter((w) => w.run <= finishedRun);
    this.waiters = this.waiters.filter((w) => w.run > finishedRun);
    for (const w of done) w.resolve();
    if (finishedRun === Number.POSITIVE_INFINITY) this.notifyIdle();
  }

  private notifyIdle(): void {
    const waiting = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiting) resolve();
  }
}
