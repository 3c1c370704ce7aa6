import { ChatdeskError, isChatdeskError } from '../../domain/errors';
import type { ActorPlatform } from '../../domain/ticket/ticket';
import type { Logger } from '../../logger';
import { t } from '../i18n';
import type { TicketSlot } from '../help-desk';
import { isDeliveryIncomplete } from './delivery-incomplete';
import type { InboxEntry, InboxStats, InboxStore } from './inbox.port';
import type { IntakeEvent, IntakeOutcome, IntakeReplier } from './intake-event';
import type { IntakeMetrics } from './intake-metrics';
import { retryDelayMs } from './retry-policy';

export interface IntakeLimits {
  /** Events worked on at once by this process. */
  concurrency: number;
  /** New events are refused (busy) while more than this many are pending … */
  maxDepth: number;
  /** … or while the oldest pending event is older than this. */
  maxAgeMs: number;
  /** Attempts before an event is given up (the person is then told to try again). */
  maxAttempts: number;
  /** How long an owner may work on an event before another process may take it over. */
  leaseMs: number;
  /** How often stored events are looked for (retries due, leftovers of a dead process). */
  pollMs: number;
}

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = { concurrency: 8, maxDepth: 2000, maxAgeMs: 60_000, maxAttempts: 15, leaseMs: 30_000, pollMs: 1000 };

/** How long an adapter waits for the store before it answers the platform with a failure (a platform allows about 3 s). */
const ACCEPT_TIMEOUT_MS = 2500;
/**
 * How long a request stays open (pending in the inbox) for its follow-up work
 * after it is answered; past it the request is done and the work goes on as
 * best effort, so a stalled LLM never makes the inbox look old (load shedding).
 */
const FOLLOW_UP_BUDGET_MS = 20_000;

/** What `submitAndWait` answers (adapters that hold the platform's answer for it). */
export type WaitedSubmit = Awaited<ReturnType<IntakePipeline['submitAndWait']>>;

export interface IntakeWork {
  run(event: IntakeEvent, slot: TicketSlot): Promise<IntakeOutcome>;
}

interface Waiter {
  resolve(outcome: IntakeOutcome | undefined): void;
}

/**
 * The one inbound pipeline. `submit` stores an event (persist, then the adapter
 * acknowledges); workers in any process then do the work, retry with backoff
 * what failed, pick up what a dead process left, and tell the person the
 * outcome exactly once through their platform's replier.
 */
export class IntakePipeline {
  private readonly repliers = new Map<ActorPlatform, IntakeReplier>();
  private readonly queue: InboxEntry[] = [];
  /** Events this process is working on or has queued (by id). */
  private readonly mine = new Set<string>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly waiters = new Map<string, Waiter>();
  private running = 0;
  /** Requests answered whose follow-up work is still running (done in the inbox when it ends). */
  private readonly finishing = new Set<Promise<void>>();
  private pollTimer?: NodeJS.Timeout;
  private polling = false;
  private stopping = false;
  private stats: InboxStats & { at: number } = { pending: 0, failed: 0, at: 0 };
  private readonly idleWaiters: Array<() => void> = [];
  private readonly log: Logger;
  private readonly limits: IntakeLimits;
  private readonly now: () => Date;

  constructor(
    private readonly deps: {
      inbox: InboxStore;
      work: IntakeWork;
      logger: Logger;
      metrics: IntakeMetrics;
      /** This process's worker name (see src/store/worker-identity.ts). */
      owner: string;
      /** True when the owner of that name is certainly gone (its leases are taken over at once). */
      isDead: (owner: string) => boolean;
      /** False while the store is known to be down: new requests are refused without trying it. */
      available?: () => boolean;
      limits?: Partial<IntakeLimits>;
      now?: () => Date;
    },
  ) {
    this.log = deps.logger.child({ component: 'intake' });
    this.limits = { ...DEFAULT_INTAKE_LIMITS, ...deps.limits };
    this.now = deps.now ?? (() => new Date());
  }

  register(replier: IntakeReplier): void {
    this.repliers.set(replier.platform, replier);
  }

  /** Starts looking for stored events (at once: a restart picks up what it left). */
  start(): void {
    this.stopping = false;
    void this.poll();
  }

