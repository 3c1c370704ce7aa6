import type { SlaNotificationLog, SlaDelivery, SlaTicketState, SlaTimer } from '../domain/sla/sla-log.port';
import { slaEvent, type TicketEvent, type TicketEventSink } from './webhooks/ticket-events';
import { mapLimit } from './map-limit';
import { dueNotifications, type PlannedNotification } from '../domain/sla/schedule';
import { ticketSlaPlan, ticketSlaStatus, ticketSlaWakeAt } from '../domain/sla/ticket-sla';
import { type ActivityEntry, parseUserKey, type Ticket } from '../domain/ticket/ticket';
import type { TicketRepository } from '../domain/ticket/ticket.repository.port';
import type { Logger } from '../logger';
import type { HelpDesk } from './help-desk';
import { localeForText, t } from './i18n';
import type { KeyedMutex } from './keyed-mutex';

/**
 * An unconfirmed claim older than this is taken to be from a sender that died
 * mid-send, and is sent again. Long enough that a slow database between claim
 * and confirmation does not look like a dead sender (that would send twice).
 */
export const SLA_CLAIM_LEASE_MS = 120_000;
/** After a failed send (platform down), look again this much later. */
const RETRY_AFTER_MS = 10_000;
const SYSTEM = { platform: 'system', id: 'chatdesk' } as const;

export interface SweepResult {
  tickets: number;
  sent: number;
  failed: number;
}

export interface RunOptions {
  signal: AbortSignal;
  /** How often the loop looks for wake-ups that have come (ms of real time). */
  tickMs?: number;
  /** How often the timer collection is read (ms of real time). */
  scanEveryMs?: number;
  /** Each read fetches the wake-ups due up to this far ahead of `now`, so each fires on its own time. */
  horizonMs?: number;
  /** Every few reads look this far ahead, to read the tickets of those wake-ups in bulk beforehand. */
  readAheadMs?: number;
  /** Read ahead once a wake-up of a ticket not read yet is this close. */
  readAheadLeadMs?: number;
  /** Most tickets handled in one batch. */
  maxBatch?: number;
  /** Most batches in flight at once. */
  maxBatches?: number;
}

/** Runs `fn` holding the per-ticket locks of all `keys` (taken in sorted order, so two batches never deadlock). */
async function withLocks<T>(locks: KeyedMutex, keys: readonly string[], fn: () => Promise<T>): Promise<T> {
  const releases: Array<() => void> = [];
  const held: Array<Promise<unknown>> = [];
  try {
    for (const key of [...new Set(keys)].sort()) {
      await new Promise<void>((acquired) => {
        held.push(locks.run(key, () => new Promise<void>((release) => (releases.push(release), acquired()))));
      });
    }
    return await fn();
  } finally {
    for (const release of releases) release();
    await Promise.allSettled(held);
  }
}


const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/**
 * Fires due SLA reminders and escalations. Thin: the plan comes from the pure
 * domain (ticketSlaPlan / dueNotifications), exactly-once comes from the
 * notification log's unique keys, and tickets are handled under the same
 * per-ticket locks as agents' actions.
 *
 * Work is done per batch of tickets, in phases, each one database round trip
 * for the whole batch: load the tickets (and what was sent for them), claim every
 * due key (one insertMany), send, record the audit entries (one insertMany), add
 * the next wake-ups (one insertMany). `run` is the worker's loop (src/jobs);
 * `sweep` and `fire` are one-shot passes.
 */
export class SlaRunner {
  private readonly logger: Logger;
  private readonly createdAt = Date.now();
  /** Started by `warm`: the wake-ups read ahead (real ms when read), handed to `run`. */
  private warming: Promise<{ timers: SlaTimer[]; at: number } | undefined> | undefined;

