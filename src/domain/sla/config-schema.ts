/**
 * zod schemas for the raw `sla` configuration section, as an admin writes it:
 *
 * ```yaml
 * sla:
 *   defaultCalendar: emea              # default: 24x7
 *   calendars:
 *     emea:
 *       timezone: Europe/Berlin
 *       hours: { mon: ["09:00-12:00", "13:00-18:00"], tue: ["09:00-17:00"] }
 *       holidays: ["2025-12-25"]
 *       specialDays: { "2025-09-28": ["09:00-18:00"] }   # e.g. a make-up working Saturday
 *       businessDayHours: 8            # optional, default: longest working day
 *   policies: { P2: { firstResponse: 4bh, resolution: 3bd } }   # overrides built-in defaults
 *   teams:
 *     billing:
 *       calendar: emea
 *       policies: { P1: { resolution: 6h } }
 *       escalation:
 *         - { after: 0m, notify: U_LEAD }                  # on: resolution (default)
 *         - { after: 1h, notify: requester_manager }
 *   ticketTypes: { incident: { policies: { P1: { firstResponse: 30m } } } }
 *   reminders: { fractions: [0.75, 1.0] }
 *   escalation: [...]                  # chain for teams without their own
 *   directory: { managers: { U_ALICE: U_BOB }, knownUsers: [U_ALICE, U_BOB, U_LEAD] }
 * ```
 *
 * Leaf-level checks (formats, ranges, overlaps, duplicates) live here; cross-references
 * (calendar names, escalation recipients) are checked in policy.ts.
 */
import { IANAZone, DateTime } from 'luxon';
import { z } from 'zod';
import { parseTarget, type SlaTarget } from './targets';

const HHMM = '(?:[01]\\d|2[0-3]):[0-5]\\d';
const INTERVAL_RE = new RegExp(`^(${HHMM})-(${HHMM}|24:00)$`);

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** `"09:00-12:00"` -> minutes; undefined when malformed. */
export function parseInterval(text: string): { start: number; end: number } | undefined {
  const m = INTERVAL_RE.exec(text);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  return { start: minutesOf(m[1]), end: minutesOf(m[2]) };
}

const intervalText = z.string().regex(INTERVAL_RE, { error: 'must look like 09:00-17:00 (24-hour HH:MM-HH:MM)' });

const dayHours = z.array(intervalText).superRefine((items, ctx) => {
  const parsed = items.map(parseInterval);
  parsed.forEach((iv, i) => {
    if (!iv) return;
    if (iv.end <= iv.start) {
      ctx.addIssue({ code: 'custom', path: [i], message: `end ${hhmm(iv.end)} is not after start ${hhmm(iv.start)}` });
      return;
    }
    for (let j = 0; j < i; j += 1) {
      const other = parsed[j];
      if (other && other.end > other.start && iv.start < other.end && other.start < iv.end) {
        ctx.addIssue({ code: 'custom', path: [i], message: `overlaps ${hhmm(other.start)}-${hhmm(other.end)}` });
        break;
      }
    }
  });
});

const weekHours = z.strictObject({
  mon: dayHours.optional(),
  tue: dayHours.optional(),
  wed: dayHours.optional(),
  thu: dayHours.optional(),
  fri: dayHours.optional(),
  sat: dayHours.optional(),
  sun: dayHours.optional(),
});

const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s).isValid, {
  error: 'must be a date like 2025-12-25',
});

export const calendarSchema = z
  .strictObject({
    timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), {
      error: (issue) => `unknown time zone ${JSON.stringify(issue.input)}`,
    }),
    hours: weekHours,
    holidays: z.array(isoDate).default([]),
    /** Dates with their own hours, e.g. a make-up working Saturday: { "2025-09-28": ["09:00-18:00"] }. */
    specialDays: z.record(isoDate, dayHours).default({}),
    businessDayHours: z.number().gt(0, { error: 'must be positive' }).lte(24).optional(),
  })
  .superRefine((cal, ctx) => {
    const any = Object.values(cal.hours).some((d) => (d ?? []).length > 0);
    if (!any) ctx.addIssue({ code: 'custom', path: ['hours'], message: 'has no working hours on any day' });
  });