  /**
   * Stores the event; resolves once it is durable (the adapter acknowledges
   * then). `duplicate` for a redelivery. Throws chatdesk_busy when the inbox is
   * over its bounds and chatdesk_store_unavailable when it cannot be stored:
   * the platform must then not be told it succeeded.
   */
  async submit(event: IntakeEvent): Promise<'accepted' | 'duplicate'> {
    return (await this.store(event)).result;
  }

  /**
   * For adapters whose platform takes the answer in the HTTP response (a
   * playground request, a Teams dialog or card action): stores the event like
   * `submit`, then waits up to `ms` for its outcome. `outcome` is undefined when
   * it was not ready in time (the replier then tells the person later) or for a
   * redelivery.
   */
  async submitAndWait(event: IntakeEvent, ms: number): Promise<{ result: 'accepted' | 'duplicate'; outcome?: IntakeOutcome }> {
    const { result, start } = await this.store(event);
    if (result === 'duplicate' || !start) return { result };
    const outcome = this.waitFor(event.id, ms);
    start();
    return { result, outcome: await outcome };
  }

  private async store(event: IntakeEvent): Promise<{ result: 'accepted' | 'duplicate'; start?: () => void }> {
    const started = performance.now();
    if (this.stopping) throw new ChatdeskError('chatdesk_busy', 'chatdesk is shutting down');
    if (this.deps.available && !this.deps.available()) {
      this.deps.metrics.refused(event.platform, 'store');
      throw new ChatdeskError('chatdesk_store_unavailable', 'the database is down');
    }
    this.shedIfOverloaded();
    const now = this.now();
    const leaseUntil = new Date(now.getTime() + this.limits.leaseMs);
    let timedOut = false;
    const insert = this.deps.inbox.accept(event, this.deps.owner, now, leaseUntil);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new ChatdeskError('chatdesk_store_unavailable', `the inbox did not answer within ${ACCEPT_TIMEOUT_MS} ms`));
      }, ACCEPT_TIMEOUT_MS);
    });
    let result: 'accepted' | 'duplicate';
    try {
      result = await Promise.race([insert, timeout]);
    } catch (err) {
      this.deps.metrics.refused(event.platform, 'store');
      // Told the platform it failed: an insert that still lands later must not become a ticket.
      if (timedOut) insert.then((r) => (r === 'accepted' ? this.deps.inbox.forget(event.id) : undefined)).catch(() => undefined);
      this.log.error({ err, event: event.id }, 'an inbound request could not be stored; the platform is told it failed');
      throw isChatdeskError(err) ? err : new ChatdeskError('chatdesk_store_unavailable', 'the inbox could not store the request', {}, { cause: err });
    } finally {
      clearTimeout(timer);
    }
    this.deps.metrics.acked(event.platform, event.request.kind, performance.now() - started);
    if (result === 'duplicate') {
      this.log.info({ event: event.id }, 'redelivered request ignored');
      return { result };
    }
    this.stats.pending++;
    let begun = false;
    const start = () => {
      if (begun) return;
      begun = true;
      this.enqueue({ event, receivedAt: now, attempts: 0, fresh: true });
    };
    // Started by the caller once it waits for the outcome, or at once.
    queueMicrotask(start);
    return { result, start };
  }

  private waitFor(id: string, ms: number): Promise<IntakeOutcome | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve(undefined);
      }, ms);
      this.waiters.set(id, {
        resolve: (o) => {
          clearTimeout(timer);
          resolve(o);
        },
      });
    });
  }

  /** Events stored and not done (all processes, as of the last look) and the age of the oldest. */
  depth(): { pending: number; oldestAgeMs: number; failed: number; local: number } {
    const oldest = this.stats.oldestAt ? this.now().getTime() - this.stats.oldestAt.getTime() : 0;
    return { pending: this.stats.pending, oldestAgeMs: Math.max(0, oldest), failed: this.stats.failed, local: this.mine.size };
  }

  /** Resolves when nothing is queued, running or waiting for its follow-up work here (tests, benches). */
  async idle(): Promise<void> {
    for (;;) {
      if (this.running > 0 || this.queue.length > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      else if (this.finishing.size > 0) await Promise.allSettled([...this.finishing]);
      else return;
    }
  }

  /**
   * Stops taking events; waits up to `graceMs` for what is running, then
   * hands back the rest (due now) for the next start or another process.
   */
  async stop(graceMs = 8000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.pollTimer);
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    const queued = this.queue.splice(0).map((e) => e.event.id);
    for (const id of queued) this.mine.delete(id);
    const deadline = Date.now() + graceMs;
    while (this.running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const left = [...this.mine, ...queued];
    if (left.length > 0) {
      await this.deps.inbox
        .release(this.deps.owner, left, this.now())
        .catch((err: unknown) => this.log.warn({ err, count: left.length }, 'could not hand back events; their leases will run out'));
      this.log.info({ count: left.length }, 'events handed back for the next start');
    }
    for (const w of this.waiters.values()) w.resolve(undefined);
    this.waiters.clear();
  }

  private shedIfOverloaded(): void {
    const { pending, oldestAgeMs } = this.depth();
    const local = this.queue.length;
    if (pending > this.limits.maxDepth || local > this.limits.maxDepth || oldestAgeMs > this.limits.maxAgeMs) {
      this.deps.metrics.refused('any', 'busy');
      throw new ChatdeskError('chatdesk_busy', `the inbox is over its bounds (${pending} pending, oldest ${Math.round(oldestAgeMs / 1000)} s)`, {
        pending,
        oldestAgeMs,
      });
    }
  }

  private enqueue(entry: InboxEntry): void {
    if (this.mine.has(entry.event.id)) return;
    this.mine.add(entry.event.id);
    this.queue.push(entry);
    this.pump();
  }

  private pump(): void {
    while (!this.stopping && this.running < this.limits.concurrency && this.queue.length > 0) {
      const entry = this.queue.shift()!;
      this.running++;
      void this.process(entry).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  private async process(entry: InboxEntry): Promise<void> {
    const { event } = entry;
    const started = performance.now();
    const attempt = entry.attempts + 1;
    const followUps: Array<Promise<void>> = [];
    const slot: TicketSlot = { id: event.id, fresh: entry.fresh === true && entry.attempts === 0, followUp: (work) => followUps.push(work) };
    try {
      const outcome = await this.deps.work.run(await this.withNames(event), slot);
      const toldNow = await this.tell(entry, outcome, { record: false });
      if (followUps.length > 0) {
        // The worker is free for the next request; this one stays leased (renewed by the poll) until its follow-up work ends.
        const finishing = this.completeAfter(entry, followUps, toldNow ? outcome : undefined, outcome, started).finally(() => this.finishing.delete(finishing));
        this.finishing.add(finishing);
        return;
      }
      await this.deps.inbox.complete(event.id, this.now(), toldNow ? outcome : undefined);
      this.done(entry, outcome, started);
    } catch (err) {
      if (this.stopping) return;
      if (isDeliveryIncomplete(err)) {
        // The ticket is stored: the person hears so now; the missing card or thread is posted on the retry.
        await this.tell(entry, {
          status: 'created',
          ticket: { id: err.ticket.id, key: err.ticket.key },
          message: { text: t(event.locale, 'command.created', { key: err.ticket.key }) },
        }).catch((e: unknown) => this.log.warn({ err: e, event: event.id }, 'the confirmation could not be sent yet'));
      }
      await this.retryOrGiveUp(entry, attempt, err, started);
    }
  }

  private async completeAfter(entry: InboxEntry, work: Array<Promise<void>>, told: IntakeOutcome | undefined, outcome: IntakeOutcome, started: number) {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FOLLOW_UP_BUDGET_MS);
      timer.unref();
    });
    await Promise.race([Promise.allSettled(work), budget]);
    clearTimeout(timer);
    if (this.stopping) return; // handed back by stop(): the next start resumes it
    try {
      await this.deps.inbox.complete(entry.event.id, this.now(), told);
      this.done(entry, outcome, started);
    } catch (err) {
      // The store is away: the lease runs out and the request is resumed, finding the work recorded.
      this.log.warn({ err, event: entry.event.id }, 'could not record a request done after its follow-up work; its lease will run out');
      this.mine.delete(entry.event.id);
    }
  }

  private async retryOrGiveUp(entry: InboxEntry, attempt: number, err: unknown, started: number): Promise<void> {
    const { event } = entry;
    const message = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
    if (attempt >= this.limits.maxAttempts) {
      this.log.error({ err, event: event.id, attempts: attempt }, 'giving up on an inbound request after its retries');
      const outcome: IntakeOutcome = entry.answered ?? { status: 'failed', message: { text: t(event.locale, 'intake.failed') } };
      await this.tell(entry, outcome).catch(() => undefined);
      await this.deps.inbox
        .fail(event.id, this.now(), message)
        .catch((e: unknown) => this.log.error({ err: e, event: event.id }, 'could not mark the request failed'));
      this.stats.failed++;
      this.done(entry, outcome, started);
      return;
    }
    const delay = retryDelayMs(attempt, err);
    entry.attempts = attempt;
    this.deps.metrics.retried(event.platform);
    this.log.warn({ err, event: event.id, attempt, retryInMs: delay }, 'inbound request failed; retrying');
    try {
      await this.deps.inbox.retryLater(event.id, attempt, new Date(this.now().getTime() + delay), message);
    } catch (e) {
      // The store is down too: the lease runs out and the poll picks the event up again.
      this.log.warn({ err: e, event: event.id }, 'could not record the retry; the lease will run out');
    }
    const timer = setTimeout(() => {
      this.retryTimers.delete(event.id);
      this.mine.delete(event.id);
      this.enqueue(entry);
    }, delay);
    timer.unref();
    this.retryTimers.set(event.id, timer);
  }

  /** The event with display names looked up by its platform (best effort: the payload's names otherwise). */
  private async withNames(event: IntakeEvent): Promise<IntakeEvent> {
    const replier = this.repliers.get(event.platform);
    if (!replier?.resolveUser) return event;
    const user = await replier.resolveUser(event.user, event, 'actor').catch(() => event.user);
    // A picked assignee that cannot be resolved is an error worth retrying (the platform is down), not a guess.
    const request =
      event.request.kind === 'button' && event.request.assignee
        ? { ...event.request, assignee: await replier.resolveUser(event.request.assignee, event, 'assignee') }
        : event.request;
    return { ...event, user, request };
  }

  /** Tells the person once: in band when an adapter is waiting, else through the platform's replier. */
  /** `record: false` leaves writing it down to the caller (done with the completion, one write). True when told now. */
  private async tell(entry: InboxEntry, outcome: IntakeOutcome, opts: { record?: boolean } = {}): Promise<boolean> {
    if (entry.answered) return false;
    const waiter = this.waiters.get(entry.event.id);
    if (waiter) {
      this.waiters.delete(entry.event.id);
      waiter.resolve(outcome);
    } else if (outcome.message || outcome.errors) {
      const replier = this.repliers.get(entry.event.platform);
      if (!replier) this.log.warn({ event: entry.event.id, platform: entry.event.platform }, 'no replier for this platform; the outcome is not told');
      else await replier.answer(entry.event, outcome);
    }
    entry.answered = outcome;
    if (opts.record !== false) await this.deps.inbox.markAnswered(entry.event.id, outcome);
    return true;
  }

  private done(entry: InboxEntry, outcome: IntakeOutcome, started: number): void {
    this.mine.delete(entry.event.id);
    this.stats.pending = Math.max(0, this.stats.pending - 1);
    this.deps.metrics.processed(entry.event.platform, outcome.status, performance.now() - started, Date.now() - entry.receivedAt.getTime());
  }

  private async poll(): Promise<void> {
    if (this.stopping || this.polling) return;
    this.polling = true;
    try {
      const now = this.now();
      const leaseUntil = new Date(now.getTime() + this.limits.leaseMs);
      const local = [...this.mine].filter((id) => !this.retryTimers.has(id));
      if (local.length > 0) await this.deps.inbox.renew(this.deps.owner, local, leaseUntil);
      const free = Math.max(0, this.limits.concurrency * 4 - this.queue.length);
      if (free > 0) {
        const due = await this.deps.inbox.claimDue(this.deps.owner, now, leaseUntil, free, this.deps.isDead);
        const fresh = due.filter((e) => !this.mine.has(e.event.id));
        if (fresh.length > 0) this.log.info({ count: fresh.length }, 'picked up stored requests (retries due or left by a stopped process)');
        for (const e of fresh) this.enqueue(e);
      }
      const s = await this.deps.inbox.stats();
      this.stats = { ...s, at: Date.now() };
    } catch (err) {
      this.log.warn({ err }, 'looking for stored requests failed; trying again');
    } finally {
      this.polling = false;
      if (!this.stopping) {
        this.pollTimer = setTimeout(() => void this.poll(), this.limits.pollMs);
        this.pollTimer.unref();
      }
    }
  }
}
