/**
 * `slaStatus`: where a ticket stands against its first-response and resolution targets.
 */
import type { Calendar } from './calendar';
import { elapsedMs, instantAtElapsed, isPaused, type SlaClockState } from './clock';
import { slaLabel, type SlaLocale } from './labels';
import type { ResolvedPolicy } from './policy';
import { targetMs, type SlaTarget, type TargetKind } from './targets';

export type TargetPhase = 'running' | 'breached' | 'paused' | 'met' | 'missed';

export interface TargetStatus {
  readonly target: TargetKind;
  readonly phase: TargetPhase;
  /** When the target is (or was) due; null while paused before reaching it. */
  readonly dueAt: Date | null;
  /** Target length minus elapsed, in ms of the target's clock (business ms for business targets); <= 0 once used up. */
  readonly remainingMs: number;
  readonly breached: boolean;
  /** elapsed / target; 1 = at the deadline. */
  readonly fractionElapsed: number;
  /** First response / resolution instant once met or missed. */
  readonly completedAt?: Date;
  readonly label: string;
}

export interface SlaStatus {
  readonly priority: ResolvedPolicy['priority'];
  readonly paused: boolean;
  readonly firstResponse: TargetStatus;
  readonly resolution: TargetStatus;
}

function targetStatus(kind: TargetKind, target: SlaTarget, state: SlaClockState, now: Date, cal: Calendar, locale: SlaLocale): TargetStatus {
  const total = targetMs(target, cal);
  const doneAt = kind === 'first_response' ? state.firstRespondedAt : state.resolvedAt;
  const at = doneAt !== undefined ? new Date(doneAt) : now;
  const elapsed = elapsedMs(state, at, target.clock, cal);
  const dueAt = instantAtElapsed(state, total, target.clock, cal);
  const breached = dueAt !== null && at.getTime() > dueAt.getTime();
  const base = { target: kind, dueAt, remainingMs: total - elapsed, breached, fractionElapsed: elapsed / total };
  if (doneAt !== undefined) {
    const lateMs = dueAt ? doneAt - dueAt.getTime() : 0;
    const phase = breached ? 'missed' : 'met';
    const label = breached ? slaLabel({ phase, lateMs }, locale) : slaLabel({ phase: 'met' }, locale);
    return { ...base, phase, completedAt: at, label };
  }
  if (isPaused(state)) return { ...base, phase: 'paused', label: slaLabel({ phase: 'paused', breached }, locale) };
  if (breached && dueAt) {
    // "ago" is wall-clock time, so a target due Friday 17:00 reads "breached 2d 16h ago" on Monday morning.
    const label = slaLabel({ phase: 'breached', overdueMs: now.getTime() - dueAt.getTime() }, locale);
    return { ...base, phase: 'breached', label };
  }
  const label = slaLabel({ phase: 'running', remainingMs: total - elapsed, allowDays: target.clock === 'calendar' }, locale);
  return { ...base, phase: 'running', label };
}

/**
 * Status of both targets at `now`. `policy` must be resolved for the clock's current
 * priority (re-resolve after changePriority); a mismatch throws, as it means a stale policy.
 */
export function slaStatus(state: SlaClockState, now: Date, policy: ResolvedPolicy, cal: Calendar, locale: SlaLocale = 'en'): SlaStatus {
  if (policy.priority !== state.priority) {
    throw new Error(`slaStatus: policy is for ${policy.priority} but the clock is ${state.priority}`);
  }
  return {
    priority: state.priority,
    paused: isPaused(state),
    firstResponse: targetStatus('first_response', policy.firstResponse, state, now, cal, locale),
    resolution: targetStatus('resolution', policy.resolution, state, now, cal, locale),
  };
}
