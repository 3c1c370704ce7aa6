import { OPEN_STATUSES, type Ticket } from '../ticket/ticket';
import type { SlaConfig } from './policy';
import { ticketSlaStatus } from './ticket-sla';

/**
 * A ticket's SLA in one word (the REST API's `sla` filter):
 * - `breached`: a target is past due (still open), or was missed (resolved late);
 * - `paused`: open and waiting on the requester, nothing breached;
 * - `warning`: open, a running target past the first reminder (e.g. 75 % used);
 * - `ok`: open, on time, under the first reminder;
 * - `met`: resolved or closed with both targets met.
 * Undefined for a ticket without an SLA clock. Pure: takes `now`.
 */
export const SLA_STATES = ['ok', 'warning', 'breached', 'paused', 'met'] as const;
export type SlaState = (typeof SLA_STATES)[number];

/** States only open tickets can be in. */
export const OPEN_SLA_STATES: ReadonlySet<SlaState> = new Set(['ok', 'warning', 'paused']);

export function slaState(ticket: Ticket, now: Date, config: SlaConfig): SlaState | undefined {
  const status = ticketSlaStatus(ticket, now, config, 'en');
  if (!status) return undefined;
  const targets = [status.firstResponse, status.resolution];
  if (targets.some((t) => t.breached)) return 'breached';
  if (!(OPEN_STATUSES as readonly string[]).includes(ticket.status)) return 'met';
  if (status.paused) return 'paused';
  const warnAt = Math.min(...config.reminderFractions, 1);
  return targets.some((t) => t.phase === 'running' && t.fractionElapsed >= warnAt) ? 'warning' : 'ok';
}
