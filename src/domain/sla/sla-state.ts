import { OPEN_STATUSES, type Ticket } from '../ticket/ticket';
import type { SlaConfig } from './policy';
import { ticketSlaStatus } from './ticket-sla';

/**
 * A ticket's SLA in one word (the REST API's `sla` filter):
 * - `breached`: open, a target past due;
 * - `paused`: open and waiting on the requester, nothing breached;
 * - `warning`: open, a running target past the first reminder (e.g. 75 % used);
 * - `ok`: open, on time, under the first reminder;
 * - `met`: resolved or closed with both targets met;
 * - `missed`: resolved or closed after a target's deadline.
 * Undefined for a ticket without an SLA clock. Pure: takes `now`.
 */
export const SLA_STATES = ['ok', 'warning', 'breached', 'paused', 'met', 'missed'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** States only open tickets can be in (the backlog, not the history, is read for them). */
export const OPEN_SLA_STATES: ReadonlySet<SlaState> = new Set(['ok', 'warning', 'breached', 'paused']);

export function slaState(ticket: Ticket, now: Date, config: SlaConfig): SlaState | undefined {
  const status = ticketSlaStatus(ticket, now, config, 'en');
  if (!status) return undefined;
  const targets = [status.firstResponse, status.resolution];
  const breached = targets.some((t) => t.breached);
  if (!(OPEN_STATUSES as readonly string[]).includes(ticket.status)) return breached ? 'missed' : 'met';
  if (breached) return 'breached';
  if (status.paused) return 'paused';
  const warnAt = Math.min(...config.reminderFractions, 1);
  return targets.some((t) => t.phase === 'running' && t.fractionElapsed >= warnAt) ? 'warning' : 'ok';
}
