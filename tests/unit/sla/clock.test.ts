import {
  changePriority,
  pause,
  recordFirstResponse,
  resolve,
  resume,
  resolvePolicy,
  slaStatus,
  startClock,
  validateSlaConfig,
  type SlaClockState,
} from '../../../src/domain/sla';
import { HOUR, MINUTE, at, local } from './helpers';

const Z = 'Europe/Berlin';
const config = validateSlaConfig({
  defaultCalendar: 'emea',
  calendars: {
    emea: { timezone: Z, hours: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] } },
  },
});
const cal = config.calendars.emea!;
const status = (s: SlaClockState, now: string, locale: 'en' | 'zh' = 'en') =>
  slaStatus(s, at(now, Z), resolvePolicy({ priority: s.priority }, config), cal, locale);

describe('SLA clock and status', () => {
  it('shows business time left for a P2 ticket (4 business hours to first response)', () => {
    const clock = startClock(at('2025-03-10T10:00', Z), 'P2');
    const s = status(clock, '2025-03-10T12:40');
    expect(local(s.firstResponse.dueAt, Z)).toBe('2025-03-10T14:00 Mon');
    expect(s.firstResponse.remainingMs).toBe(80 * MINUTE);
    expect(s.firstResponse.fractionElapsed).toBeCloseTo(160 / 240);
    expect(s.firstResponse.label).toBe('1h 20m left');
    expect(status(clock, '2025-03-10T12:40', 'zh').firstResponse.label).toBe('剩余 1小时20分');
    // 3 business days of 8 h: Thursday 10:00.
    expect(local(s.resolution.dueAt, Z)).toBe('2025-03-13T10:00 Thu');
    expect(s.resolution.label).toBe('21h 20m left');
  });

  it('a breached wall-clock target says how long ago, in both languages', () => {
    const clock = startClock(at('2025-03-10T10:00', Z), 'P1'); // first response 1 h, 24x7
    const s = status(clock, '2025-03-10T11:45');
    expect(s.firstResponse.breached).toBe(true);
    expect(s.firstResponse.phase).toBe('breached');
    expect(s.firstResponse.remainingMs).toBe(-45 * MINUTE);
    expect(s.firstResponse.label).toBe('breached 45m ago');
    expect(status(clock, '2025-03-10T11:45', 'zh').firstResponse.label).toBe('已超时 45分钟');
  });

  it('a business target due Friday 17:00 reads as breached over the weekend', () => {
    const clock = startClock(at('2025-03-07T13:00', Z), 'P2');
    const s = status(clock, '2025-03-10T09:10');
    expect(local(s.firstResponse.dueAt, Z)).toBe('2025-03-07T17:00 Fri');
    expect(s.firstResponse.breached).toBe(true);
    expect(s.firstResponse.label).toBe('breached 2d 16h ago');
    expect(status(clock, '2025-03-08T12:00').firstResponse.breached).toBe(true);
  });

  it('pause/resume keeps the remaining time (waiting on the requester does not count)', () => {
    let clock = startClock(at('2025-03-10T10:00', Z), 'P2');
    clock = pause(clock, at('2025-03-10T11:00', Z));
    const paused = status(clock, '2025-03-12T14:00');
    expect(paused.paused).toBe(true);
    expect(paused.firstResponse.phase).toBe('paused');
    expect(paused.firstResponse.dueAt).toBeNull();
    expect(paused.firstResponse.remainingMs).toBe(3 * HOUR);
    expect(paused.firstResponse.label).toBe('paused');
    expect(status(clock, '2025-03-12T14:00', 'zh').firstResponse.label).toBe('已暂停');

    clock = resume(clock, at('2025-03-12T15:00', Z)); // Wednesday: 2 h today, 1 h tomorrow
    const resumed = status(clock, '2025-03-12T15:00');
    expect(resumed.firstResponse.remainingMs).toBe(3 * HOUR);
    expect(local(resumed.firstResponse.dueAt, Z)).toBe('2025-03-13T10:00 Thu');
  });

  it('pauses also stop 24x7 targets', () => {
    let clock = startClock(at('2025-03-10T10:00', Z), 'P1');
    clock = pause(clock, at('2025-03-10T10:20', Z));
    clock = resume(clock, at('2025-03-10T12:20', Z));
    expect(local(status(clock, '2025-03-10T12:30').firstResponse.dueAt, Z)).toBe('2025-03-10T13:00 Mon');
  });

  it('a priority change P2 -> P0 keeps elapsed time and applies the new targets', () => {
    let clock = startClock(at('2025-03-10T10:00', Z), 'P2');
    clock = changePriority(clock, at('2025-03-10T10:10', Z), 'P0');
    const s = status(clock, '2025-03-10T10:10');
    expect(s.priority).toBe('P0');
    expect(local(s.firstResponse.dueAt, Z)).toBe('2025-03-10T10:15 Mon');
    expect(s.firstResponse.label).toBe('5m left');
    expect(local(s.resolution.dueAt, Z)).toBe('2025-03-10T14:00 Mon');
    expect(clock.planVersion).toBe(2);

    const late = changePriority(startClock(at('2025-03-10T10:00', Z), 'P2'), at('2025-03-10T10:30', Z), 'P0');
    expect(status(late, '2025-03-10T10:30').firstResponse.label).toBe('breached 15m ago');
    // The caller must re-resolve the policy for the new priority.
    expect(() => slaStatus(late, at('2025-03-10T10:30', Z), resolvePolicy({ priority: 'P2' }, config), cal)).toThrow(/stale|P2/);
  });

  it('a first response and a resolution freeze their targets as met or missed', () => {
    let clock = startClock(at('2025-03-10T10:00', Z), 'P1');
    clock = recordFirstResponse(clock, at('2025-03-10T11:15', Z));
    const s = status(clock, '2025-03-10T16:00');
    expect(s.firstResponse.phase).toBe('missed');
    expect(s.firstResponse.label).toBe('missed by 15m');
    expect(status(clock, '2025-03-10T16:00', 'zh').firstResponse.label).toBe('超时 15分钟后完成');
    expect(s.resolution.label).toBe('2h left');

    clock = resolve(clock, at('2025-03-10T17:00', Z));
    const done = status(clock, '2025-03-11T09:00');
    expect(done.resolution.phase).toBe('met');
    expect(done.resolution.label).toBe('met');
    expect(done.resolution.remainingMs).toBe(HOUR);
    expect(status(clock, '2025-03-11T09:00', 'zh').resolution.label).toBe('已达成');
  });

  it('transitions that do not apply are no-ops returning the same state', () => {
    const clock = startClock(at('2025-03-10T10:00', Z), 'P1');
    expect(resume(clock, at('2025-03-10T10:05', Z))).toBe(clock);
    expect(changePriority(clock, at('2025-03-10T10:05', Z), 'P1')).toBe(clock);
    const paused = pause(clock, at('2025-03-10T10:05', Z));
    expect(pause(paused, at('2025-03-10T10:06', Z))).toBe(paused);
    const done = resolve(paused, at('2025-03-10T10:07', Z));
    expect(done.firstRespondedAt).toBe(done.resolvedAt);
    expect(pause(done, at('2025-03-10T10:08', Z))).toBe(done);
    expect(resume(done, at('2025-03-10T10:08', Z))).toBe(done);
    expect(JSON.parse(JSON.stringify(done))).toEqual(done); // plain data
  });
});
