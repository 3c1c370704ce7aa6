import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDeskConfig } from '../../../src/config/default-desk-config';
import { loadConfig } from '../../../src/config/load-config';

function withSla(sla: unknown): Record<string, string> {
  const file = join(mkdtempSync(join(tmpdir(), 'chatdesk-slacfg-')), 'desk.json');
  writeFileSync(file, JSON.stringify({ ...defaultDeskConfig, sla }));
  return { CHATDESK_CONFIG: file };
}

function problems(sla: unknown): string {
  try {
    loadConfig(withSla(sla));
  } catch (err) {
    return (err as Error).message;
  }
  return '';
}

describe('SLA configuration is checked at start, every problem named', () => {
  it('starts with default targets on a 24x7 calendar when the desk has no sla section', () => {
    const c = loadConfig({});
    expect(c.sla.policies.P0).toMatchObject({ firstResponse: { amount: 15, unit: 'minutes' }, resolution: { amount: 4, unit: 'hours' } });
    expect(c.sla.escalation).toEqual([]);
  });

  it('accepts a business calendar, overrides and an escalation chain with platform:id people', () => {
    const c = loadConfig(
      withSla({
        defaultCalendar: 'office',
        calendars: { office: { timezone: 'Asia/Shanghai', hours: { mon: ['09:00-12:00', '13:00-18:00'] }, holidays: ['2026-10-01'] } },
        teams: {
          it: {
            policies: { P2: { firstResponse: '2bh' } },
            escalation: [
              { after: '0m', notify: 'slack:U0LEAD' },
              { after: '1h', notify: 'requester_manager' },
            ],
          },
        },
        directory: { managers: { 'slack:U0ALICE': 'teams:29:1boss' }, knownUsers: ['slack:U0LEAD', 'teams:29:1boss'] },
      }),
    );
    expect(c.sla.teams.it?.escalation?.map((l) => l.notify)).toEqual(['slack:U0LEAD', 'requester_manager']);
  });

  it('refuses overlapping hours, an unknown time zone, a negative target and an unknown person, all at once', () => {
    const msg = problems({
      defaultCalendar: 'office',
      calendars: { office: { timezone: 'Mars/Olympus', hours: { mon: ['09:00-13:00', '12:00-18:00'] } } },
      policies: { P1: { firstResponse: '-5m' } },
      escalation: [{ after: '0m', notify: 'U0LEAD' }],
    });
    expect(msg).toMatch(/CHATDESK_CONFIG sla\.calendars\.office\.timezone/);
    expect(msg).toMatch(/CHATDESK_CONFIG sla\.calendars\.office\.hours\.mon.*overlap/i);
    expect(msg).toMatch(/CHATDESK_CONFIG sla\.policies\.P1\.firstResponse/);
    expect(msg).toMatch(/CHATDESK_CONFIG sla\.escalation\[0\]\.notify: "U0LEAD" is not a person chatdesk can reach/);
  });

  it('refuses overrides for a team or ticket type that does not exist', () => {
    const msg = problems({ teams: { finance: {} }, ticketTypes: { nope: {} } });
    expect(msg).toContain('CHATDESK_CONFIG sla.teams.finance: no team with id "finance"');
    expect(msg).toContain('CHATDESK_CONFIG sla.ticketTypes.nope: no ticket type with id "nope"');
  });

  it('refuses escalation to someone missing from the directory when a directory of known users is given', () => {
    const msg = problems({ escalation: [{ after: '0m', notify: 'slack:U0GHOST' }], directory: { managers: {}, knownUsers: ['slack:U0LEAD'] } });
    expect(msg).toMatch(/sla\.escalation\[0\]\.notify: unknown user "slack:U0GHOST"/);
  });
});
