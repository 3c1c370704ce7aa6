import { isChatdeskError, type ChatdeskError } from '../../../src/domain/errors';
import { DEFAULT_POLICIES, calendarFor, escalationChainFor, formatTarget, resolvePolicy, targetMs, validateSlaConfig } from '../../../src/domain/sla';
import { HOUR } from './helpers';

const validRaw = {
  defaultCalendar: 'emea',
  calendars: {
    emea: {
      timezone: 'Europe/Berlin',
      hours: { mon: ['09:00-12:00', '13:00-18:00'], tue: ['09:00-17:00'], fri: ['09:00-15:00'] },
      holidays: ['2025-12-25'],
    },
    apac: { timezone: 'Asia/Shanghai', hours: { mon: ['09:00-18:00'] }, businessDayHours: 7.5 },
  },
  policies: { P3: { resolution: '10bd' } },
  teams: {
    billing: {
      calendar: 'apac',
      policies: { P1: { resolution: '6h' }, P2: { firstResponse: { amount: 2, unit: 'hours', clock: 'business' } } },
      escalation: [
        { after: '0m', notify: 'U_LEAD' },
        { after: '1h', notify: 'requester_manager' },
        { after: '4h', notify: 'U_HEAD' },
        { after: '0m', notify: 'U_LEAD', on: 'first_response' },
      ],
    },
    it: {},
  },
  ticketTypes: { incident: { policies: { P1: { resolution: '2h' } } } },
  reminders: { fractions: [1.0, 0.5, 0.75] },
  directory: { managers: { U_ALICE: 'U_BOB' }, knownUsers: ['U_ALICE', 'U_BOB', 'U_LEAD', 'U_HEAD'] },
};

