import {
  acknowledgeEscalation,
  calendarFor,
  changePriority,
  dueNotifications,
  escalationChainFor,
  nextFireAt,
  pause,
  planNotifications,
  recordFirstResponse,
  reminderRecipient,
  resolve,
  resolvePolicy,
  resume,
  startClock,
  validateSlaConfig,
  type NotificationPlan,
  type SlaClockState,
} from '../../../src/domain/sla';
import { at, local } from './helpers';

const Z = 'Europe/Berlin';
const weekday = ['09:00-17:00'];
const config = validateSlaConfig({
  defaultCalendar: 'emea',
  calendars: { emea: { timezone: Z, hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday } } },
  teams: {
    billing: {
      escalation: [
        { after: '0m', notify: 'U_LEAD' },
        { after: '1h', notify: 'requester_manager' },
        { after: '4h', notify: 'U_HEAD' },
        { after: '0m', notify: 'U_LEAD', on: 'first_response' },
      ],
    },
  },
  // Escalation users must appear in the directory (as a user or a manager).
  directory: { managers: { U_ALICE: 'U_BOB', U_LEAD: 'U_HEAD' } },
});

function plan(clock: SlaClockState, now: string, extra: { assigneeId?: string; requesterId?: string } = {}): NotificationPlan {
  const ticket = { ticketId: 'T1', requesterId: extra.requesterId ?? 'U_ALICE', assigneeId: extra.assigneeId, clock };
  const policy = resolvePolicy({ team: 'billing', priority: clock.priority }, config);
  return planNotifications(ticket, at(now, Z), policy, calendarFor('billing', config), escalationChainFor('billing', config), config.directory);
}

const summary = (p: NotificationPlan) =>
  p.events.map(
    (e) =>
      `${local(e.fireAt, Z)} ${e.target} ${e.kind} ${e.fraction ?? `L${e.level}`} -> ${e.recipient.kind}${'userId' in e.recipient ? `:${e.recipient.userId}` : ''}${e.catchUp ? ' (catch-up)' : ''}`,
  );

