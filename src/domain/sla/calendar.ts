/**
 * Business calendars: working hours per weekday in an IANA time zone, plus holidays.
 *
 * All functions are pure (instants in, instants out). Wall times are interpreted in the
 * calendar's zone with luxon, so DST transitions are handled: a 09:00-17:00 day is 8 real
 * hours on either side of a DST change, and an interval that spans a transition counts the
 * real elapsed time (e.g. 00:00-04:00 on a fall-back night is 5 h).
 *
 * Performance: work is done one local day at a time (never minute by minute), and each
 * day's working intervals are converted to UTC instants once and memoized per calendar
 * object (bounded cache), so evaluating thousands of tickets mostly hits the cache.
 */
import { DateTime } from 'luxon';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A working interval in minutes since local midnight, `0 <= start < end <= 1440`. */
export interface WorkInterval {
  readonly start: number;
  readonly end: number;
}

export interface Calendar {
  readonly id: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  readonly zone: string;
  /** Working intervals per weekday, sorted and non-overlapping. Empty array = closed. */
  readonly hours: Readonly<Record<Weekday, readonly WorkInterval[]>>;
  /** Closed dates, `YYYY-MM-DD` in the calendar's zone. */
  readonly holidays: readonly string[];
  /** Dates with special hours (e.g. make-up working Saturdays); they win over weekday hours and holidays. */
  readonly specialDays: Readonly<Record<string, readonly WorkInterval[]>>;
  /** Length of one "business day" in ms (see {@link makeCalendar}). */
  readonly businessDayMs: number;
  /** True when open 24 h every day with no holidays: business time == wall-clock time. */
  readonly alwaysOpen: boolean;
}

export interface CalendarInput {
  id: string;
  zone: string;
  hours: Partial<Record<Weekday, readonly WorkInterval[]>>;
  holidays?: readonly string[];
  specialDays?: Readonly<Record<string, readonly WorkInterval[]>>;
  /** Overrides the business-day length; default = the longest working day of the week. */
  businessDayMs?: number;
}

const MINUTE = 60_000;
const DAY_MS = 86_400_000;
/** Guard against calendars with no working time at all in the searched range. */
const MAX_SCAN_DAYS = 366 * 30;

/** Normalizes (sorts) and freezes a calendar. Assumes input was validated (see policy.ts). */
export function makeCalendar(input: CalendarInput): Calendar {
  const hours = {} as Record<Weekday, readonly WorkInterval[]>;
  let longestDay = 0;
  for (const day of WEEKDAYS) {
    const list = [...(input.hours[day] ?? [])].map((iv) => Object.freeze({ start: iv.start, end: iv.end })).sort((x, y) => x.start - y.start);
    hours[day] = Object.freeze(list);
    longestDay = Math.max(longestDay, list.reduce((sum, iv) => sum + (iv.end - iv.start), 0) * MINUTE);
  }
  const holidays = Object.freeze([...new Set(input.holidays ?? [])].sort());
  const specialDays: Record<string, readonly WorkInterval[]> = {};
  for (const [date, list] of Object.entries(input.specialDays ?? {})) {
    specialDays[date] = Object.freeze([...list].map((iv) => Object.freeze({ ...iv })).sort((x, y) => x.start - y.start));
  }
  const alwaysOpen =
    holidays.length === 0 &&
    Object.keys(specialDays).length === 0 &&
    WEEKDAYS.every((d) => hours[d].length === 1 && hours[d][0]?.start === 0 && hours[d][0]?.end === 1440);
  return Object.freeze({
    id: input.id,
    zone: input.zone,
    hours: Object.freeze(hours),
    holidays,
    specialDays: Object.freeze(specialDays),
    businessDayMs: input.businessDayMs ?? longestDay,
    alwaysOpen,
  });
}

const FULL_DAY = [{ start: 0, end: 1440 }] as const;
/** Open around the clock (UTC; the zone is irrelevant when always open). */
export const CALENDAR_24X7: Calendar = makeCalendar({
  id: '24x7',
  zone: 'UTC',
  hours: { mon: FULL_DAY, tue: FULL_DAY, wed: FULL_DAY, thu: FULL_DAY, fri: FULL_DAY, sat: FULL_DAY, sun: FULL_DAY },
});

// ---------------------------------------------------------------------------
// Per-day cache: local day number (days since 1970-01-01 in the zone) -> instants.

interface DayRecord {
  /** Instant of local midnight starting this day. */
  readonly start: number;
  /** Working intervals as UTC epoch ms, flat [s0, e0, s1, e1, ...], ascending. */
  readonly iv: readonly number[];
}

interface CalendarCache {
  days: Map<number, DayRecord>;
  holidays: ReadonlySet<string>;
}

const MAX_CACHED_DAYS = 20_000;
const caches = new WeakMap<Calendar, CalendarCache>();