  constructor(
    private readonly deps: {
      desk: HelpDesk;
      tickets: TicketRepository;
      log: SlaNotificationLog;
      logger: Logger;
      now?: () => Date;
      concurrency?: number;
      /** Told each reminder sent (sla.warning under 100% of a target, sla.breached at 100% and past it). */
      events?: TicketEventSink;
    },
  ) {
    this.logger = deps.logger.child({ component: 'sla' });
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private get concurrency(): number {
    return this.deps.concurrency ?? 32;
  }

  /**
   * Throws unless some SLA worker (this process or another) beat within the
   * last 20 s, once this one has had 20 s to start: reminders would not go out.
   */
  async checkHealthy(): Promise<void> {
    const beat = await this.deps.log.lastHeartbeat?.();
    if (Date.now() - this.createdAt < 20_000) return;
    if (!beat) throw new Error('no SLA worker has started');
    const age = Date.now() - beat.getTime();
    if (age > 20_000) throw new Error(`the last SLA worker heartbeat is ${Math.round(age / 1000)} s old`);
  }

  /** Seconds the oldest planned wake-up is overdue (0 when none is). */
  async lateness(): Promise<number> {
    const due = await this.deps.log.oldestDue?.();
    return due ? Math.max(0, (this.now().getTime() - due.getTime()) / 1000) : 0;
  }

  /** Handles every ticket whose SLA wake-up time has come (at most `limit`; the rest wait for the next sweep). */
  async sweep(opts: { limit?: number } = {}): Promise<SweepResult> {
    const { log } = this.deps;
    const timers = await log.dueTimers(this.now(), (opts.limit ?? 2000) * 2);
    const byTicket = groupByTicket(timers);
    const ids = [...byTicket.keys()].slice(0, opts.limit ?? 2000);
    const result: SweepResult = { tickets: ids.length, sent: 0, failed: 0 };
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const r = await this.fireMany(chunk);
      result.sent += r.sent;
      result.failed += r.failed;
      await log.clearTimers(chunk.flatMap((id) => byTicket.get(id) ?? []).map((tm) => tm.id));
    }
    return result;
  }

  /** Sends what is due for one ticket and plans its next wake-up. */
  async fire(ticketId: string): Promise<{ sent: number; failed: number }> {
    const r = await this.fireMany([ticketId]);
    return { sent: r.sent, failed: r.failed };
  }

  /**
   * Reads ahead what the loop will need first (the wake-ups of the next `readAheadMs`
   * and their tickets), e.g. while the job lock is being taken: a worker restarted
   * after a crash then fires its overdue wake-ups as soon as it runs. Harmless if
   * `run` never comes (it only fills this process's memory). A no-op while one is under way.
   */
  warm(opts: Pick<RunOptions, 'readAheadMs'> = {}): void {
    if (this.warming) return;
    const t0 = Date.now();
    this.warming = this.deps.log
      .warmUp(new Date(this.now().getTime() + (opts.readAheadMs ?? 30_000)), 10_000)
      .then((timers) => {
        this.logger.debug({ timers: timers.length, ms: Date.now() - t0 }, 'SLA worker warmed up');
        return { timers, at: t0 };
      })
      .catch((err: unknown) => {
        this.logger.warn({ err }, 'SLA warm-up failed (the loop reads as usual)');
        return undefined;
      });
  }