describe('notification planning', () => {
  const opened = startClock(at('2025-03-10T10:00', Z), 'P1'); // 1 h / 8 h, 24x7

  it('plans reminders at 75% and 100% and the escalation chain with offsets after breach', () => {
    expect(summary(plan(opened, '2025-03-10T10:00', { assigneeId: 'U_AGENT' }))).toEqual([
      '2025-03-10T10:45 Mon first_response reminder 0.75 -> assignee:U_AGENT',
      '2025-03-10T11:00 Mon first_response escalation L1 -> user:U_LEAD',
      '2025-03-10T11:00 Mon first_response reminder 1 -> assignee:U_AGENT',
      '2025-03-10T16:00 Mon resolution reminder 0.75 -> assignee:U_AGENT',
      '2025-03-10T18:00 Mon resolution escalation L1 -> user:U_LEAD',
      '2025-03-10T18:00 Mon resolution reminder 1 -> assignee:U_AGENT',
      '2025-03-10T19:00 Mon resolution escalation L2 -> user:U_BOB',
      '2025-03-10T22:00 Mon resolution escalation L3 -> user:U_HEAD',
    ]);
  });

  it('routes reminders to the agent channel while unassigned, and requester_manager falls back too', () => {
    expect(reminderRecipient(undefined)).toEqual({ kind: 'agent_channel' });
    expect(reminderRecipient('U_AGENT')).toEqual({ kind: 'assignee', userId: 'U_AGENT' });
    const events = plan(opened, '2025-03-10T10:00', { requesterId: 'U_NO_MANAGER' }).events;
    expect(events.find((e) => e.kind === 'reminder')?.recipient).toEqual({ kind: 'agent_channel' });
    expect(events.find((e) => e.level === 2 && e.target === 'resolution')?.recipient).toEqual({ kind: 'agent_channel' });
  });

  it('business-time escalation offsets skip closed hours: P2 breached Friday 17:00, +1 h is Monday 10:00', () => {
    const p2 = recordFirstResponse(startClock(at('2025-03-05T09:00', Z), 'P2'), at('2025-03-05T09:30', Z));
    const esc = plan(p2, '2025-03-05T09:30').events.filter((e) => e.kind === 'escalation');
    expect(esc.map((e) => `L${e.level} ${local(e.fireAt, Z)}`)).toEqual(['L1 2025-03-07T17:00 Fri', 'L2 2025-03-10T10:00 Mon', 'L3 2025-03-10T13:00 Mon']);
  });

  it('keys are stable when recomputed for unchanged state, so a job that runs twice is detected', () => {
    const first = plan(opened, '2025-03-10T10:00');
    const again = plan(opened, '2025-03-10T10:50');
    expect(again.events.map((e) => e.key)).toEqual(first.events.map((e) => e.key));
    expect(first.events[0]?.key).toBe('T1:first_response:reminder:0.75:1');

    const due = dueNotifications(again, at('2025-03-10T10:50', Z), []);
    expect(due.map((e) => e.key)).toEqual(['T1:first_response:reminder:0.75:1']);
    expect(dueNotifications(again, at('2025-03-10T10:50', Z), new Set(['T1:first_response:reminder:0.75:1']))).toEqual([]);
    expect(nextFireAt(again, at('2025-03-10T10:50', Z))?.toISOString()).toBe(at('2025-03-10T11:00', Z).toISOString());
  });

  it('a first response stops first-response reminders and escalations, keeping resolution keys', () => {
    const before = plan(opened, '2025-03-10T10:00');
    const after = plan(recordFirstResponse(opened, at('2025-03-10T10:30', Z)), '2025-03-10T10:30');
    expect(after.events.every((e) => e.target === 'resolution')).toBe(true);
    expect(after.events.map((e) => e.key)).toEqual(before.events.filter((e) => e.target === 'resolution').map((e) => e.key));
  });

  it('pause plans nothing; resume re-plans with new keys and does not repeat past reminders', () => {
    const answered = recordFirstResponse(opened, at('2025-03-10T10:30', Z));
    const paused = pause(answered, at('2025-03-10T17:00', Z)); // 7 h elapsed: 75% reminder (16:00) already sent
    expect(plan(paused, '2025-03-10T17:00').events).toEqual([]);
    const resumed = resume(paused, at('2025-03-11T09:00', Z));
    const p = plan(resumed, '2025-03-11T09:00');
    expect(summary(p)).toEqual([
      '2025-03-11T10:00 Tue resolution escalation L1 -> user:U_LEAD',
      '2025-03-11T10:00 Tue resolution reminder 1 -> agent_channel',
      '2025-03-11T11:00 Tue resolution escalation L2 -> user:U_BOB',
      '2025-03-11T14:00 Tue resolution escalation L3 -> user:U_HEAD',
    ]);
    const oldKeys = new Set(plan(answered, '2025-03-10T10:30').events.map((e) => e.key));
    expect(p.events.some((e) => oldKeys.has(e.key))).toBe(false);
  });

  it('a priority change P2 -> P0 re-plans: new keys, new times, already-passed thresholds caught up once', () => {
    const p2 = startClock(at('2025-03-10T10:00', Z), 'P2');
    const before = plan(p2, '2025-03-10T10:00');
    const p0 = changePriority(p2, at('2025-03-10T10:20', Z), 'P0'); // P0 first response was due 10:15
    const after = plan(p0, '2025-03-10T10:20');
    expect(summary(after).filter((s) => s.includes('first_response'))).toEqual([
      '2025-03-10T10:20 Mon first_response escalation L1 -> user:U_LEAD (catch-up)',
      '2025-03-10T10:20 Mon first_response reminder 1 -> agent_channel (catch-up)',
    ]);
    expect(summary(after).filter((s) => s.includes('resolution reminder'))).toEqual([
      '2025-03-10T13:00 Mon resolution reminder 0.75 -> agent_channel',
      '2025-03-10T14:00 Mon resolution reminder 1 -> agent_channel',
    ]);
    const beforeKeys = new Set(before.events.map((e) => e.key));
    expect(after.events.some((e) => beforeKeys.has(e.key))).toBe(false);
    expect(after.events[0]?.key).toMatch(/:2$/);
  });

  it('a priority change made while paused is caught up when the clock resumes', () => {
    let clock = startClock(at('2025-03-10T10:00', Z), 'P2');
    clock = pause(clock, at('2025-03-10T10:30', Z));
    clock = changePriority(clock, at('2025-03-10T11:00', Z), 'P0');
    expect(plan(clock, '2025-03-10T11:00').events).toEqual([]);
    clock = resume(clock, at('2025-03-10T12:00', Z));
    const fr = summary(plan(clock, '2025-03-10T12:00')).filter((s) => s.includes('first_response'));
    expect(fr).toEqual([
      '2025-03-10T12:00 Mon first_response escalation L1 -> user:U_LEAD (catch-up)',
      '2025-03-10T12:00 Mon first_response reminder 1 -> agent_channel (catch-up)',
    ]);
  });

  it('acknowledging an escalation stops later levels; resolving stops everything', () => {
    const answered = recordFirstResponse(opened, at('2025-03-10T10:30', Z));
    const acked = acknowledgeEscalation(answered, at('2025-03-10T18:30', Z), 'resolution');
    const levels = plan(acked, '2025-03-10T18:30')
      .events.filter((e) => e.kind === 'escalation')
      .map((e) => e.level);
    expect(levels).toEqual([1]); // level 1 (18:00) was already due; 19:00 and 22:00 are stopped
    expect(plan(acked, '2025-03-10T18:30').events.some((e) => e.kind === 'reminder')).toBe(true);
    expect(plan(resolve(answered, at('2025-03-10T12:00', Z)), '2025-03-10T12:00').events).toEqual([]);
  });
});