function cacheFor(cal: Calendar): CalendarCache {
  let c = caches.get(cal);
  if (!c) {
    c = { days: new Map(), holidays: new Set(cal.holidays) };
    caches.set(cal, c);
  }
  return c;
}

function civil(dayNum: number): { year: number; month: number; day: number } {
  const d = new Date(dayNum * DAY_MS); // pure arithmetic on a fixed instant, no clock read
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function isoDate(c: { year: number; month: number; day: number }): string {
  return `${String(c.year).padStart(4, '0')}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
}

/** Instant of a local wall time `minutes` after midnight of civil date `c` (1440 = next midnight). */
function localInstant(c: { year: number; month: number; day: number }, minutes: number, zone: string): number {
  const base = DateTime.fromObject({ year: c.year, month: c.month, day: c.day }, { zone });
  if (minutes === 0) return base.toMillis();
  if (minutes === 1440) return base.plus({ days: 1 }).startOf('day').toMillis();
  return DateTime.fromObject({ year: c.year, month: c.month, day: c.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone }).toMillis();
}

function dayRecord(cal: Calendar, dayNum: number): DayRecord {
  const cache = cacheFor(cal);
  const hit = cache.days.get(dayNum);
  if (hit) return hit;
  const c = civil(dayNum);
  const weekday = WEEKDAYS[(((dayNum + 3) % 7) + 7) % 7] as Weekday; // 1970-01-01 was a Thursday
  const iv: number[] = [];
  const date = isoDate(c);
  const hours = cal.specialDays[date] ?? (cache.holidays.has(date) ? [] : cal.hours[weekday]);
  let prevEnd = -Infinity;
  for (const w of hours) {
    // Nonexistent wall times (spring-forward gap) are shifted forward by luxon; clamp so
    // intervals stay ordered and never negative.
    const s = Math.max(localInstant(c, w.start, cal.zone), prevEnd);
    const e = Math.max(localInstant(c, w.end, cal.zone), s);
    if (e > s) iv.push(s, e);
    prevEnd = e;
  }
  const rec: DayRecord = { start: localInstant(c, 0, cal.zone), iv };
  if (cache.days.size >= MAX_CACHED_DAYS) cache.days.clear();
  cache.days.set(dayNum, rec);
  return rec;
}

/** Local day number containing instant `t` (zone offsets are within ±1 day of UTC). */
function dayOf(cal: Calendar, t: number): number {
  let d = Math.floor(t / DAY_MS);
  while (dayRecord(cal, d).start > t) d -= 1;
  while (dayRecord(cal, d + 1).start <= t) d += 1;
  return d;
}

/** True when `t` falls inside a working interval (start inclusive, end exclusive). */
export function isBusinessTime(t: Date, cal: Calendar): boolean {
  if (cal.alwaysOpen) return true;
  const ms = t.getTime();
  const { iv } = dayRecord(cal, dayOf(cal, ms));
  for (let i = 0; i < iv.length; i += 2) {
    if (ms >= (iv[i] as number) && ms < (iv[i + 1] as number)) return true;
  }
  return false;
}

/**
 * The instant at which `ms` of business time has elapsed after `start`.
 * An exact fit ends at the close of an interval (Fri 13:00 + 4 h on 09:00-17:00 -> Fri 17:00).
 * `ms <= 0` returns `start` unchanged.
 */
export function addBusinessTime(start: Date, ms: number, cal: Calendar): Date {
  const t0 = start.getTime();
  if (ms <= 0) return new Date(t0);
  if (cal.alwaysOpen) return new Date(t0 + ms);
  let remaining = ms;
  const firstDay = dayOf(cal, t0);
  for (let day = firstDay; day < firstDay + MAX_SCAN_DAYS; day += 1) {
    const { iv } = dayRecord(cal, day);
    for (let i = 0; i < iv.length; i += 2) {
      const e = iv[i + 1] as number;
      if (e <= t0) continue;
      const from = Math.max(iv[i] as number, t0);
      const available = e - from;
      if (available >= remaining) return new Date(from + remaining);
      remaining -= available;
    }
  }
  throw new RangeError(`calendar ${cal.id} has no working time in the next ${MAX_SCAN_DAYS} days`);
}

/**
 * Business time (ms) between `a` and `b`. Signed: negative when `b` is before `a`.
 */
export function businessTimeBetween(a: Date, b: Date, cal: Calendar): number {
  const ta = a.getTime();
  const tb = b.getTime();
  if (tb < ta) return -businessTimeBetween(b, a, cal);
  if (cal.alwaysOpen) return tb - ta;
  let total = 0;
  const lastDay = dayOf(cal, tb);
  for (let day = dayOf(cal, ta); day <= lastDay; day += 1) {
    const { iv } = dayRecord(cal, day);
    for (let i = 0; i < iv.length; i += 2) {
      const s = Math.max(iv[i] as number, ta);
      const e = Math.min(iv[i + 1] as number, tb);
      if (e > s) total += e - s;
    }
  }
  return total;
}
