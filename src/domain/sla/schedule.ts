/**
 * Notification planning: reminders at fractions of each target and escalation levels
 * after a breach, as plain events with idempotency keys.
 *
 * Keys: `${ticketId}:${target}:reminder:${fraction}:${planVersion}` and
 * `${ticketId}:${target}:escalation:${level}:${planVersion}`. They are identical when the
 * plan is recomputed for an unchanged clock (a job that runs twice is detected by its key
 * being in `alreadySentKeys`), and change when the clock is re-planned (pause, resume,
 * priority change), so a job scheduled under an old plan finds its key missing from the
 * current plan and is known to be stale. Workers should call `dueNotifications` on a fresh
 * plan rather than trusting a job's stored fire time.
 *
 * Every event fires when the ticket's elapsed clock time (pauses excluded, measured on the
 * target's clock) reaches a threshold: `fraction x target` for reminders and
 * `target + offset` for escalations, so escalation offsets are business time for business
 * targets and wall-clock time for 24x7 targets.
 */
import type { Calendar } from './calendar';
import { instantAtElapsed, isPaused, isResolved, type SlaClockState } from './clock';
import { REQUESTER_MANAGER } from './config-schema';
import type { Directory, EscalationLevel, ResolvedPolicy } from './policy';
import { TARGET_KINDS, targetMs, type TargetKind } from './targets';

export type Recipient =
  | { readonly kind: 'assignee'; readonly userId: string }
  | { readonly kind: 'agent_channel' }
  | { readonly kind: 'user'; readonly userId: string };

export interface PlannedNotification {
  readonly key: string;
  readonly kind: 'reminder' | 'escalation';
  readonly target: TargetKind;
  readonly fireAt: Date;
  readonly recipient: Recipient;
  /** Escalation level (1-based) for escalations. */
  readonly level?: number;
  /** Fraction of the target for reminders. */
  readonly fraction?: number;
  /** True when a priority change made this threshold already passed: it fires at the change. */
  readonly catchUp?: boolean;
}

export interface NotificationPlan {
  readonly ticketId: string;
  readonly planVersion: number;
  readonly computedAt: Date;
  /** Sorted by fireAt. Includes past-due events of the current plan (see dueNotifications). */
  readonly events: readonly PlannedNotification[];
}

export interface TicketSnapshot {
  readonly ticketId: string;
  readonly requesterId: string;
  readonly assigneeId?: string | undefined;
  readonly clock: SlaClockState;
}

/** Reminders go to the assignee, or to the agent channel while unassigned. */
export function reminderRecipient(assigneeId: string | undefined): Recipient {
  return assigneeId ? { kind: 'assignee', userId: assigneeId } : { kind: 'agent_channel' };
}

/** A level's user, or the requester's manager from the directory (agent channel if none is known). */
export function escalationRecipient(notify: string, requesterId: string, directory: Directory): Recipient {
  if (notify !== REQUESTER_MANAGER) return { kind: 'user', userId: notify };
  const manager = directory.managers[requesterId];
  return manager ? { kind: 'user', userId: manager } : { kind: 'agent_channel' };
}

interface Candidate extends Omit<PlannedNotification, 'fireAt' | 'key' | 'catchUp'> {
  readonly threshold: number;
  readonly id: string;
}

/**
 * The current plan. Paused or resolved clocks plan nothing; a met first response stops its
 * reminders and escalations; an acknowledged escalation stops later levels of its target.
 * Thresholds crossed before the last re-plan belong to an older plan and are dropped, except
 * after a priority change: then the newest crossed reminder and every crossed escalation
 * level fire at the change instant (catch-up), since the new targets were never notified.
 */
export function planNotifications(
  ticket: TicketSnapshot,
  now: Date,
  policy: ResolvedPolicy,
  cal: Calendar,
  escalationChain: readonly EscalationLevel[],
  directory: Directory,
): NotificationPlan {
  const { clock } = ticket;
  const events: PlannedNotification[] = [];
  const plan = { ticketId: ticket.ticketId, planVersion: clock.planVersion, computedAt: now };
  if (isPaused(clock) || isResolved(clock)) return { ...plan, events };

  for (const target of TARGET_KINDS) {
    if (target === 'first_response' && clock.firstRespondedAt !== undefined) continue;
    const spec = target === 'first_response' ? policy.firstResponse : policy.resolution;
    const total = targetMs(spec, cal);
    const candidates: Candidate[] = [
      ...policy.reminderFractions.map((fraction) => ({
        kind: 'reminder' as const,
        target,
        id: String(fraction),
        fraction,
        threshold: fraction * total,
        recipient: reminderRecipient(ticket.assigneeId),
      })),
      ...escalationChain
        .filter((lvl) => lvl.on === target)
        .map((lvl) => ({
          kind: 'escalation' as const,
          target,
          id: String(lvl.level),
          level: lvl.level,
          threshold: total + lvl.afterMs,
          recipient: escalationRecipient(lvl.notify, ticket.requesterId, directory),
        })),
    ];
    const ackedAt = clock.escalationAckedAt?.[target];
    let latestCrossedReminder: PlannedNotification | undefined;
    for (const { threshold, id, ...event } of candidates) {
      const at = instantAtElapsed(clock, threshold, spec.clock, cal);
      if (!at) continue;
      if (event.kind === 'escalation' && ackedAt !== undefined && at.getTime() > ackedAt) continue;
      const key = `${ticket.ticketId}:${target}:${event.kind}:${id}:${clock.planVersion}`;
      if (at.getTime() >= clock.plannedFrom) {
        events.push({ ...event, key, fireAt: at });
      } else if (clock.replanReason === 'priority_change') {
        const caught: PlannedNotification = { ...event, key, fireAt: new Date(clock.plannedFrom), catchUp: true };
        if (event.kind === 'escalation') events.push(caught);
        else if ((latestCrossedReminder?.fraction ?? -1) < (event.fraction ?? 0)) latestCrossedReminder = caught;
      }
    }
    if (latestCrossedReminder) events.push(latestCrossedReminder);
  }
  events.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.key.localeCompare(b.key));
  return { ...plan, events };
}

/** Events of `plan` due at `now` (fireAt <= now) and not yet sent, oldest first. */
export function dueNotifications(plan: NotificationPlan, now: Date, alreadySentKeys: ReadonlySet<string> | readonly string[]): PlannedNotification[] {
  const sent = alreadySentKeys instanceof Set ? alreadySentKeys : new Set(alreadySentKeys);
  return plan.events.filter((e) => e.fireAt.getTime() <= now.getTime() && !sent.has(e.key));
}

/** The next instant something should fire after `now`, for scheduling a wake-up; null if none. */
export function nextFireAt(plan: NotificationPlan, now: Date): Date | null {
  const next = plan.events.find((e) => e.fireAt.getTime() > now.getTime());
  return next ? next.fireAt : null;
}
