/**
 * A ticket's SLA clock as plain, JSON-safe data (instants are epoch ms) and pure transitions.
 *
 * The clock is a list of "runs" (periods when it was ticking). Pausing (ticket waiting on
 * the requester) closes the current run, resuming opens a new one, so elapsed time under
 * any measure (wall-clock or business time of a calendar) is the sum over runs. Because
 * transitions never need the calendar, a priority change simply swaps the target: elapsed
 * time so far is kept and the new target applies.
 *
 * `planVersion` increments whenever the notification plan must be rebuilt (pause, resume,
 * priority change); it is part of every notification idempotency key (see schedule.ts).
 * Transitions that do not apply (pausing a paused clock, anything after resolve) return
 * the same state object, so callers can detect a no-op with `===`.
 */
import type { Priority } from '../../ai/classifier.port';
import { addBusinessTime, businessTimeBetween, type Calendar } from './calendar';
import type { SlaClock, TargetKind } from './targets';

export interface SlaRun {
  readonly from: number;
  /** Absent while the run is open (clock ticking). */
  readonly to?: number;
}

export type ReplanReason = 'start' | 'pause' | 'resume' | 'priority_change';

export interface SlaClockState {
  readonly priority: Priority;
  readonly startedAt: number;
  readonly runs: readonly SlaRun[];
  /** Set while paused (waiting on the requester). */
  readonly pausedAt?: number;
  readonly firstRespondedAt?: number;
  readonly resolvedAt?: number;
  /** When an escalation was acknowledged, per target: no later levels fire. */
  readonly escalationAckedAt?: Readonly<Partial<Record<TargetKind, number>>>;
  readonly planVersion: number;
  /** Instant of the last re-plan and why; notifications before it belong to older plans. */
  readonly plannedFrom: number;
  readonly replanReason: ReplanReason;
}

const ms = (d: Date) => d.getTime();

export function startClock(now: Date, priority: Priority): SlaClockState {
  const t = ms(now);
  return { priority, startedAt: t, runs: [{ from: t }], planVersion: 1, plannedFrom: t, replanReason: 'start' };
}

/** Latest instant recorded in the state; `now` is clamped to it so runs never go backwards. */
function clampNow(state: SlaClockState, now: Date): number {
  const last = state.runs[state.runs.length - 1];
  return Math.max(ms(now), last?.to ?? last?.from ?? state.startedAt, state.pausedAt ?? -Infinity);
}

function closeRun(runs: readonly SlaRun[], t: number): readonly SlaRun[] {
  const last = runs[runs.length - 1];
  if (!last || last.to !== undefined) return runs;
  return [...runs.slice(0, -1), { from: last.from, to: t }];
}

export const isPaused = (s: SlaClockState) => s.pausedAt !== undefined;
export const isResolved = (s: SlaClockState) => s.resolvedAt !== undefined;

/** Ticket goes to waiting_on_requester: the clock stops. */
export function pause(state: SlaClockState, now: Date): SlaClockState {
  if (isPaused(state) || isResolved(state)) return state;
  const t = clampNow(state, now);
  return { ...state, runs: closeRun(state.runs, t), pausedAt: t, planVersion: state.planVersion + 1, plannedFrom: t, replanReason: 'pause' };
}

/** The requester answered: the clock runs again with the remaining time it had. */
export function resume(state: SlaClockState, now: Date): SlaClockState {
  if (!isPaused(state) || isResolved(state)) return state;
  const t = clampNow(state, now);
  const { pausedAt: _dropped, ...rest } = state;
  // A priority change made while paused was never planned: keep its catch-up semantics.
  const replanReason: ReplanReason = state.replanReason === 'priority_change' ? 'priority_change' : 'resume';
  return { ...rest, runs: [...state.runs, { from: t }], planVersion: state.planVersion + 1, plannedFrom: t, replanReason };
}

/** Re-plans with the new priority's targets; elapsed time is kept. */
export function changePriority(state: SlaClockState, now: Date, priority: Priority): SlaClockState {
  if (state.priority === priority || isResolved(state)) return state;
  const t = clampNow(state, now);
  return { ...state, priority, planVersion: state.planVersion + 1, plannedFrom: t, replanReason: 'priority_change' };
}

export function recordFirstResponse(state: SlaClockState, now: Date): SlaClockState {
  if (state.firstRespondedAt !== undefined || isResolved(state)) return state;
  return { ...state, firstRespondedAt: clampNow(state, now) };
}

/** An escalation for `target` was acknowledged: later escalation levels of that target stop. */
export function acknowledgeEscalation(state: SlaClockState, now: Date, target: TargetKind = 'resolution'): SlaClockState {
  if (state.escalationAckedAt?.[target] !== undefined || isResolved(state)) return state;
  return { ...state, escalationAckedAt: { ...state.escalationAckedAt, [target]: clampNow(state, now) } };
}

/** Stops everything. A ticket resolved without a recorded first response counts as responded. */
export function resolve(state: SlaClockState, now: Date): SlaClockState {
  if (isResolved(state)) return state;
  const t = clampNow(state, now);
  return { ...state, runs: closeRun(state.runs, t), resolvedAt: t, firstRespondedAt: state.firstRespondedAt ?? t };
}

// ---------------------------------------------------------------------------
// Measuring elapsed time over the runs.

function measure(a: number, b: number, clock: SlaClock, cal: Calendar): number {
  return clock === 'calendar' ? b - a : businessTimeBetween(new Date(a), new Date(b), cal);
}

/** Clock time (ms of `clock`) elapsed up to `until`, pauses excluded. */
export function elapsedMs(state: SlaClockState, until: Date, clock: SlaClock, cal: Calendar): number {
  const u = ms(until);
  let total = 0;
  for (const run of state.runs) {
    if (run.from >= u) break;
    total += measure(run.from, Math.min(run.to ?? u, u), clock, cal);
  }
  return total;
}

/**
 * The instant at which elapsed clock time reaches `threshold`, or null if it has not been
 * reached and the clock is not running (paused or resolved).
 */
export function instantAtElapsed(state: SlaClockState, threshold: number, clock: SlaClock, cal: Calendar): Date | null {
  let acc = 0;
  for (const run of state.runs) {
    const rest = threshold - acc;
    const len = run.to === undefined ? Infinity : measure(run.from, run.to, clock, cal);
    if (len >= rest) {
      return clock === 'calendar' ? new Date(run.from + Math.max(rest, 0)) : addBusinessTime(new Date(run.from), rest, cal);
    }
    acc += len;
  }
  return null;
}