  /**
   * The worker loop, until `signal` aborts: reads the wake-ups due within the
   * horizon every `scanEveryMs`, and hands each to a batch as soon as it has come.
   */
  async run(opts: RunOptions): Promise<void> {
    const { log } = this.deps;
    const tickMs = opts.tickMs ?? 50;
    const scanEveryMs = opts.scanEveryMs ?? 1000;
    const horizonMs = opts.horizonMs ?? 3000;
    const readAheadMs = opts.readAheadMs ?? 30_000;
    const readAheadLeadMs = opts.readAheadLeadMs ?? 12_000;
    const maxBatch = opts.maxBatch ?? 100;
    const maxBatches = opts.maxBatches ?? 4;
    const pending = new Map<string, SlaTimer>();
    /** Handled timers (real time when handled): a read started before their deletion still returns them. */
    const done = new Map<string, number>();
    const inFlight = new Set<string>();
    const batches = new Set<Promise<void>>();
    let toClear: string[] = [];
    let scanning: Promise<void> | undefined;
    let clearing: Promise<void> | undefined;
    let prefetching: Promise<void> | undefined;
    let lastScan = -Infinity;
    let lastLongScan = -Infinity;
    let lastPrefetchCheck = -Infinity;
    let lastClear = Date.now();
    let beating: Promise<void> | undefined;
    let lastBeat = -Infinity;

    while (!opts.signal.aborted) {
      try {
        await log.prepare();
        break;
      } catch (err) {
        this.logger.error({ err }, 'SLA timers could not be prepared; retrying');
        await sleep(1000, opts.signal);
      }
    }

    const warmed = await this.warming;
    this.warming = undefined;
    // Read long before (a standby that only now took over): the loop's own reads are fresher.
    if (warmed && Date.now() - warmed.at < 10_000) {
      for (const tm of warmed.timers) pending.set(tm.id, tm);
      lastScan = lastLongScan = warmed.at;
    }

    while (!opts.signal.aborted) {
      const real = Date.now();
      if (!beating && real - lastBeat >= 1000) {
        lastBeat = real;
        beating = log
          .heartbeat(new Date(real))
          .catch((err: unknown) => this.logger.warn({ err }, 'SLA heartbeat not recorded'))
          .finally(() => {
            beating = undefined;
          });
      }
      // While a backlog is worked off, the timers already in hand are enough: read them less often.
      const busy = batches.size >= maxBatches || prefetching !== undefined;
      if (!scanning && real - lastScan >= (busy ? 4 * scanEveryMs : scanEveryMs)) {
        lastScan = real;
        const long = real - lastLongScan >= 5 * scanEveryMs;
        if (long) lastLongScan = real;
        scanning = log
          .dueTimers(new Date(this.now().getTime() + (long ? readAheadMs : horizonMs)), 10_000)
          .then((timers) => {
            for (const tm of timers) if (!done.has(tm.id)) pending.set(tm.id, tm);
            this.logger.debug({ timers: timers.length, pending: pending.size, ms: Date.now() - real }, 'SLA timers read');
          })
          .catch((err: unknown) => this.logger.error({ err }, 'SLA timers could not be read'))
          .finally(() => {
            scanning = undefined;
          });
      }

      const now = this.now().getTime();
      if (!prefetching && real - lastPrefetchCheck >= 250) {
        // Read ahead, in bulk, the tickets of the wake-ups coming up, overdue ones included (a restarted
        // worker has none in memory). On FerretDB a bulk read costs about as much as a few hundred
        // single reads, whatever its size, and single reads slow down badly beside it.
        lastPrefetchCheck = real;
        const upcoming = [...pending.values()].filter((tm) => !tm.changed && !inFlight.has(tm.ticketId) && tm.at.getTime() <= now + readAheadMs);
        const have = log.cached(upcoming.map((tm) => tm.ticketId));
        const missing = upcoming.filter((tm) => !have.has(tm.ticketId));
        const urgent = missing.filter((tm) => tm.at.getTime() <= now + 1000).length;
        if (urgent > 20 || missing.some((tm) => tm.at.getTime() <= now + readAheadLeadMs)) {
          const ids = [...new Set(missing.map((tm) => tm.ticketId))].slice(0, 10_000);
          const t0 = Date.now();
          prefetching = log
            .prefetch(ids)
            .then(() => this.logger.debug({ tickets: ids.length, ms: Date.now() - t0 }, 'SLA tickets read ahead'))
            .catch((err: unknown) => this.logger.warn({ err }, 'SLA tickets could not be read ahead'))
            .finally(() => {
              prefetching = undefined;
            });
        }
      }
      if (batches.size < maxBatches) {
        // Tickets in memory go at once; a few others are read one by one, but not beside a bulk read (on
        // FerretDB both then crawl): while one runs, they wait for it.
        const ready = new Map<string, SlaTimer[]>();
        const due = [...pending.values()].filter((tm) => tm.at.getTime() <= now && !inFlight.has(tm.ticketId));
        const have = log.cached(due.map((tm) => tm.ticketId));
        let uncached = 0;
        for (const tm of due) {
          if (!ready.has(tm.ticketId)) {
            if (ready.size >= maxBatch) continue;
            if (!have.has(tm.ticketId)) {
              if (prefetching || uncached >= 20) continue;
              uncached += 1;
            }
          }
          ready.set(tm.ticketId, [...(ready.get(tm.ticketId) ?? []), tm]);
        }
        if (ready.size > 0) {
          this.logger.debug({ due: due.length, cached: have.size, ready: ready.size, uncached, prefetching: !!prefetching, batches: batches.size }, 'SLA batch started');
          const ids = [...ready.keys()];
          const timers = [...ready.values()].flat();
          for (const tm of timers) pending.delete(tm.id);
          for (const id of ids) inFlight.add(id);
          // Cards are refreshed for real wake-ups (a ticket change already refreshed them).
          const refresh = new Set(timers.filter((tm) => !tm.changed).map((tm) => tm.ticketId));
          const batch = this.fireMany(ids, { refresh })
            .then(() => {
              const at = Date.now();
              for (const tm of timers) done.set(tm.id, at);
              toClear.push(...timers.map((tm) => tm.id));
            })
            .catch((err: unknown) => {
              // Not cleared: the next read of the timers hands them out again.
              this.logger.error({ err, tickets: ids.length }, 'SLA batch failed');
            })
            .finally(() => {
              for (const id of ids) inFlight.delete(id);
              batches.delete(batch);
            });
          batches.add(batch);
        }
      }

      if (!clearing && toClear.length > 0 && (toClear.length >= 1000 || real - lastClear >= 1000)) {
        const ids = toClear;
        toClear = [];
        lastClear = real;
        clearing = log
          .clearTimers(ids)
          .catch((err: unknown) => this.logger.warn({ err }, 'handled SLA timers could not be removed (they will be looked at again)'))
          .finally(() => {
            clearing = undefined;
          });
      }
      for (const [id, at] of done) if (real - at > 60_000) done.delete(id);
      await sleep(tickMs, opts.signal);
    }
    await Promise.allSettled([...batches, scanning, clearing, prefetching, beating]);
    if (toClear.length > 0) await log.clearTimers(toClear).catch(() => undefined);
  }

