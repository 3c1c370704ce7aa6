import type { SlaNotificationLog, SlaDelivery, SlaOutcome, SlaTicketState, SlaTimer } from '../domain/sla/sla-log.port';
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
  /** How often the wake-ups of the coming seconds are read (ms of real time). */
  scanEveryMs?: number;
  /** How often every due wake-up is read instead (one left behind by a failed batch or a late write). */
  fullScanEveryMs?: number;
  /** Each read fetches the wake-ups due up to this far ahead of `now`, so each fires on its own time. */
  horizonMs?: number;
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
        held.push(
          locks.run(
            key,
            () =>
              new Promise<void>((release) => {
                releases.push(release);
                acquired();
              }),
          ),
        );
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
 * Work is done per batch of tickets, in phases: load the tickets (and what was
 * sent for them), claim every due key (one insertMany), send, record the audit
 * entries (one update per ticket), add the next wake-ups (one insertMany). `run`
 * is the worker's loop (src/jobs);
 * `sweep` and `fire` are one-shot passes.
 */
export class SlaRunner {
  private readonly logger: Logger;
  private readonly createdAt = Date.now();

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
    const beat = await this.deps.log.lastHeartbeat();
    if (Date.now() - this.createdAt < 20_000) return;
    if (!beat) throw new Error('no SLA worker has started');
    const age = Date.now() - beat.at.getTime();
    if (age > 20_000) throw new Error(`the last SLA worker heartbeat is ${Math.round(age / 1000)} s old`);
  }

  /** Seconds the oldest wake-up not handled yet is overdue, as the running worker last said (0 when none is). */
  async lateness(): Promise<number> {
    return (await this.deps.log.lastHeartbeat())?.progress?.lateS ?? 0;
  }

  /** Handles every ticket whose SLA wake-up time has come (at most `limit`; the rest wait for the next sweep). */
  async sweep(opts: { limit?: number } = {}): Promise<SweepResult> {
    const ids = [...new Set((await this.deps.log.dueTimers(this.now(), opts.limit ?? 2000)).map((tm) => tm.ticketId))];
    const result: SweepResult = { tickets: ids.length, sent: 0, failed: 0 };
    for (let i = 0; i < ids.length; i += 500) {
      const r = await this.fireMany(ids.slice(i, i + 500));
      result.sent += r.sent;
      result.failed += r.failed;
    }
    return result;
  }

  /** Sends what is due for one ticket and plans its next wake-up. */
  async fire(ticketId: string): Promise<{ sent: number; failed: number }> {
    const r = await this.fireMany([ticketId]);
    return { sent: r.sent, failed: r.failed };
  }

  /**
   * The worker loop, until `signal` aborts: every `scanEveryMs` it reads the wake-ups
   * (with their tickets) of the seconds not read yet up to `horizonMs` ahead, and the
   * last and current second again (for wake-ups just stored for a time already past),
   * and hands each to a batch as soon as it has come. It starts from where the last
   * worker said it stood (after a crash: the seconds since), and reads every due
   * wake-up at once every `fullScanEveryMs`, for any left behind.
   */
  async run(opts: RunOptions): Promise<void> {
    const { log } = this.deps;
    const tickMs = opts.tickMs ?? 50;
    const scanEveryMs = opts.scanEveryMs ?? 1000;
    const fullScanEveryMs = opts.fullScanEveryMs ?? 300_000;
    const horizonMs = opts.horizonMs ?? 3000;
    const maxBatch = opts.maxBatch ?? 100;
    // Two batches of 16 commands each at most: FerretDB 1.24 stopped answering at all with 4 (its PostgreSQL pool holds 50 connections).
    const maxBatches = opts.maxBatches ?? 2;
    const pending = new Map<string, SlaTimer>();
    /** Wake-ups handed to a batch (real time when handed): a read before they were recorded still returns them. */
    const taken = new Map<string, number>();
    const inFlight = new Map<string, number>();
    const batches = new Set<Promise<void>>();
    let scanning: Promise<void> | undefined;
    let beating: Promise<void> | undefined;
    let lastScan = -Infinity;
    let lastFullScan = Date.now();
    let lastBeat = -Infinity;
    /** Clock time read up to; undefined: read every due wake-up next. */
    let readUntil: number | undefined;

    while (!opts.signal.aborted) {
      try {
        await log.prepare();
        const before = (await log.lastHeartbeat())?.progress?.handledUntil;
        if (before) readUntil = new Date(before).getTime() - 5000;
        break;
      } catch (err) {
        this.logger.error({ err }, 'SLA worker could not be prepared; retrying');
        await sleep(1000, opts.signal);
      }
    }

    /** Every wake-up before this was handled: nothing earlier is pending or in a batch. */
    const progress = () => {
      if (readUntil === undefined) return undefined;
      const now = this.now().getTime();
      const open = [...pending.values()].map((tm) => tm.at.getTime()).concat([...inFlight.values()]);
      const oldest = Math.min(...open.filter((at) => at <= now), Infinity);
      return { handledUntil: new Date(Math.min(oldest, readUntil, now - 2000)), lateS: Number.isFinite(oldest) ? (now - oldest) / 1000 : 0 };
    };

    while (!opts.signal.aborted) {
      const real = Date.now();
      if (!beating && real - lastBeat >= 1000) {
        lastBeat = real;
        beating = log
          .heartbeat(new Date(real), progress())
          .catch((err: unknown) => this.logger.warn({ err }, 'SLA heartbeat not recorded'))
          .finally(() => {
            beating = undefined;
          });
      }
      if (!scanning && real - lastScan >= scanEveryMs) {
        lastScan = real;
        const now = this.now().getTime();
        // The seconds not read yet and the last one (a lookup each), unless a full read is due or the span is long.
        const full = readUntil === undefined || now - readUntil > 120_000 || real - lastFullScan >= fullScanEveryMs;
        if (full) lastFullScan = real;
        const until = now + horizonMs;
        const fresh = (readUntil ?? now) + 1000;
        const read = full
          ? log.dueTimers(new Date(until), 10_000)
          : fresh <= now
            ? log.timersBetween(new Date(Math.min(fresh, now - 1000)), new Date(until))
            : Promise.all([log.timersBetween(new Date(now - 1000), new Date(now)), log.timersBetween(new Date(fresh), new Date(until))]).then((r) => r.flat());
        scanning = read
          .then((timers) => {
            readUntil = until;
            for (const tm of timers) if (!taken.has(tm.id)) pending.set(tm.id, tm);
            this.logger.debug({ full, timers: timers.length, pending: pending.size, ms: Date.now() - real }, 'SLA timers read');
          })
          .catch((err: unknown) => this.logger.error({ err }, 'SLA timers could not be read'))
          .finally(() => {
            scanning = undefined;
          });
      }

      const now = this.now().getTime();
      if (batches.size < maxBatches) {
        const ready = new Map<string, SlaTimer>();
        for (const tm of pending.values()) {
          if (ready.size >= maxBatch) break;
          if (tm.at.getTime() <= now && !inFlight.has(tm.ticketId) && !ready.has(tm.ticketId)) ready.set(tm.ticketId, tm);
        }
        if (ready.size > 0) {
          this.logger.debug({ ready: ready.size, pending: pending.size, batches: batches.size }, 'SLA batch started');
          const timers = [...ready.values()];
          for (const tm of timers) {
            pending.delete(tm.id);
            taken.set(tm.id, real);
            inFlight.set(tm.ticketId, tm.at.getTime());
          }
          const read = new Map(timers.flatMap((tm) => (tm.state ? [[tm.ticketId, tm.state] as const] : [])));
          const batch = this.fireMany([...ready.keys()], read)
            .catch(async (err: unknown) => {
              this.logger.error({ err, tickets: timers.length }, 'SLA batch failed');
              // Handed out again a second later (their tickets are read again).
              await sleep(1000, opts.signal);
              for (const tm of timers) {
                taken.delete(tm.id);
                pending.set(tm.id, { id: tm.id, ticketId: tm.ticketId, at: tm.at });
              }
            })
            .then(() => {
              for (const tm of timers) inFlight.delete(tm.ticketId);
              batches.delete(batch);
            });
          batches.add(batch);
        }
      }
      for (const [id, at] of taken) if (real - at > 60_000) taken.delete(id);
      await sleep(tickMs, opts.signal);
    }
    await Promise.allSettled([...batches, scanning, beating]);
  }

  /** Sends what is due for these tickets and plans their next wake-ups, a few round trips for the whole batch. */
  async fireMany(ticketIds: readonly string[], read: ReadonlyMap<string, SlaTicketState> = new Map()): Promise<SweepResult> {
    const { desk, log } = this.deps;
    return withLocks(desk.locks, ticketIds, async () => {
      const started = Date.now();
      // Tickets read with their wake-up are used as read (a change since only makes the recording below keep the newer wake-up).
      const states = new Map([...read].filter(([id]) => ticketIds.includes(id)));
      for (const [id, state] of await log.load(ticketIds.filter((id) => !states.has(id)))) states.set(id, state);
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
          // Sent by a worker that died before recording it in the ticket: recorded now.
          if (outcome?.status === 'sent' && outcome.entry) delivered.push({ key: event.key, ticketId, entry: outcome.entry });
          if (outcome?.status === 'busy') {
            keys.add(event.key);
            leaseEnds.set(ticketId, Math.min(leaseEnds.get(ticketId) ?? Infinity, outcome.leaseEndsAt.getTime()));
          }
          if (outcome?.status !== 'claimed') continue;
          try {
            // Our last beat is too old: another worker may hold this claim by now. Released below, retried later.
            if (!log.maySend()) throw new Error('SLA heartbeat is late; not sending');
            const entry = await this.deliver(state.ticket, event, now);
            delivered.push({ key: event.key, ticketId, entry });
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
      // Record, one write per ticket: audit entries (also the proof of sending) and the next wake-up.
      const records: SlaOutcome[] = [];
      const refreshed: Ticket[] = [];
      for (const [id, state] of states) {
        const wake = ticketSlaWakeAt(state.ticket, now, desk.sla, handled.get(id) ?? state.sent);
        const candidates = [wake?.getTime(), leaseEnds.get(id), retry.has(id) ? now.getTime() + RETRY_AFTER_MS : undefined].filter(
          (x): x is number => x !== undefined,
        );
        const mine = delivered.filter((d) => d.ticketId === id);
        const nextAt = candidates.length > 0 ? new Date(Math.min(...candidates)) : undefined;
        records.push({ ticketId: id, version: state.ticket.version, delivered: mine, nextAt });
        refreshed.push(mine.length > 0 ? { ...state.ticket, activity: [...state.ticket.activity, ...mine.map((d) => d.entry)] } : state.ticket);
      }
      await log.record(records, now);
      this.deps.events?.publish(slaEvents);
      if (failedKeys.length > 0) await log.release(failedKeys);
      result.sent = delivered.length;
      result.failed = failedKeys.length;
      const confirmed = Date.now();

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
    const posted = await desk.notifier.postInCardThreads(ticket, {
      text: t(locale, 'sla.reminder.channel', { key: ticket.key, title: ticket.title, target, label }),
    });
    if (!posted) throw new Error('no agent channel reachable');
    return { at: now, action: 'sla_reminder', actor: SYSTEM, to: 'agent_channel', note };
  }
}
