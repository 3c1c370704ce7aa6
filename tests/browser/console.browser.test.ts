/**
 * The web console in a real headless Chromium, signed in through the link
 * chatdesk DMs on Slack (the emulator): an agent filters the queue, opens a
 * ticket and claims it (the card in the Slack channel updates), reads a chart
 * and exports CSV; a requester sees only their own tickets; a used or expired
 * link is refused. Screenshots go to the OS temp directory (paths printed).
 */
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Chatdesk } from '../../src/app';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import { waitFor } from '../emulators/shared';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { sendSlashCommand } from '../emulators/slack/inbound';
import { findChromium, inCI, launchChromium, MISSING_CHROMIUM } from '../support/chromium';
import { deskFile } from '../support/desk-file';
import { startTestApp } from '../support/test-app';
import { slackEnv } from '../support/slack-env';

const AGENTS = 'C0AGENTS';
const PEOPLE = 'C0PEOPLE';
const ALICE = 'U0ALICE';
const CAROL = 'U0CAROL';
const BOB = 'U0BOB'; // IT agent
const MIA = 'U0MIA'; // IT manager
const executablePath = findChromium();
const shot = (name: string) => path.join(os.tmpdir(), `chatdesk-console-${name}-${process.pid}.png`);

function desk(): string {
  const [it] = defaultDeskConfig.teams;
  return deskFile({
    teams: [
      {
        ...it,
        categories: it.categories.filter((c) => c !== 'hr'),
        agentChannels: { slack: AGENTS },
        agents: [{ platform: 'slack', id: BOB }],
        managers: [`slack:${MIA}`],
      },
      { id: 'people', name: 'People', categories: ['hr', 'facilities'], agentChannels: { slack: PEOPLE }, agents: [{ platform: 'slack', id: 'U0PIA' }] },
    ],
  });
}