  /** Sends what is due for these tickets and plans their next wake-ups, a few round trips for the whole batch. */
  async fireMany(ticketIds: readonly string[], opts: { refresh?: ReadonlySet<string> } = {}): Promise<SweepResult> {
    const { desk, log } = this.deps;
    return withLocks(desk.locks, ticketIds, async () => {
      const started = Date.now();
      const states = await log.load(ticketIds);
      const loaded = Date.now();
      const now = this.now();
      const result: SweepResult = { tickets: states.size, sent: 0, failed: 0 };

      // Plan: what is due now and not sent.
      const dueByTicket = new Map<string, PlannedNotification[]>();
      for (const [id, state] of states) {
        const plan = ticketSlaPlan(state.ticket, now, desk.sla);
        const due = plan ? dueNotifications(plan, now, state.sent) : [];
        if (due.length > 0) dueByTicket.set(id, due);
      }

      // Claim every due key of the batch at once.
      const claims = [...dueByTicket.entries()].flatMap(([ticketId, due]) => due.map((e) => ({ key: e.key, ticketId })));
      const outcomes = claims.length > 0 ? await log.claim(claims, this.now(), SLA_CLAIM_LEASE_MS) : new Map();
      const claimed = Date.now();

      // Send, tickets in parallel, each ticket's events in plan order.
      const delivered: SlaDelivery[] = [];
      const slaEvents: TicketEvent[] = [];
      const failedKeys: string[] = [];
      const handled = new Map<string, Set<string>>();
      const leaseEnds = new Map<string, number>();
      const retry = new Set<string>();
      await mapLimit([...dueByTicket.entries()], this.concurrency, async ([ticketId, due]) => {
        const state = states.get(ticketId) as SlaTicketState;
        const keys = new Set(state.sent);
        handled.set(ticketId, keys);
        for (const event of due) {
          const outcome = outcomes.get(event.key);
          if (outcome?.status === 'sent') keys.add(event.key);
          if (outcome?.status === 'busy') {
            keys.add(event.key);
            leaseEnds.set(ticketId, Math.min(leaseEnds.get(ticketId) ?? Infinity, outcome.leaseEndsAt.getTime()));
          }
          if (outcome?.status !== 'claimed') continue;
          try {
            // Our last beat is too old: another worker may hold this claim by now. Released below, retried later.
            if (!log.maySend()) throw new Error('SLA heartbeat is late; not sending');
            const entry = await this.deliver(state.ticket, event, now);
            delivered.push({ key: event.key, ticketId, entry, position: state.position, auditCount: state.auditCount });
            if (event.kind === 'reminder') slaEvents.push(slaEvent(state.ticket, event.key, event.target, event.fraction ?? 1, now));
            keys.add(event.key);
          } catch (err) {
            failedKeys.push(event.key);
            retry.add(ticketId);
            // Not again at once (the loop would hammer a platform that is down): RETRY_AFTER_MS below.
            keys.add(event.key);
            this.logger.warn({ err, ticket: state.ticket.key, key: event.key }, 'SLA notification not delivered; will retry');
          }
        }
      });

      const sentAt = Date.now();
      // Record: audit entries (also the proof of sending), released claims, next wake-ups.
      if (delivered.length > 0) await log.confirm(delivered);
      this.deps.events?.publish(slaEvents);
      if (failedKeys.length > 0) await log.release(failedKeys);
      result.sent = delivered.length;
      result.failed = failedKeys.length;

      const entriesOf = new Map<string, ActivityEntry[]>();
      for (const d of delivered) entriesOf.set(d.ticketId, [...(entriesOf.get(d.ticketId) ?? []), d.entry]);
      const next: Array<{ ticketId: string; at: Date; version: number }> = [];
      const refreshed: Ticket[] = [];
      for (const [id, state] of states) {
        const wake = ticketSlaWakeAt(state.ticket, now, desk.sla, handled.get(id) ?? state.sent);
        const candidates = [wake?.getTime(), leaseEnds.get(id), retry.has(id) ? now.getTime() + RETRY_AFTER_MS : undefined].filter(
          (x): x is number => x !== undefined,
        );
        if (candidates.length > 0) next.push({ ticketId: id, at: new Date(Math.min(...candidates)), version: state.ticket.version });
        if (opts.refresh && !opts.refresh.has(id) && !entriesOf.has(id)) continue;
        const entries = entriesOf.get(id) ?? [];
        refreshed.push(entries.length > 0 ? { ...state.ticket, activity: [...state.ticket.activity, ...entries] } : state.ticket);
      }
      const confirmed = Date.now();
      if (next.length > 0) await log.schedule(next);

      // The cards show the SLA line (e.g. "breached"): refresh them; a messenger's failure here is not fatal.
      await mapLimit(refreshed, this.concurrency, async (ticket) => {
        try {
          await desk.notifier.refreshCards(ticket);
        } catch (err) {
          this.logger.warn({ err, ticket: ticket.key }, 'card refresh after SLA check failed');
        }
      });
      const ms = { load: loaded - started, claim: claimed - loaded, send: sentAt - claimed, confirm: confirmed - sentAt, rest: Date.now() - confirmed };
      this.logger.debug({ ...result, ms }, 'SLA batch');
      return result;
    });
  }

