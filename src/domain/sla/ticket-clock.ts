/**
 * How a ticket's SLA clock follows its status changes. Pure: called by
 * `applyAction` with the ticket before and after the change.
 */
import type { Ticket } from '../ticket/ticket';
import { changePriority, pause, recordFirstResponse, resolve, resume, type SlaClockState, startClock } from './clock';

export function clockAfterChange(before: Ticket, after: Ticket, now: Date): SlaClockState | undefined {
  let clock = before.sla;
  if (!clock) return undefined;
  if (before.status === 'resolved' && after.status !== 'resolved' && after.status !== 'closed') {
    // Reopened: a fresh resolution clock (its first response counts as given), on a new plan version so no old key repeats.
    const fresh = startClock(now, after.priority);
    return { ...fresh, firstRespondedAt: now.getTime(), planVersion: clock.planVersion + 1 };
  }
  if (after.priority !== before.priority) clock = changePriority(clock, now, after.priority);
  if (after.firstResponseAt && !before.firstResponseAt) clock = recordFirstResponse(clock, now);
  if (after.status === 'waiting_on_requester' && before.status !== 'waiting_on_requester') clock = pause(clock, now);
  if (before.status === 'waiting_on_requester' && after.status !== 'waiting_on_requester') clock = resume(clock, now);
  if ((after.status === 'resolved' || after.status === 'closed') && before.status !== 'resolved' && before.status !== 'closed') clock = resolve(clock, now);
  return clock;
}