if (!executablePath && inCI) {
  describe('console in a real browser', () => {
    it('has a Chromium to run in', () => {
      throw new Error(`${MISSING_CHROMIUM} (CI is set, so this is a failure, not a skip)`);
    });
  });
} else if (!executablePath) {
  describe.skip(`console in a real browser (skipped: ${MISSING_CHROMIUM})`, () => {
    it('is skipped', () => undefined);
  });
} else {
  describe('console in a real browser', () => {
    let emu: SlackEmulator;
    let app: Chatdesk;
    let browser: Browser;
    let events: string;
    let clockOffsetMs = 0;
    const contexts: BrowserContext[] = [];
    const pageErrors: string[] = [];

    beforeAll(async () => {
      emu = await startSlackEmulator();
      for (const [id, name] of [
        [ALICE, 'alice'],
        [CAROL, 'carol'],
        [BOB, 'bob'],
        [MIA, 'mia'],
      ] as const)
        emu.addUser({ id, name, realName: name });
      [app, browser] = await Promise.all([
        startTestApp(
          {
            ...slackEnv(emu, AGENTS),
            CHATDESK_CONFIG: desk(),
          },
          { label: 'console-browser', now: () => new Date(Date.now() + clockOffsetMs) },
        ),
        launchChromium(executablePath),
      ]);
      events = `${app.url}/slack/events`;
      for (const [user, name, text] of [
        [ALICE, 'alice', 'The printer on floor 3 jams on every page'],
        [ALICE, 'alice', 'VPN disconnects every ten minutes from home'],
        [CAROL, 'carol', 'My laptop does not boot after the update'],
      ] as const) {
        expect((await sendSlashCommand(emu, events, { text, userId: user, userName: name })).status).toBe(200);
      }
      await waitFor(async () => (await app.store.tickets.list({ limit: 10 })).filter((t) => t.agentCards.length > 0).length === 3, { timeoutMs: 15_000 });
    }, 90_000);

    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close();
      await app?.stop();
      await emu?.close();
    });

    /** `/ticket console` on Slack, and the sign-in link the bot DMs back. */
    const linkFor = async (user: string, name: string): Promise<string> => {
      const before = emu.messages(emu.dmChannelFor(user)).length;
      expect((await sendSlashCommand(emu, events, { text: 'console', userId: user, userName: name })).status).toBe(200);
      await emu.waitForCall('response_url', (c) => String(c.args.text).includes('sign-in link'));
      let link = '';
      await waitFor(
        () => {
          const dm = emu.messages(emu.dmChannelFor(user)).slice(before);
          link = dm.map((m) => /https?:\/\/[^\s>|]+\/console\/sign-in\/[A-Za-z0-9_-]+/.exec(m.text)?.[0]).find(Boolean) ?? '';
          return link !== '';
        },
        { timeoutMs: 10_000 },
      );
      return link;
    };

    const newPage = async (): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-US', acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      return page;
    };

    const signIn = async (user: string, name: string): Promise<Page> => {
      const page = await newPage();
      await page.goto(await linkFor(user, name));
      await page.click('[data-sign-in]');
      await page.waitForURL(/\/console\/queue/);
      return page;
    };

    const queueKeys = (page: Page) => page.$$eval('table.queue tbody tr[data-key]', (rows) => rows.map((r) => r.getAttribute('data-key')));

    it('signs an agent in through the DM link, filters the queue, opens a ticket and claims it: the Slack card updates in place', async () => {
      const page = await signIn(BOB, 'bob');
      const cookies = await page.context().cookies();
      const session = cookies.find((c) => c.name === 'chatdesk_console');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      expect(await page.textContent('[data-role]')).toBe('agent');
      expect((await queueKeys(page)).sort()).toEqual(['T-1001', 'T-1002', 'T-1003']);

      await page.fill('input[name=q]', 'printer');
      await page.click('form.filters button[type=submit]');
      await page.waitForURL(/q=printer/);
      expect(await queueKeys(page)).toEqual(['T-1001']);
      await page.screenshot({ path: shot('queue'), fullPage: true });

      await page.click('a[href="/console/tickets/T-1001"]');
      await page.waitForURL(/\/console\/tickets\/T-1001$/);
      expect(await page.textContent('[data-key]')).toBe('T-1001');
      const cardTs = emu.messages(AGENTS).find((m) => m.text.startsWith('T-1001 '))!.ts;
      await page.click('[data-action=claim]');
      await page.waitForURL(/done=/);
      expect(await page.textContent('[data-field=Assignee]')).toContain('bob');
      expect(await page.textContent('[data-field=Status]')).toBe('In progress');
      // The same card in the Slack channel, edited in place (chat.update on its ts), now says who claimed it.
      await emu.waitForCall('chat.update', (c) => c.args.channel === AGENTS && c.args.ts === cardTs && JSON.stringify(c.args.blocks).includes('bob'));
      expect(JSON.stringify(emu.messages(AGENTS).find((m) => m.ts === cardTs)?.blocks)).toContain('Claimed by bob');

      // An internal note, from the console, shows as internal on the ticket page.
      await page.fill('textarea[name=text]', 'Toner ordered <b>not bold</b>');
      await page.click('.note-form button');
      await page.waitForURL(/done=/);
      expect(await page.locator('ol.history li.internal .text').last().textContent()).toBe('Toner ordered <b>not bold</b>');
      await page.screenshot({ path: shot('ticket'), fullPage: true });
      console.info(`[console] screenshots: ${shot('queue')} ${shot('ticket')}`);

      // A POST without the session's CSRF token is refused and changes nothing.
      const forged = await page.request.post(`${new URL(page.url()).origin}/console/tickets/T-1002/actions`, { form: { action: 'claim' } });
      expect(forged.status()).toBe(403);
      expect((await app.desk.findTicket('T-1002')).assignee).toBeUndefined();
    });

    it('shows the manager the reports with chart figures for the seeded tickets, and exports the filtered queue as CSV', async () => {
      const page = await signIn(MIA, 'mia');
      expect(await page.textContent('[data-role]')).toBe('manager');
      await page.click('nav a[href="/console/reports"]');
      await page.waitForURL(/\/console\/reports/);
      expect(await page.textContent('[data-kpi=created] b')).toBe('3');
      expect(await page.textContent('[data-kpi=backlog] b')).toBe('3');
      const today = await page.$$eval('#created-resolved rect[data-series=Created]', (r) => r.map((x) => Number(x.getAttribute('data-value'))));
      expect(today).toHaveLength(7);
      expect(today[6]).toBe(3);
      expect(today.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(await page.textContent('table[data-by=team] tr[data-row=IT] td:nth-of-type(1)')).toBe('3');
      await page.screenshot({ path: shot('reports'), fullPage: true });
      // The top of the page, small, as README.md shows it (docs/console-reports.png is copied from it).
      await page.setViewportSize({ width: 1000, height: 620 });
      await page.screenshot({ path: shot('readme') });
      console.info(`[console] screenshots: ${shot('reports')} ${shot('readme')}`);

      // Words over every status (the history is read a month at a time).
      await page.goto(`${new URL(page.url()).origin}/console/queue?status=any&q=LAPTOP+boot`);
      expect(await queueKeys(page)).toEqual(['T-1003']);
      await page.goto(`${new URL(page.url()).origin}/console/queue?status=any&assignee=none`);
      const download = await Promise.all([page.waitForEvent('download'), page.click('a[href^="/console/export.csv"]')]).then(([d]) => d);
      const csv = (await (await download.createReadStream()).toArray()).map(String).join('');
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      const lines = csv.slice(1).trim().split('\r\n');
      expect(lines[0]).toBe('key,title,status,priority,team,category,requester,assignee,tags,sla,createdAt,firstResponseAt,resolvedAt');
      // T-1001 was claimed by bob: the unassigned ones are left.
      expect(
        lines
          .slice(1)
          .map((l) => l.split(',')[0])
          .sort(),
      ).toEqual(['"T-1002"', '"T-1003"']);
      expect(lines.find((l) => l.startsWith('"T-1003"'))).toContain('"My laptop does not boot after the update"');
    });

    it("saves an agent's filters as a named view of their own, opens and deletes it; filters by the day a ticket last changed", async () => {
      const page = await signIn(BOB, 'bob');
      const origin = new URL(page.url()).origin;
      // Filters applied, then saved under a name (markup in it is shown as text).
      await page.goto(`${origin}/console/queue?q=printer&status=any`);
      await page.fill('form.save-view input[name=name]', 'Printers <b>all</b>');
      await page.click('form.save-view button');
      await page.waitForURL(/done=/);
      expect(await page.textContent('.flash')).toBe('Saved the view "Printers <b>all</b>".');
      const saved = page.locator('.views .saved');
      expect(await saved.count()).toBe(1);
      expect(await saved.locator('a').textContent()).toBe('Printers <b>all</b>');
      // Opened from a plain queue page, it brings its filters back.
      await page.goto(`${origin}/console/queue`);
      expect((await queueKeys(page)).length).toBe(3);
      await page.click('.views .saved a');
      await page.waitForURL(/q=printer/);
      expect(await queueKeys(page)).toEqual(['T-1001']);
      expect(await page.inputValue('input[name=q]')).toBe('printer');
      // The same name again (in other case): refused, still one view.
      await page.fill('form.save-view input[name=name]', 'PRINTERS <B>ALL</B>');
      await page.click('form.save-view button');
      await page.waitForURL(/error=/);
      expect(await page.textContent('.flash')).toContain('already');
      expect(await page.locator('.views .saved').count()).toBe(1);
      await page.screenshot({ path: shot('saved-view'), fullPage: true });

      // Another person sees none of it and cannot delete it, even knowing its id.
      const viewId = /\/console\/views\/([^/]+)\/delete/.exec((await page.locator('.views .saved form').getAttribute('action'))!)![1]!;
      const other = await signIn(CAROL, 'carol');
      expect(await other.locator('.views .saved').count()).toBe(0);
      const csrf = await other.inputValue('form.save-view input[name=csrf]');
      const refused = await other.request.post(`${origin}/console/views/${viewId}/delete`, { form: { csrf }, maxRedirects: 0 });
      expect(refused.status()).toBe(303);
      expect(decodeURIComponent(refused.headers().location!)).toBe('/console/queue?error=No such view.');
      await page.reload();
      expect(await page.locator('.views .saved').count()).toBe(1);

      // Deleted by its owner.
      await page.click('.views .saved button');
      await page.waitForURL(/done=/);
      expect(await page.locator('.views .saved').count()).toBe(0);

      // Last changed: since 2000 (every ticket), or up to a day in 2001 (none, open or history).
      await page.goto(`${origin}/console/queue?ufrom=2000-01-01`);
      expect((await queueKeys(page)).length).toBe(3);
      expect(await page.inputValue('input[name=ufrom]')).toBe('2000-01-01');
      await page.goto(`${origin}/console/queue?uto=2001-01-01`);
      expect(await queueKeys(page)).toEqual([]);
      await page.goto(`${origin}/console/queue?uto=2001-01-01&status=any`);
      expect(await queueKeys(page)).toEqual([]);
      expect(pageErrors).toEqual([]);
    });

    it('shows a requester only their own tickets, not the reports, and refuses a link used twice or expired', async () => {
      const link = await linkFor(ALICE, 'alice');
      const page = await newPage();
      await page.goto(link);
      await page.click('[data-sign-in]');
      await page.waitForURL(/\/console\/queue/);
      expect(await page.textContent('[data-role]')).toBe('requester');
      expect(await page.textContent('h1')).toBe('My requests');
      expect((await queueKeys(page)).sort()).toEqual(['T-1001', 'T-1002']);
      const origin = new URL(page.url()).origin;
      expect((await page.goto(`${origin}/console/tickets/T-1003`))!.status()).toBe(404);
      expect((await page.goto(`${origin}/console/reports`))!.status()).toBe(403);
      expect((await page.goto(`${origin}/console/knowledge`))!.status()).toBe(403);
      // Her own ticket shows no internal note.
      await page.goto(`${origin}/console/tickets/T-1001`);
      expect(await page.content()).not.toContain('Toner ordered');

      // The same link again, in another browser: refused.
      const again = await newPage();
      await again.goto(link);
      await again.click('[data-sign-in]');
      expect(await again.textContent('h1')).toBe('Sign-in link refused');
      expect(await again.textContent('main')).toContain('already used');
      expect((await again.context().cookies()).find((c) => c.name === 'chatdesk_console')).toBeUndefined();

      // A link opened 11 minutes after it was sent: refused as expired.
      const late = await linkFor(CAROL, 'carol');
      clockOffsetMs += 11 * 60 * 1000;
      const latePage = await newPage();
      await latePage.goto(late);
      await latePage.click('[data-sign-in]');
      expect(await latePage.textContent('main')).toContain('expired');
      await latePage.screenshot({ path: shot('refused') });

      // Signing out ends the session for good.
      await page.click('.who button');
      expect(await page.textContent('h1')).toBe('Signed out');
      expect((await page.goto(`${origin}/console/queue`))!.status()).toBe(401);
      expect(pageErrors).toEqual([]);
    });

    it('shows the console in Chinese to a browser that asks for it, and switches language from the header (the choice is kept)', async () => {
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'zh-CN' });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await page.goto(await linkFor(MIA, 'mia'));
      expect(await page.textContent('h1')).toBe('登录 chatdesk 控制台');
      await page.click('[data-sign-in]');
      await page.waitForURL(/\/console\/queue/);
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await page.textContent('h1')).toBe('工单队列');
      expect(await page.textContent('[data-role]')).toBe('经理');
      expect(await page.textContent('table.queue thead th:nth-of-type(3)')).toBe('状态');
      await page.click('nav a[href="/console/reports"]');
      await page.waitForURL(/\/console\/reports/);
      expect(await page.textContent('h1')).toBe('报表');
      expect(await page.textContent('[data-kpi=created] span')).toBe('新建');
      const created = await page.textContent('[data-kpi=created] b');
      const bars = await page.$$eval('#created-resolved rect[data-series=Created]', (r) => r.map((x) => x.getAttribute('data-value')));
      await page.screenshot({ path: shot('reports-zh'), fullPage: true });
      // To English from the header: back on the same page, the same figures.
      await page.click('[data-lang]');
      await page.waitForURL(/\/console\/reports/);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.textContent('h1')).toBe('Reports');
      expect(await page.textContent('[data-kpi=created] b')).toBe(created);
      expect(await page.$$eval('#created-resolved rect[data-series=Created]', (r) => r.map((x) => x.getAttribute('data-value')))).toEqual(bars);
      // Kept: the queue stays in English though the browser asks for Chinese.
      await page.goto(`${new URL(page.url()).origin}/console/queue`);
      expect(await page.textContent('h1')).toBe('Queue');
      expect(pageErrors).toEqual([]);
    });

    it('lists the knowledge drawn from a resolved ticket with its uses, and edits and rejects it through the core', async () => {
      expect(
        (await sendSlashCommand(emu, events, { text: 'resolve T-1002 Restart the VPN client, then sign in again', userId: BOB, userName: 'bob' })).status,
      ).toBe(200);
      await waitFor(
        async () => (await app.desk.findTicket('T-1002')).status === 'resolved' && (await app.desk.findTicket('T-1002')).assist?.knowledge !== undefined,
        { timeoutMs: 10_000 },
      );
      const page = await signIn(BOB, 'bob');
      await page.click('nav a[href="/console/knowledge"]');
      const row = page.locator('tr[data-entry]', { hasText: 'T-1002' });
      expect(await row.locator('textarea').inputValue()).toBe('Restart the VPN client, then sign in again');
      expect(await row.locator('[data-uses]').textContent()).toBe('0');
      const id = (await row.getAttribute('data-entry'))!;

      await row.locator('textarea').fill('Quit the VPN client, start it again and sign in with your SSO account');
      await row.locator('.kb-edit button').click();
      await page.waitForURL(/done=/);
      expect((await app.desk.knowledge.get(id))?.answer).toBe('Quit the VPN client, start it again and sign in with your SSO account');

      await page.locator(`tr[data-entry="${id}"] button.danger`).click();
      await page.waitForURL(/done=/);
      expect((await app.desk.knowledge.get(id))?.status).toBe('rejected');
      expect(await page.locator(`tr[data-entry="${id}"]`).count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  });
}
