/**
 * The console's report figures against tickets with known timings: the app's
 * clock is moved through a Monday and a Tuesday while tickets are opened,
 * claimed and resolved on the real core and the embedded database; the
 * figures are read from /console/reports.json as a signed-in manager would.
 * SLA compliance follows business hours (09:00-17:00 UTC, Mon-Fri): a ticket
 * opened at 16:30 and answered at 09:15 the next morning met a 1-business-hour
 * target though 16 hours passed.
 */
import type { Chatdesk } from '../../src/app';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import type { Report } from '../../src/console/report-service';
import type { UserRef } from '../../src/domain/ticket/ticket';
import { deskFile } from '../support/desk-file';
import { startTestApp } from '../support/test-app';
import { payslipToHrClassifier } from '../support/title-classifier';

const alice: UserRef = { platform: 'playground', id: 'alice', name: 'Alice' };
const bob: UserRef = { platform: 'playground', id: 'bob', name: 'Bob' };
const pia: UserRef = { platform: 'playground', id: 'pia', name: 'Pia' };
const week = ['09:00-17:00'];

describe('console reports: figures for tickets with known timings', () => {
  let app: Chatdesk;
  let now = new Date('2026-11-23T09:00:00Z'); // a Monday
  const at = (iso: string) => {
    now = new Date(iso);
  };

  beforeAll(async () => {
    const [it] = defaultDeskConfig.teams;
    const desk = deskFile({
      teams: [
        { ...it, categories: ['hardware', 'software'], agents: [{ platform: 'playground', id: 'bob' }] },
        { id: 'people', name: 'People', categories: ['hr'], agentChannels: { playground: 'people' }, agents: [{ platform: 'playground', id: 'pia' }] },
      ],
      managers: ['playground:mia'],
      sla: {
        defaultCalendar: 'office',
        calendars: { office: { timezone: 'UTC', hours: { mon: week, tue: week, wed: week, thu: week, fri: week } } },
        policies: { P2: { firstResponse: '1bh', resolution: '4bh' } },
      },
    });
    app = await startTestApp(
      { CHATDESK_CONFIG: desk, CHATDESK_SLA_WORKER: 'false' },
      { label: 'console-reports', classifier: payslipToHrClassifier, now: () => now },
    );
  });
  afterAll(async () => {
    await app?.stop();
  });

  const open = async (title: string) => {
    const r = await app.desk.openTicket({ title, description: title }, alice);
    if (!r.ok) throw new Error('not opened');
    return r.ticket.id;
  };

  /** Signs mia (a desk manager) in through the link `/ticket console` DMs her on the playground; answers her session cookie. */
  const signIn = async (): Promise<string> => {
    const res = await fetch(`${app.url}/api/playground/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'mia', name: 'Mia', text: 'console' }),
    });
    expect(res.status).toBeLessThan(300);
    await app.intake.idle();
    const texts = (await app.playground!.visibleTo('mia')).flatMap((c) => c.messages.map((m) => m.text));
    const link = texts.map((t) => /http:\/\/\S+\/console\/sign-in\/[\w-]+/.exec(t)?.[0]).find(Boolean);
    expect(link).toBeDefined();
    const used = await fetch(link!, { method: 'POST', redirect: 'manual' });
    expect(used.status).toBe(303);
    return /chatdesk_console=([^;]+)/.exec(used.headers.get('set-cookie') ?? '')![1]!;
  };

  it('computes first response and resolution p50/p90, business-hours SLA compliance, breaches, backlog and created vs resolved per day', async () => {
    const a = await open('Printer jams on floor 3');
    const b = await open('Monitor flickers');
    const c = await open('Payslip for October is missing');
    at('2026-11-23T09:30:00Z');
    await app.desk.act(a, { kind: 'claim' }, bob); // A: first response 30 min
    at('2026-11-23T10:00:00Z');
    await app.desk.act(c, { kind: 'claim' }, pia); // C: 60 min
    at('2026-11-23T11:00:00Z');
    await app.desk.act(a, { kind: 'resolve' }, bob); // A: resolved in 120 min, both targets met
    at('2026-11-23T12:00:00Z');
    await app.desk.act(b, { kind: 'claim' }, bob); // B: 180 min, past its 1 business hour
    await app.desk.act(b, { kind: 'recategorize', category: 'software' }, bob); // the classifier said hardware
    at('2026-11-23T16:30:00Z');
    const d = await open('Docking station does not charge');
    at('2026-11-24T09:15:00Z');
    await app.desk.act(d, { kind: 'claim' }, bob); // D: 1005 min on the wall clock, 45 business minutes
    at('2026-11-24T10:00:00Z');
    await app.desk.act(d, { kind: 'resolve' }, bob); // D: 1050 min, 90 business minutes: met
    await app.desk.act(b, { kind: 'resolve' }, bob); // B: 1500 min, 9 business hours: missed
    await app.desk.act(a, { kind: 'rate', score: 5 }, alice); // rated on Tuesday
    await app.desk.act(d, { kind: 'rate', score: 2 }, alice);
    at('2026-11-24T10:30:00Z');
    const comment = '<script>alert(1)</script> Still drops the monitor & "charges" slowly';
    expect(await app.desk.commentOnRating(d, comment, alice)).toMatchObject({ ok: true });
    const dKey = (await app.desk.findTicket(d)).key;

    const cookie = await signIn();
    const res = await fetch(`${app.url}/console/reports.json?from=2026-11-23&to=2026-11-24`, { headers: { cookie: `chatdesk_console=${cookie}` } });
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report;
    expect(report.totals).toMatchObject({
      created: 4,
      resolved: 3,
      backlogNow: 1,
      firstResponse: { p50: 60, p90: 1005, n: 4 },
      resolution: { p50: 1050, p90: 1500, n: 3 },
      slaMet: 2,
      slaMeasured: 3,
      slaCompliance: 66.7,
      // B missed both targets; C (open, claimed in time) is past its 4 business hours.
      breaches: 2,
    });
    expect(report.days).toEqual([
      { date: '2026-11-23', created: 4, resolved: 1, backlog: 3 },
      { date: '2026-11-24', created: 0, resolved: 2, backlog: 1 },
    ]);
    const team = (key: string) => report.by.team.find((x) => x.key === key);
    expect(team('it')).toMatchObject({ created: 3, resolved: 3, slaCompliance: 66.7, firstResponse: { p50: 180, p90: 1005 } });
    expect(team('people')).toMatchObject({ created: 1, resolved: 0, slaCompliance: null, breaches: 1, firstResponse: { p50: 60 } });
    expect(report.by.agent.map((x) => [x.key, x.resolved])).toEqual([
      ['Bob (playground)', 3],
      ['Pia (playground)', 0],
    ]);
    expect(report.by.channel).toEqual([expect.objectContaining({ key: 'playground', created: 4 })]);
    expect(report.totals.csat).toEqual({ n: 2, average: 3.5, distribution: [0, 1, 0, 0, 1] });
    // The classifier's quality, by the category it gave: one of its three "hardware" tickets was moved by an agent.
    expect(report.totals).toMatchObject({ recategorised: 1, deflected: 0 });
    expect(report.classifier).toEqual([
      { key: 'hardware', classified: 3, recategorised: 1, recategorisedPct: 33.3 },
      { key: 'hr', classified: 1, recategorised: 0, recategorisedPct: 0 },
    ]);
    expect(report.by.category.map((x) => [x.key, x.created])).toEqual([
      ['hardware', 2],
      ['hr', 1],
      ['software', 1],
    ]);
    expect(team('it')!.csat).toMatchObject({ n: 2, average: 3.5 });
    expect(team('people')!.csat).toEqual({ n: 0, average: null, distribution: [0, 0, 0, 0, 0] });
    // The comment on D's rating is listed with its score, ticket and when it was given (A's rating has none).
    expect(report.comments).toEqual([{ key: dKey, team: 'it', score: 2, at: '2026-11-24T10:30:00.000Z', text: comment }]);

    // A range that starts after Monday sees Tuesday alone; the backlog at its end is the same.
    const tuesday = (await (
      await fetch(`${app.url}/console/reports.json?from=2026-11-24&to=2026-11-24`, { headers: { cookie: `chatdesk_console=${cookie}` } })
    ).json()) as Report;
    expect(tuesday.totals).toMatchObject({ created: 0, resolved: 2, slaMet: 1, slaMeasured: 2, slaCompliance: 50 });
    expect(tuesday.days).toEqual([{ date: '2026-11-24', created: 0, resolved: 2, backlog: 1 }]);
    // Ratings count on the day they were given: both on Tuesday, none on Monday.
    expect(tuesday.totals.csat.n).toBe(2);
    const monday = (await (
      await fetch(`${app.url}/console/reports.json?from=2026-11-23&to=2026-11-23`, { headers: { cookie: `chatdesk_console=${cookie}` } })
    ).json()) as Report;
    expect(monday.totals).toMatchObject({ created: 4, resolved: 1, csat: { n: 0, average: null } });
    expect(monday.comments).toEqual([]); // given on Tuesday

    // The page itself shows the same figures in its KPIs and charts.
    const page = await (await fetch(`${app.url}/console/reports?from=2026-11-23&to=2026-11-24`, { headers: { cookie: `chatdesk_console=${cookie}` } })).text();
    expect(page).toContain('<div class="kpi" data-kpi="sla"><span>SLA met</span><b>66.7%</b></div>');
    expect(page).toContain('<div class="kpi" data-kpi="recategorised"><span>Recategorised by agents</span><b>1 (25%)</b></div>');
    expect(page).toContain('<tr data-row="hardware"><th>hardware</th><td>3</td><td>1</td><td>33.3%</td></tr>');
    // The offline classifier's facts: no history imported here, so no held-out figures yet.
    expect(page).toMatch(/<section class="by" data-model><h2>Offline classifier<\/h2>.*<th>Sent to triage below<\/th><td>[\d.]+ confidence/);
    expect(page).toContain('none yet: import the team&#39;s labelled history');
    expect(page).toMatch(/data-series="Created" data-label="11-23" data-value="4"/);
    expect(page).toMatch(/data-series="Open" data-label="11-23" data-value="3"/);
    expect(page).toContain('<div class="kpi" data-kpi="csat"><span>CSAT</span><b>3.5 / 5</b></div>');
    expect(page).toMatch(/data-series="Ratings" data-label="5" data-value="1"/);
    expect(page).toContain('<tr data-row="Bob (playground)">');
    expect(page).toMatch(/<tr data-row="Bob \(playground\)">.*<td data-csat>3.5 \(2\)<\/td><\/tr>/);
    // The requester's words are escaped like every other value.
    expect(page).toContain(
      `<tr data-comment="${dKey}"><td>2026-11-24 10:30</td><td><a href="/console/tickets/${dKey}">${dKey}</a></td><td>IT</td><td>2/5</td><td class="text">&lt;script&gt;alert(1)&lt;/script&gt; Still drops the monitor &amp; &quot;charges&quot; slowly</td></tr>`,
    );
    expect(page).not.toContain('<script>alert(1)');
    // The ticket page's history has it too (escaped), for agents.
    const ticketPage = await (await fetch(`${app.url}/console/tickets/${dKey}`, { headers: { cookie: `chatdesk_console=${cookie}` } })).text();
    expect(ticketPage).toContain('<b>csat commented</b>');
    expect(ticketPage).toContain('<div class="text">&lt;script&gt;alert(1)&lt;/script&gt; Still drops the monitor &amp; &quot;charges&quot; slowly</div>');

    // The CSV export has the same figures: a total row, then a row per key of each breakdown.
    const csv = await (
      await fetch(`${app.url}/console/reports.csv?from=2026-11-23&to=2026-11-24`, { headers: { cookie: `chatdesk_console=${cookie}` } })
    ).text();
    const rows = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]).toContain('"slaCompliancePct"'.replace(/"/g, ''));
    expect(rows[0]).toContain('escalated,recategorised,deflected,csatCount');
    expect(rows[1]).toBe('"total","2026-11-23..2026-11-24","4","3","60","1005","1050","1500","2","3","66.7","2","0","1","0","2","3.5","0","1","0","0","1"');
    expect(rows).toContain('"team","people","1","0","60","60","","","0","0","","1","0","0","0","0","","0","0","0","0","0"');

    // `/ticket stats` in chat gives the CSAT of the last 7 days.
    const stats = await fetch(`${app.url}/api/playground/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'mia', name: 'Mia', text: 'stats' }),
    });
    expect(((await stats.json()) as { reply: string }).reply).toContain('• CSAT, last 7 days: 3.5/5 from 2 ratings');
  });
});