  /** Sends one planned reminder or escalation; returns its audit entry. Throws when the platform did not take it. */
  private async deliver(ticket: Ticket, event: PlannedNotification, now: Date): Promise<ActivityEntry> {
    const { desk } = this.deps;
    const locale = localeForText(`${ticket.title} ${ticket.description}`, desk.desk.locale);
    const status = ticketSlaStatus(ticket, now, desk.sla, locale);
    const targetStatus = event.target === 'first_response' ? status?.firstResponse : status?.resolution;
    const target = t(locale, `sla.target.${event.target}`);
    const label = targetStatus?.label ?? '';
    const note = `${event.target} ${event.kind === 'reminder' ? `${Math.round((event.fraction ?? 0) * 100)}%` : `level ${event.level}`}`;

    if (event.kind === 'escalation') {
      const person = event.recipient.kind === 'user' ? parseUserKey(event.recipient.userId) : undefined;
      if (person) {
        await desk.notifyEscalation(ticket, person, { kind: 'sla', level: event.level ?? 1, target, label });
        return { at: now, action: 'escalation_notified', actor: SYSTEM, to: event.recipient.kind === 'user' ? event.recipient.userId : undefined, note };
      }
      // No person for this level (e.g. requester's manager unknown): the agent channel hears it.
      const text = t(locale, 'sla.escalation', {
        level: event.level ?? 1,
        key: ticket.key,
        priority: ticket.priority,
        title: ticket.title,
        target,
        label,
        assignee: ticket.assignee?.name ?? ticket.assignee?.id ?? t(locale, 'value.unassigned'),
      });
      if (!(await desk.notifier.postInCardThreads(ticket, { text }))) throw new Error('no agent channel reachable');
      return { at: now, action: 'escalation_notified', actor: SYSTEM, to: 'agent_channel', note };
    }

    const assignee = event.recipient.kind === 'assignee' ? parseUserKey(event.recipient.userId) : undefined;
    if (assignee) {
      await desk.notifier.direct(assignee, { text: t(locale, 'sla.reminder.assignee', { key: ticket.key, title: ticket.title, target, label }) });
      return { at: now, action: 'sla_reminder', actor: SYSTEM, to: event.recipient.kind === 'assignee' ? event.recipient.userId : undefined, note };
    }
    const posted = await desk.notifier.postInCardThreads(ticket, { text: t(locale, 'sla.reminder.channel', { key: ticket.key, title: ticket.title, target, label }) });
    if (!posted) throw new Error('no agent channel reachable');
    return { at: now, action: 'sla_reminder', actor: SYSTEM, to: 'agent_channel', note };
  }
}

function groupByTicket(timers: readonly SlaTimer[]): Map<string, SlaTimer[]> {
  const byTicket = new Map<string, SlaTimer[]>();
  for (const tm of timers) byTicket.set(tm.ticketId, [...(byTicket.get(tm.ticketId) ?? []), tm]);
  return byTicket;
}
