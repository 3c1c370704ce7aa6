/**
 * A ticket's SLA as the rest of chatdesk sees it: its plan of reminders and
 * escalations, when the worker must look at it next, and the line its card shows.
 * Pure: everything takes `now` and the validated SlaConfig.
 */
import { userKey, type Ticket } from '../ticket/ticket';
import { isResolved } from './clock';
import type { SlaLocale } from './labels';
import { calendarFor, escalationChainFor, resolvePolicy, type SlaConfig } from './policy';
import { nextFireAt, type NotificationPlan, planNotifications } from './schedule';
import { slaStatus, type SlaStatus } from './status';

function policyFor(ticket: Ticket, config: SlaConfig) {
  return resolvePolicy({ priority: ticket.sla?.priority ?? ticket.priority, team: ticket.team, type: ticket.type }, config);
}

/** The current notification plan; recipients are `platform:id` keys. */
export function ticketSlaPlan(ticket: Ticket, now: Date, config: SlaConfig): NotificationPlan | undefined {
  if (!ticket.sla) return undefined;
  const policy = policyFor(ticket, config);
  const cal = calendarFor(ticket.team, config);
  return planNotifications(
    { ticketId: ticket.id, requesterId: userKey(ticket.requester), assigneeId: ticket.assignee ? userKey(ticket.assignee) : undefined, clock: ticket.sla },
    now,
    policy,
    cal,
    escalationChainFor(ticket.team, config),
    config.directory,
  );
}

export function ticketSlaStatus(ticket: Ticket, now: Date, config: SlaConfig, locale: SlaLocale): SlaStatus | undefined {
  if (!ticket.sla) return undefined;
  return slaStatus(ticket.sla, now, policyFor(ticket, config), calendarFor(ticket.team, config), locale);
}

/**
 * When the SLA worker must next look at the ticket: the earliest unsent planned
 * event, or a running target's deadline (so the card turns to "breached" on time).
 * `sentKeys` are the plan's events already delivered.
 */
export function ticketSlaWakeAt(ticket: Ticket, now: Date, config: SlaConfig, sentKeys: ReadonlySet<string> = new Set()): Date | undefined {
  if (!ticket.sla || isResolved(ticket.sla)) return undefined;
  const plan = ticketSlaPlan(ticket, now, config);
  const candidates: number[] = [];
  const pending = plan?.events.find((e) => !sentKeys.has(e.key) && e.fireAt.getTime() <= now.getTime());
  if (pending) candidates.push(pending.fireAt.getTime());
  const next = plan ? nextFireAt(plan, now) : null;
  if (next) candidates.push(next.getTime());
  const status = ticketSlaStatus(ticket, now, config, 'en');
  for (const target of status ? [status.firstResponse, status.resolution] : []) {
    if (target.phase === 'running' && target.dueAt && target.dueAt.getTime() > now.getTime()) candidates.push(target.dueAt.getTime());
  }
  return candidates.length > 0 ? new Date(Math.min(...candidates)) : undefined;
}