const DURATION_HINT = 'must be a positive duration like 15m, 4h, 2d, 4bh (business hours), 3bd (business days) or { amount, unit, clock }';

function toSlaTarget(v: unknown): SlaTarget | undefined {
  if (typeof v === 'string') {
    const t = parseTarget(v);
    return t && t.amount > 0 ? t : undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { amount, unit, clock, ...extra } = v as Record<string, unknown>;
  if (Object.keys(extra).length > 0 || typeof amount !== 'number' || !(amount > 0) || !Number.isFinite(amount)) return undefined;
  if (unit !== 'minutes' && unit !== 'hours' && unit !== 'days') return undefined;
  if (clock !== 'calendar' && clock !== 'business') return undefined;
  return Object.freeze({ amount, unit, clock });
}

/** `"4bh"` or `{ amount: 4, unit: 'hours', clock: 'business' }` -> SlaTarget. */
export const targetSchema = z.unknown().transform((v, ctx): SlaTarget => {
  const t = toSlaTarget(v);
  if (!t) ctx.addIssue({ code: 'custom', message: DURATION_HINT });
  return t ?? Object.freeze({ amount: 1, unit: 'minutes', clock: 'calendar' });
});

const priorityTargets = z.strictObject({ firstResponse: targetSchema.optional(), resolution: targetSchema.optional() });

export const policiesSchema = z.strictObject({
  P0: priorityTargets.optional(),
  P1: priorityTargets.optional(),
  P2: priorityTargets.optional(),
  P3: priorityTargets.optional(),
});

export const OFFSET_PATTERN = /^(\d+(?:\.\d+)?)\s*(m|h)$/;

export function offsetMs(text: string): number {
  const m = OFFSET_PATTERN.exec(text.trim());
  return m ? Number(m[1]) * (m[2] === 'h' ? 3_600_000 : 60_000) : NaN;
}

export const REQUESTER_MANAGER = 'requester_manager';

const escalationLevel = z.strictObject({
  after: z.string().regex(OFFSET_PATTERN, { error: 'must be an offset after the breach like 0m, 30m, 1h' }),
  notify: z.string().min(1, { error: 'must be a user id or requester_manager' }),
  on: z.enum(['resolution', 'first_response']).default('resolution'),
});

export const escalationSchema = z.array(escalationLevel).superRefine((levels, ctx) => {
  levels.forEach((lvl, i) => {
    for (let j = i - 1; j >= 0; j -= 1) {
      const prev = levels[j];
      if (!prev || prev.on !== lvl.on) continue;
      const [a, b] = [offsetMs(prev.after), offsetMs(lvl.after)];
      if (a === b) ctx.addIssue({ code: 'custom', path: [i], message: `duplicates level ${j + 1} (same ${lvl.on} offset ${lvl.after})` });
      else if (b < a) ctx.addIssue({ code: 'custom', path: [i, 'after'], message: `must be later than level ${j + 1} (${prev.after})` });
      break;
    }
  });
});

const fraction = z.number().refine((f) => f > 0 && f <= 2, { error: 'must be in (0, 2]' });

export const slaConfigSchema = z.strictObject({
  defaultCalendar: z.string().min(1).default('24x7'),
  calendars: z.record(z.string(), calendarSchema).default({}),
  policies: policiesSchema.default({}),
  teams: z
    .record(
      z.string(),
      z.strictObject({
        calendar: z.string().min(1).optional(),
        policies: policiesSchema.default({}),
        escalation: escalationSchema.optional(),
      }),
    )
    .default({}),
  ticketTypes: z.record(z.string(), z.strictObject({ policies: policiesSchema.default({}) })).default({}),
  reminders: z
    .strictObject({
      fractions: z.array(fraction).superRefine((fs, ctx) => {
        fs.forEach((f, i) => {
          if (fs.indexOf(f) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `duplicates ${f}` });
        });
      }),
    })
    .optional(),
  escalation: escalationSchema.default([]),
  directory: z
    .strictObject({
      managers: z.record(z.string(), z.string().min(1)).default({}),
      knownUsers: z.array(z.string().min(1)).optional(),
    })
    .default({ managers: {} }),
});

export type RawSlaConfig = z.input<typeof slaConfigSchema>;
export type ParsedSlaConfig = z.output<typeof slaConfigSchema>;