function problemsOf(raw: unknown): string[] {
  try {
    validateSlaConfig(raw);
  } catch (err) {
    expect(isChatdeskError(err, 'chatdesk_sla_config_invalid')).toBe(true);
    const e = err as ChatdeskError;
    const problems = e.details.problems as Array<{ path: string; message: string }>;
    for (const p of problems) expect(e.message).toContain(`${p.path}: ${p.message}`);
    return problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be refused');
}

describe('SLA policy configuration', () => {
  it('an empty config gives the documented defaults on a 24x7 calendar', () => {
    const config = validateSlaConfig({});
    const p0 = resolvePolicy({ priority: 'P0' }, config);
    expect([formatTarget(p0.firstResponse), formatTarget(p0.resolution)]).toEqual(['15m', '4h']);
    expect(DEFAULT_POLICIES.P1).toEqual({
      firstResponse: expect.objectContaining({ amount: 1, unit: 'hours', clock: 'calendar' }),
      resolution: expect.objectContaining({ amount: 8, unit: 'hours' }),
    });
    expect(formatTarget(config.policies.P2.firstResponse)).toBe('4bh');
    expect(formatTarget(config.policies.P3.resolution)).toBe('5bd');
    expect(config.reminderFractions).toEqual([0.75, 1]);
    expect(calendarFor('anything', config).id).toBe('24x7');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.policies.P2)).toBe(true);
  });

  it('resolves ticket type override > team override > global default, per target', () => {
    const config = validateSlaConfig(validRaw);
    const p1 = resolvePolicy({ team: 'billing', type: 'incident', priority: 'P1' }, config);
    expect(formatTarget(p1.resolution)).toBe('2h');
    expect(p1.sources).toEqual({ firstResponse: 'default', resolution: 'ticket_type' });
    const p1Question = resolvePolicy({ team: 'billing', type: 'question', priority: 'P1' }, config);
    expect(formatTarget(p1Question.resolution)).toBe('6h');
    expect(p1Question.sources.resolution).toBe('team');
    expect(formatTarget(resolvePolicy({ team: 'billing', priority: 'P2' }, config).firstResponse)).toBe('2bh');
    expect(formatTarget(resolvePolicy({ team: 'it', priority: 'P3' }, config).resolution)).toBe('10bd');
    expect(resolvePolicy({ team: 'billing', priority: 'P1' }, config).calendarId).toBe('apac');
    expect(resolvePolicy({ team: 'it', priority: 'P1' }, config).calendarId).toBe('emea');
    expect(config.reminderFractions).toEqual([0.5, 0.75, 1]);
  });

  it('a business day is the calendar working day (longest day, or businessDayHours)', () => {
    const config = validateSlaConfig(validRaw);
    const day = { clock: 'business', amount: 1, unit: 'days' } as const;
    expect(targetMs(day, config.calendars.emea!)).toBe(8 * HOUR);
    expect(targetMs(day, config.calendars.apac!)).toBe(7.5 * HOUR);
  });

  it('builds escalation chains with levels numbered per target', () => {
    const config = validateSlaConfig(validRaw);
    const chain = escalationChainFor('billing', config);
    expect(chain.map((l) => [l.on, l.level, l.afterMs / HOUR, l.notify])).toEqual([
      ['resolution', 1, 0, 'U_LEAD'],
      ['resolution', 2, 1, 'requester_manager'],
      ['resolution', 3, 4, 'U_HEAD'],
      ['first_response', 1, 0, 'U_LEAD'],
    ]);
    expect(escalationChainFor('it', config)).toEqual([]);
  });

  it('names the setting of an overlapping interval', () => {
    const raw = { calendars: { emea: { timezone: 'Europe/Berlin', hours: { mon: ['09:00-12:00', '11:00-13:00'] } } } };
    expect(problemsOf(raw)).toEqual(['sla.calendars.emea.hours.mon[1]: overlaps 09:00-12:00']);
  });

  it('lists all problems at once, each with its setting path', () => {
    const raw = {
      defaultCalendar: 'mars',
      calendars: {
        emea: { timezone: 'Europe/Berlln', hours: { mon: ['09:00-12:00', '10:00-11:00'], tue: ['17:00-09:00'], wed: ['9-5'] } },
      },
      policies: { P0: { firstResponse: '0m' }, P2: { resolution: '-3bd' } },
      teams: {
        billing: {
          calendar: 'apac',
          escalation: [
            { after: '0m', notify: 'U_LEAD' },
            { after: '0m', notify: 'U_GHOST' },
          ],
        },
      },
      reminders: { fractions: [0, 0.75, 2.5] },
      directory: { managers: { U_ALICE: 'U_BOB' }, knownUsers: ['U_ALICE', 'U_BOB', 'U_LEAD'] },
    };
    const problems = problemsOf(raw);
    expect(problems).toEqual(
      expect.arrayContaining([
        'sla.calendars.emea.timezone: unknown time zone "Europe/Berlln"',
        'sla.calendars.emea.hours.mon[1]: overlaps 09:00-12:00',
        'sla.calendars.emea.hours.tue[0]: end 09:00 is not after start 17:00',
        expect.stringMatching(/^sla\.calendars\.emea\.hours\.wed\[0\]: must look like 09:00-17:00/),
        expect.stringMatching(/^sla\.policies\.P0\.firstResponse: must be a positive duration/),
        expect.stringMatching(/^sla\.policies\.P2\.resolution: must be a positive duration/),
        'sla.reminders.fractions[0]: must be in (0, 2]',
        'sla.reminders.fractions[2]: must be in (0, 2]',
        'sla.teams.billing.escalation[1]: duplicates level 1 (same resolution offset 0m)',
        'sla.defaultCalendar: unknown calendar "mars" (known: 24x7, emea)',
        'sla.teams.billing.calendar: unknown calendar "apac" (known: 24x7, emea)',
        'sla.teams.billing.escalation[1].notify: unknown user "U_GHOST" (not in sla.directory.knownUsers)',
      ]),
    );
    expect(problems).toHaveLength(12);
  });

  it('checks holiday and special-day dates', () => {
    const problems = problemsOf({
      calendars: {
        cn: { timezone: 'Asia/Shanghai', hours: { mon: ['09:00-18:00'] }, holidays: ['2025-02-30'], specialDays: { '2025-09-28': ['18:00-09:00'] } },
      },
    });
    expect(problems).toEqual([
      'sla.calendars.cn.holidays[0]: must be a date like 2025-12-25',
      'sla.calendars.cn.specialDays.2025-09-28[0]: end 09:00 is not after start 18:00',
    ]);
  });

  it('refuses requester_manager without a directory, unknown priorities and out-of-order levels', () => {
    const problems = problemsOf({
      policies: { P5: { resolution: '1h' } },
      escalation: [
        { after: '2h', notify: 'requester_manager' },
        { after: '1h', notify: 'U_X' },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sla\.policies: .*P5/),
        'sla.escalation[1].after: must be later than level 1 (2h)',
        'sla.escalation[0].notify: requester_manager needs sla.directory.managers',
      ]),
    );
  });

  it('checks escalation users against the directory when no known-user list is given', () => {
    const problems = problemsOf({
      escalation: [{ after: '0m', notify: 'U_NOBODY' }],
      directory: { managers: { U_ALICE: 'U_BOB' } },
    });
    expect(problems).toEqual(['sla.escalation[0].notify: user "U_NOBODY" is not in sla.directory']);
  });
});
