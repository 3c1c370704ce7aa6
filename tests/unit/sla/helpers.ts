import { DateTime } from 'luxon';
import { makeCalendar, type Calendar, type WorkInterval } from '../../../src/domain/sla';

/** A local wall time in `zone` as an instant: at('2025-03-07T17:55', 'Europe/Berlin'). */
export function at(local: string, zone: string): Date {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad test time ${local}`);
  return dt.toJSDate();
}

/** The instant rendered as local wall time in `zone`, e.g. '2025-03-10T12:55 Mon'. */
export function local(d: Date | null, zone: string): string {
  if (!d) return 'null';
  return DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm ccc");
}

const iv = (text: string): WorkInterval => {
  const [s, e] = text.split('-') as [string, string];
  const min = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3));
  return { start: min(s), end: min(e) };
};

/** Mon-Fri calendar with the given intervals per day. */
export function weekdayCalendar(zone: string, intervals: string[], holidays: string[] = [], id = 'test'): Calendar {
  const day = intervals.map(iv);
  return makeCalendar({ id, zone, hours: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays });
}

export function calendarWith(zone: string, hours: Partial<Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string[]>>): Calendar {
  const out: Record<string, WorkInterval[]> = {};
  for (const [k, v] of Object.entries(hours)) out[k] = (v ?? []).map(iv);
  return makeCalendar({ id: 'custom', zone, hours: out });
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
