import { CALENDAR_24X7, addBusinessTime, businessTimeBetween, isBusinessTime, validateSlaConfig } from '../../../src/domain/sla';
import { HOUR, MINUTE, at, calendarWith, local, weekdayCalendar } from './helpers';

const BERLIN = 'Europe/Berlin';
const NY = 'America/New_York';
const SHANGHAI = 'Asia/Shanghai';

describe('business calendar', () => {
  const nineToFive = weekdayCalendar(BERLIN, ['09:00-17:00']);
  const nineToSix = weekdayCalendar(BERLIN, ['09:00-18:00']);

  it('skips the weekend: 4 business hours from Friday 17:55 on 09:00-18:00 is Monday 12:55', () => {
    const due = addBusinessTime(at('2025-03-07T17:55', BERLIN), 4 * HOUR, nineToSix);
    expect(local(due, BERLIN)).toBe('2025-03-10T12:55 Mon');
  });

  it('a ticket opened after closing on Friday (17:55, 09:00-17:00) starts counting Monday 09:00', () => {
    const due = addBusinessTime(at('2025-03-07T17:55', BERLIN), 4 * HOUR, nineToFive);
    expect(local(due, BERLIN)).toBe('2025-03-10T13:00 Mon');
  });

  it('counts business time across a weekend', () => {
    const ms = businessTimeBetween(at('2025-03-07T15:00', BERLIN), at('2025-03-10T10:30', BERLIN), nineToFive);
    expect(ms).toBe(3.5 * HOUR);
    expect(businessTimeBetween(at('2025-03-10T10:30', BERLIN), at('2025-03-07T15:00', BERLIN), nineToFive)).toBe(-3.5 * HOUR);
  });

  it('an exact fit ends at closing time on the same day', () => {
    expect(local(addBusinessTime(at('2025-03-07T13:00', BERLIN), 4 * HOUR, nineToFive), BERLIN)).toBe('2025-03-07T17:00 Fri');
  });

  it('skips holidays', () => {
    const cal = weekdayCalendar(BERLIN, ['09:00-17:00'], ['2025-12-24', '2025-12-25', '2025-12-26']);
    const due = addBusinessTime(at('2025-12-23T15:00', BERLIN), 4 * HOUR, cal);
    expect(local(due, BERLIN)).toBe('2025-12-29T11:00 Mon');
    expect(isBusinessTime(at('2025-12-25T10:00', BERLIN), cal)).toBe(false);
    expect(businessTimeBetween(at('2025-12-23T09:00', BERLIN), at('2025-12-29T09:00', BERLIN), cal)).toBe(8 * HOUR);
  });

  it('skips the gap between several intervals in a day (lunch break)', () => {
    const cal = weekdayCalendar(BERLIN, ['09:00-12:00', '13:00-18:00']);
    expect(local(addBusinessTime(at('2025-03-10T11:00', BERLIN), 2 * HOUR, cal), BERLIN)).toBe('2025-03-10T14:00 Mon');
    expect(isBusinessTime(at('2025-03-10T12:30', BERLIN), cal)).toBe(false);
    expect(isBusinessTime(at('2025-03-10T13:00', BERLIN), cal)).toBe(true);
    expect(isBusinessTime(at('2025-03-10T18:00', BERLIN), cal)).toBe(false);
    expect(businessTimeBetween(at('2025-03-10T00:00', BERLIN), at('2025-03-11T00:00', BERLIN), cal)).toBe(8 * HOUR);
  });

  describe('DST', () => {
    it('Europe/Berlin spring-forward: office hours keep local wall time across the weekend', () => {
      // Clocks go 02:00 -> 03:00 on Sunday 2025-03-30; Friday is UTC+1, Monday is UTC+2.
      const due = addBusinessTime(at('2025-03-28T16:00', BERLIN), 2 * HOUR, nineToFive);
      expect(local(due, BERLIN)).toBe('2025-03-31T10:00 Mon');
      expect(due.toISOString()).toBe('2025-03-31T08:00:00.000Z');
      expect(businessTimeBetween(at('2025-03-28T09:00', BERLIN), at('2025-03-31T17:00', BERLIN), nineToFive)).toBe(16 * HOUR);
    });

    it('Europe/Berlin: a 00:00-06:00 Sunday shift is 5 real hours in spring and 7 in autumn', () => {
      const cal = calendarWith(BERLIN, { sun: ['00:00-06:00'] });
      expect(businessTimeBetween(at('2025-03-29T12:00', BERLIN), at('2025-03-31T12:00', BERLIN), cal)).toBe(5 * HOUR);
      expect(businessTimeBetween(at('2025-10-25T12:00', BERLIN), at('2025-10-27T12:00', BERLIN), cal)).toBe(7 * HOUR);
      // 4 h into the spring-forward shift is 05:00 local (01:00 -> 03:00 skips an hour).
      expect(local(addBusinessTime(at('2025-03-30T00:00', BERLIN), 4 * HOUR, cal), BERLIN)).toBe('2025-03-30T05:00 Sun');
      expect(isBusinessTime(at('2025-03-30T05:59', BERLIN), cal)).toBe(true);
    });

    it('America/New_York spring-forward and fall-back', () => {
      const cal = calendarWith(NY, { sun: ['00:00-04:00'], mon: ['09:00-17:00'] });
      expect(businessTimeBetween(at('2025-03-08T12:00', NY), at('2025-03-09T23:00', NY), cal)).toBe(3 * HOUR);
      expect(businessTimeBetween(at('2025-11-01T12:00', NY), at('2025-11-02T23:00', NY), cal)).toBe(5 * HOUR);
      // 6 h starting at Sunday 00:00 on fall-back night: 5 h on Sunday, 1 h on Monday.
      expect(local(addBusinessTime(at('2025-11-02T00:00', NY), 6 * HOUR, cal), NY)).toBe('2025-11-03T10:00 Mon');
      const friToMon = weekdayCalendar(NY, ['09:00-17:00']);
      const due = addBusinessTime(at('2025-10-31T16:30', NY), HOUR, friToMon);
      expect(local(due, NY)).toBe('2025-11-03T09:30 Mon');
      expect(due.toISOString()).toBe('2025-11-03T14:30:00.000Z'); // EST, UTC-5
    });
  });

  it('24x7 runs on wall-clock time across midnight', () => {
    const start = new Date('2025-03-07T23:30:00Z');
    expect(addBusinessTime(start, HOUR, CALENDAR_24X7).toISOString()).toBe('2025-03-08T00:30:00.000Z');
    expect(businessTimeBetween(start, new Date('2025-03-10T23:30:00Z'), CALENDAR_24X7)).toBe(72 * HOUR);
    expect(isBusinessTime(new Date('2025-03-09T03:00:00Z'), CALENDAR_24X7)).toBe(true);
  });

  it('a night shift spanning midnight (22:00-24:00 + 00:00-02:00) is continuous', () => {
    const cal = calendarWith(BERLIN, { mon: ['22:00-24:00'], tue: ['00:00-02:00'] });
    expect(local(addBusinessTime(at('2025-03-10T23:00', BERLIN), 2 * HOUR, cal), BERLIN)).toBe('2025-03-11T01:00 Tue');
    expect(businessTimeBetween(at('2025-03-10T12:00', BERLIN), at('2025-03-11T12:00', BERLIN), cal)).toBe(4 * HOUR);
  });

  it('Asia/Shanghai with a lunch break and the National Day holidays', () => {
    const holidays = ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'];
    const cal = weekdayCalendar(SHANGHAI, ['09:00-12:00', '13:00-18:00'], holidays);
    // 1 h on Sep 30, then Oct 9 (Thu): 3 h morning + 1 h after lunch.
    const due = addBusinessTime(at('2025-09-30T17:00', SHANGHAI), 5 * HOUR, cal);
    expect(local(due, SHANGHAI)).toBe('2025-10-09T14:00 Thu');
    expect(due.toISOString()).toBe('2025-10-09T06:00:00.000Z');
  });

  it('Asia/Shanghai make-up working Saturday (调休) from configuration counts as a working day', () => {
    const wd = ['09:00-12:00', '13:00-18:00'];
    const config = validateSlaConfig({
      calendars: {
        cn: {
          timezone: SHANGHAI,
          hours: { mon: wd, tue: wd, wed: wd, thu: wd, fri: wd },
          holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'],
          specialDays: { '2025-09-28': wd, '2025-10-11': wd },
        },
      },
    });
    const cal = config.calendars.cn!;
    // Friday 2025-09-26 17:00 + 2 h: 1 h on Friday, then Sunday 09-28 is a working day.
    expect(local(addBusinessTime(at('2025-09-26T17:00', SHANGHAI), 2 * HOUR, cal), SHANGHAI)).toBe('2025-09-28T10:00 Sun');
    expect(isBusinessTime(at('2025-10-11T10:00', SHANGHAI), cal)).toBe(true);
    expect(isBusinessTime(at('2025-10-01T10:00', SHANGHAI), cal)).toBe(false);
  });

  it('handles zero, sub-minute and very long durations', () => {
    const start = at('2025-03-08T10:00', BERLIN); // Saturday
    expect(addBusinessTime(start, 0, nineToFive).getTime()).toBe(start.getTime());
    expect(local(addBusinessTime(start, 30_000, nineToFive), BERLIN)).toBe('2025-03-10T09:00 Mon');
    // 200 business days of 8 h, from a Monday morning: 40 weeks later (no holidays).
    const far = addBusinessTime(at('2025-01-06T09:00', BERLIN), 200 * 8 * HOUR, nineToFive);
    expect(local(far, BERLIN)).toBe('2025-10-10T17:00 Fri');
    expect(businessTimeBetween(at('2025-01-06T09:00', BERLIN), far, nineToFive)).toBe(200 * 8 * HOUR);
    expect(businessTimeBetween(start, start, nineToFive)).toBe(0);
    expect(businessTimeBetween(at('2025-03-10T09:00', BERLIN), at('2025-03-10T09:01', BERLIN), nineToFive)).toBe(MINUTE);
  });
});
