import type { SlaNotificationLog } from '../domain/sla/sla-log.port';
import { dueNotifications, type PlannedNotification } from '../domain/sla/schedule';
import { ticketSlaPlan, ticketSlaStatus, ticketSlaWakeAt } from '../domain/sla/ticket-sla';
import { type ActivityEntry, parseUserKey, type Ticket } from '../domain/ticket/ticket';
import type { TicketRepository } from '../domain/ticket/ticket.repository.port';
import type { Logger } from '../logger';
import type { HelpDesk } from './help-desk';
import { localeForText, t } from './i18n';

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

/**
 * Fires due SLA reminders and escalations. Thin: the plan comes from the pure
 * domain (ticketSlaPlan / dueNotifications), exactly-once comes from the
 * notification log's unique keys, and the ticket is changed under the same
 * per-ticket lock as agents' actions. Called by the Agenda job (src/jobs).
 */
export class SlaRunner {
  private readonly logger: Logger;

  constructor(
    private readonly deps: { desk: HelpDesk; tickets: TicketRepository; log: SlaNotificationLog; logger: Logger; now?: () => Date; concurrency?: number },
  ) {
    this.logger = deps.logger.child({ component: 'sla' });
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Handles every ticket whose SLA wake-up time has come (at most `limit`; the rest wait for the next sweep). */
  async sweep(opts: { limit?: number } = {}): Promise<SweepResult> {
    const ids = await this.deps.tickets.findSlaDue(this.now(), opts.limit ?? 2000);
    const result: SweepResult = { tickets: ids.length, sent: 0, failed: 0 };
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        try {
          const r = await this.fire(id);
          result.sent += r.sent;
          result.failed += r.failed;
        } catch (err) {
          result.failed += 1;
          this.logger.error({ err, ticketId: id }, 'SLA check failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency ?? 16, ids.length) }, worker));
    return result;
  }

  /** Sends what is due for one ticket and plans its next wake-up. */
  async fire(ticketId: string): Promise<{ sent: number; failed: number }> {
    const { desk, tickets, log } = this.deps;
    return desk.locks.run(ticketId, async () => {
      const ticket = await tickets.findById(ticketId);
      if (!ticket?.slaNextAt) return { sent: 0, failed: 0 };
      const now = this.now();
      const handled = await log.handled(ticket.id, now, SLA_CLAIM_LEASE_MS);
      const plan = ticketSlaPlan(ticket, now, desk.sla);
      const due = plan ? dueNotifications(plan, now, handled.keys) : [];
      const entries: ActivityEntry[] = [];
      let failed = 0;
      for (const event of due) {
        if (!(await log.claim(event.key, ticket.id, this.now(), SLA_CLAIM_LEASE_MS))) continue;
        try {
          entries.push(await this.deliver(ticket, event, now));
          await log.confirm(event.key, this.now());
          handled.keys.add(event.key);
        } catch (err) {
          failed += 1;
          await log.release(event.key);
          this.logger.warn({ err, ticket: ticket.key, key: event.key }, 'SLA notification not delivered; will retry');
        }
      }
      const wake = ticketSlaWakeAt(ticket, now, desk.sla, handled.keys);
      const candidates = [wake?.getTime(), handled.leaseEndsAt?.getTime(), failed > 0 ? now.getTime() + RETRY_AFTER_MS : undefined].filter(
        (x): x is number => x !== undefined,
      );
      const slaNextAt = candidates.length > 0 ? new Date(Math.min(...candidates)) : undefined;
      await tickets.recordSla(ticket.id, entries, slaNextAt);
      const next: Ticket = { ...ticket, activity: [...ticket.activity, ...entries], slaNextAt, version: ticket.version + 1 };
      await desk.notifier.refreshCards(next);
      return { sent: entries.length, failed };
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
