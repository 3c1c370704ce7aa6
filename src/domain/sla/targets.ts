/**
 * SLA targets (durations) and the built-in default policy.
 *
 * A target runs either on the `calendar` clock (24x7 wall-clock time) or on the `business`
 * clock (working hours of the team's calendar). In configuration a target is written as a
 * short string: `15m`, `4h`, `2d` (calendar time) or `30bm`, `4bh`, `3bd` (business
 * minutes / hours / days), or as an object `{ amount, unit, clock }`.
 * One business day = the calendar's `businessDayMs` (by default its longest working day,
 * e.g. 8 h for 09:00-17:00).
 */
import type { Priority } from '../../ai/classifier.port';
import type { Calendar } from './calendar';

export type SlaClock = 'calendar' | 'business';
export type DurationUnit = 'minutes' | 'hours' | 'days';
export type TargetKind = 'first_response' | 'resolution';
export const TARGET_KINDS: readonly TargetKind[] = ['first_response', 'resolution'];

export interface SlaTarget {
  readonly clock: SlaClock;
  readonly amount: number;
  readonly unit: DurationUnit;
}

export interface PriorityTargets {
  readonly firstResponse: SlaTarget;
  readonly resolution: SlaTarget;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(m|h|d|bm|bh|bd)$/;

/** Parses `15m`, `4h`, `2d`, `30bm`, `4bh`, `3bd`; undefined when malformed. */
export function parseTarget(text: string): SlaTarget | undefined {
  const m = DURATION_PATTERN.exec(text.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  const suffix = m[2];
  const clock: SlaClock = suffix.startsWith('b') ? 'business' : 'calendar';
  const letter = suffix.slice(-1);
  const unit: DurationUnit = letter === 'm' ? 'minutes' : letter === 'h' ? 'hours' : 'days';
  return Object.freeze({ clock, amount: Number(m[1]), unit });
}

/** Length of a target in ms of its clock (business ms for business targets). */
export function targetMs(target: SlaTarget, cal: Calendar): number {
  switch (target.unit) {
    case 'minutes':
      return target.amount * MINUTE;
    case 'hours':
      return target.amount * HOUR;
    case 'days':
      return target.amount * (target.clock === 'business' ? cal.businessDayMs : DAY);
  }
}

/** Readable form, e.g. `4bh`, used in messages and docs. */
export function formatTarget(target: SlaTarget): string {
  const letter = target.unit === 'minutes' ? 'm' : target.unit === 'hours' ? 'h' : 'd';
  return `${target.amount}${target.clock === 'business' ? 'b' : ''}${letter}`;
}

function t(text: string): SlaTarget {
  const parsed = parseTarget(text);
  if (!parsed) throw new Error(`bad built-in target ${text}`);
  return parsed;
}

/** Built-in defaults; `sla.policies` in configuration overrides them per priority and target. */
export const DEFAULT_POLICIES: Readonly<Record<Priority, PriorityTargets>> = Object.freeze({
  P0: Object.freeze({ firstResponse: t('15m'), resolution: t('4h') }),
  P1: Object.freeze({ firstResponse: t('1h'), resolution: t('8h') }),
  P2: Object.freeze({ firstResponse: t('4bh'), resolution: t('3bd') }),
  P3: Object.freeze({ firstResponse: t('1bd'), resolution: t('5bd') }),
});

export const DEFAULT_REMINDER_FRACTIONS: readonly number[] = Object.freeze([0.75, 1.0]);
