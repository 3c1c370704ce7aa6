import { isPermanentFailure } from '../../domain/errors';
import type { Logger } from '../../logger';
import { retryDelayMs } from '../intake/retry-policy';
import type { OutboxEntry, OutboxItem, OutboxStats, OutboxStore } from './outbox.port';

export interface OutboxLimits {
  /** Conversations sent to at once by this process (each conversation is sent one entry at a time). */
  concurrency: number;
  /** Attempts before an entry is given up (about 8 minutes of retries at the default). */
  maxAttempts: number;
  leaseMs: number;
  pollMs: number;
}

export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = { concurrency: 8, maxAttempts: 20, leaseMs: 30_000, pollMs: 1000 };

/**
 * A job kind's own retry budget, where the default (maxAttempts, retryDelayMs:
 * about 8 minutes, right for a chat message) is wrong: a webhook receiver may
 * be down for hours. `giveUpAfterMs` counts from when the entry was stored.
 */
export interface RetryBudget {
  delayMs(attempt: number, err: unknown): number;
  maxAttempts?: number;
  giveUpAfterMs?: number;
}

/** How an entry is sent. `mayExist`: an earlier attempt may have reached the platform (dedupe by the entry id). */
export type OutboxDelivery = (entry: OutboxEntry, opts: { mayExist: boolean }) => Promise<void>;

export interface OutboxMetrics {
  sent(kind: string, ms: number): void;
  retried(kind: string): void;
  failed(kind: string): void;
}

/**
 * Sends what chatdesk decided to say (card updates, lines to the requester,
 * lines under the card, DMs) through the durable outbox: stored first, sent at
 * once by the process that stored it, retried with backoff (Retry-After
 * honoured), in order per conversation, taken over from a dead process or
 * after a restart, and removed once the platform took it.
 */
export class OutboxWorker {
  private readonly lanes = new Map<string, OutboxEntry[]>();
  /** Conversations being sent or waiting for a retry here. */
  private readonly busy = new Set<string>();
  private readonly waiting: string[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Entries taken over from elsewhere (a crash, a retry): their first send here may repeat an earlier one. */
  private readonly takenOver = new Set<string>();
  private running = 0;
  private pollTimer?: NodeJS.Timeout;
  private polling = false;
  private stopping = false;
  private started = false;
  private stats: OutboxStats = { pending: 0, failed: 0 };
  private readonly idleWaiters: Array<() => void> = [];
  private readonly limits: OutboxLimits;
  private readonly log: Logger;
  private readonly now: () => Date;

  constructor(
    private readonly deps: {
      store: OutboxStore;
      deliver: OutboxDelivery;
      logger: Logger;
      owner: string;
      isDead: (owner: string) => boolean;
      metrics?: OutboxMetrics;
      limits?: Partial<OutboxLimits>;
      budgets?: Partial<Record<OutboxEntry['job']['kind'], RetryBudget>>;
      now?: () => Date;
    },
  ) {
    this.limits = { ...DEFAULT_OUTBOX_LIMITS, ...deps.limits };
    this.log = deps.logger.child({ component: 'outbox' });
    this.now = deps.now ?? (() => new Date());
  }

  /** Starts sending, and looks for what a stopped process left (at once, then every pollMs). */
  start(): void {
    this.stopping = false;
    this.started = true;
    void this.poll();
  }

  /**
   * Stores the items, then sends them (in the background). Throws when they
   * cannot be stored: the caller then sends directly or reports the failure.
   */
  async enqueue(items: OutboxItem[]): Promise<void> {
    if (items.length === 0) return;
    const now = this.now();
    const entries = await this.deps.store.add(items, this.deps.owner, now, new Date(now.getTime() + this.limits.leaseMs));
    this.stats.pending += entries.length;
    for (const entry of entries) this.push(entry);
  }

  /** Entries not sent yet (all processes, as of the last look), the oldest one's age, and those given up. */
  depth(): { pending: number; oldestAgeMs: number; failed: number } {
    const oldest = this.stats.oldestAt ? Math.max(0, this.now().getTime() - this.stats.oldestAt.getTime()) : 0;
    return { pending: this.stats.pending, oldestAgeMs: oldest, failed: this.stats.failed };
  }

  /** Resolves when nothing is queued, being sent or waiting for a retry here (tests, benches, shutdown). */
  idle(): Promise<void> {
    if (this.busy.size === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops; waits up to `graceMs` for sends in flight, then hands the rest back (due now) for the next start. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.pollTimer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    const deadline = Date.now() + graceMs;
    while (this.running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const left = [...this.lanes.values()].flat().map((e) => e.id);
    if (left.length > 0) {
      await this.deps.store
        .release(this.deps.owner, left, this.now())
        .catch((err: unknown) => this.log.warn({ err, count: left.length }, 'could not hand back outbox entries; their leases will run out'));
      this.log.info({ count: left.length }, 'outbox entries handed back for the next start');
    }
    this.lanes.clear();
    this.busy.clear();
    this.waiting.length = 0;
    this.settleIdle();
  }

  private push(entry: OutboxEntry): void {
    const lane = this.lanes.get(entry.conversation);
    if (lane?.some((e) => e.id === entry.id)) return;
    if (lane) lane.push(entry);
    else this.lanes.set(entry.conversation, [entry]);
    if (!this.busy.has(entry.conversation)) {
      this.busy.add(entry.conversation);
      this.waiting.push(entry.conversation);
      this.pump();
    }
  }

  private pump(): void {
    while (!this.stopping && this.running < this.limits.concurrency && this.waiting.length > 0) {
      const conversation = this.waiting.shift()!;
      this.running++;
      void this.sendHead(conversation).finally(() => {
        this.running--;
        this.pump();
        this.settleIdle();
      });
    }
  }

  private settleIdle(): void {
    if (this.busy.size === 0 && this.waiting.length === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Sends the oldest entry of a conversation; then the next, or after a failure waits for the retry. */
  private async sendHead(conversation: string): Promise<void> {
    const lane = this.lanes.get(conversation);
    const entry = lane?.[0];
    if (!lane || !entry) {
      this.lanes.delete(conversation);
      this.busy.delete(conversation);
      return;
    }
    const started = performance.now();
    const kind = entry.job.kind;
    try {
      await this.deps.deliver(entry, { mayExist: entry.attempts > 0 || this.takenOver.has(entry.id) });
      await this.deps.store
        .sent(entry.id)
        .catch((err: unknown) =>
          this.log.warn({ err, entry: entry.id }, 'sent, but the outbox entry could not be removed; a later send is deduplicated by its id'),
        );
      this.deps.metrics?.sent(kind, performance.now() - started);
      this.finish(conversation, lane);
    } catch (err) {
      if (this.stopping) return;
      const attempt = entry.attempts + 1;
      const message = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
      // A refusal for good (no such message, DMs closed) is not retried; outages and throttling are.
      const budget = this.deps.budgets?.[kind];
      const spent = attempt >= (budget?.maxAttempts ?? (budget?.giveUpAfterMs !== undefined ? Infinity : this.limits.maxAttempts));
      const late = budget?.giveUpAfterMs !== undefined && this.now().getTime() - new Date(entry.createdAt).getTime() >= budget.giveUpAfterMs;
      if (isPermanentFailure(err) || spent || late) {
        this.log.error({ err, entry: entry.id, kind, conversation, attempts: attempt }, 'giving up on an outgoing message');
        this.deps.metrics?.failed(kind);
        this.stats.failed++;
        await this.deps.store
          .fail(entry.id, this.now(), message)
          .catch((e: unknown) => this.log.error({ err: e, entry: entry.id }, 'could not mark the outgoing message failed'));
        this.finish(conversation, lane);
        return;
      }
      entry.attempts = attempt;
      const delay = budget ? budget.delayMs(attempt, err) : retryDelayMs(attempt, err);
      this.deps.metrics?.retried(kind);
      this.log.warn({ err, entry: entry.id, kind, attempt, retryInMs: delay }, 'an outgoing message failed; retrying');
      await this.deps.store
        .retryLater(entry.id, attempt, new Date(this.now().getTime() + delay), message)
        .catch((e: unknown) => this.log.warn({ err: e, entry: entry.id }, 'could not record the retry; the lease will run out'));
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.waiting.push(conversation);
        this.pump();
      }, delay);
      timer.unref();
      this.retryTimers.add(timer);
    }
  }

  private finish(conversation: string, lane: OutboxEntry[]): void {
    const done = lane.shift();
    if (done) this.takenOver.delete(done.id);
    this.stats.pending = Math.max(0, this.stats.pending - 1);
    if (lane.length > 0) this.waiting.push(conversation);
    else {
      this.lanes.delete(conversation);
      this.busy.delete(conversation);
    }
  }

  private async poll(): Promise<void> {
    if (this.stopping || this.polling || !this.started) return;
    this.polling = true;
    try {
      const now = this.now();
      const leaseUntil = new Date(now.getTime() + this.limits.leaseMs);
      const mine = [...this.lanes.values()].flat().map((e) => e.id);
      await this.deps.store.renew(this.deps.owner, mine, leaseUntil);
      const free = Math.max(0, this.limits.concurrency * 4 - this.lanes.size);
      if (free > 0) {
        const due = await this.deps.store.claimDue(this.deps.owner, now, leaseUntil, free, this.deps.isDead);
        // A conversation already being sent here keeps its own order: what it holds is sent first.
        const fresh = due.filter((e) => !this.lanes.has(e.conversation));
        if (fresh.length > 0) this.log.info({ count: fresh.length }, 'picked up stored outgoing messages (retries due or left by a stopped process)');
        for (const e of fresh) {
          this.takenOver.add(e.id);
          this.push(e);
        }
      }
      this.stats = await this.deps.store.stats();
    } catch (err) {
      this.log.warn({ err }, 'looking for stored outgoing messages failed; trying again');
    } finally {
      this.polling = false;
      if (!this.stopping) {
        this.pollTimer = setTimeout(() => void this.poll(), this.limits.pollMs);
        this.pollTimer.unref();
      }
    }
  }
}
