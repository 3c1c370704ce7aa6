/**
 * The web playground used by a person in a real headless Chromium: the employee
 * pane (left) opens tickets, the agent pane (right) sees and claims them.
 *
 * Needs a Chromium: CHROMIUM_PATH, else /usr/bin/chromium (scripts/ensure-chromium.sh
 * installs one). Without it the file is skipped locally and fails in CI.
 * The final page is saved as a screenshot in the OS temp directory (path printed).
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { findChromium, inCI, launchChromium, MISSING_CHROMIUM } from '../support/chromium';
import type { Chatdesk } from '../../src/app';
import type { Ticket } from '../../src/domain/ticket/ticket';
import { waitFor } from '../emulators/shared';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import { deskFile } from '../support/desk-file';
import { startTestApp } from '../support/test-app';
import { testMongoUri } from '../support/test-db';

const WAIT_MS = 5000;

const executablePath = findChromium();
const screenshotPath = path.join(os.tmpdir(), `chatdesk-playground-${process.pid}-${Date.now()}.png`);
const DANGER = 'rgb(194, 59, 59)'; // --danger in web/playground.html

/**
 * The built-in desk with a second team, Workplace, that takes hardware tickets
 * in its own playground channel; no SLA escalation contacts.
 */
function twoTeamDesk(): string {
  const [it] = defaultDeskConfig.teams;
  return deskFile({
    teams: [
      { ...it, categories: it.categories.filter((c) => c !== 'hardware') },
      { id: 'workplace', name: 'Workplace', categories: ['hardware'], agentChannels: { playground: 'agents-workplace' } },
    ],
  });
}

if (!executablePath && inCI) {
  describe('playground in a real browser', () => {
    it('has a Chromium to run in', () => {
      throw new Error(`${MISSING_CHROMIUM} (CI is set, so this is a failure, not a skip)`);
    });
  });
} else if (!executablePath) {
  console.warn(`[tests/browser] skipped: ${MISSING_CHROMIUM}`);
  describe.skip(`playground in a real browser (skipped: ${MISSING_CHROMIUM})`, () => {
    it('is skipped', () => undefined);
  });
} else {
  describe('playground in a real browser', () => {
    let app: Chatdesk | undefined;
    // One database and desk for both runs of the app (the restart test starts a second one on them).
    const env = { MONGODB_URI: testMongoUri('browser'), CHATDESK_CONFIG: twoTeamDesk() };
    const origins = new Set<string>();
    let browser: Browser | undefined;
    let page: Page;
    const pageErrors: string[] = [];
    const consoleErrors: string[] = [];
    const dialogs: string[] = [];
    const strayRequests: string[] = [];
    const httpErrors: string[] = [];

    const employee = () => page.locator('#employee');
    const agent = () => page.locator('#agent');
    /** The agent-channel message whose card title contains `text`. */
    const agentCard = (text: string): Locator =>
      agent()
        .locator('.feed > .msg')
        .filter({ has: page.locator('.card h3', { hasText: text }) });
    const agentCardCount = () => agent().locator('.feed .card').count();
    /** Types `text` in a pane's command box and presses Enter. */
    const typeIn = async (pane: Locator, text: string) => {
      const command = pane.locator('input.command');
      await command.fill(text);
      await command.press('Enter');
    };
    /** Waits for the pane's notice to say `text`; returns its tone and colour. */
    const noticeSays = async (pane: Locator, text: string) => {
      const notice = pane.locator('.notice');
      await notice.filter({ hasText: text }).waitFor();
      return {
        text: (await notice.textContent())!,
        tone: await notice.getAttribute('data-tone'),
        color: await notice.evaluate((n) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(n).color),
      };
    };
    const ticketsOf = async (userId: string) => (await app!.store.tickets.list({ limit: 500 })).filter((tk) => tk.requester.id === userId);

    beforeAll(async () => {
      [app, browser] = await Promise.all([startTestApp(env, { label: 'browser' }), launchChromium(executablePath)]);
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-US' });
      page = await context.newPage();
      page.setDefaultTimeout(WAIT_MS);
      page.on('pageerror', (err) => pageErrors.push(err.message));
      page.on('console', (msg) => {
        // failed HTTP responses are checked one by one below (httpErrors)
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) consoleErrors.push(msg.text());
      });
      page.on('response', (res) => {
        if (res.status() >= 400) httpErrors.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
      });
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      // Only the app itself may be contacted (and never the XSS probe's "x").
      origins.add(new URL(app.url).origin);
      page.on('request', (req) => {
        const url = new URL(req.url());
        if (!origins.has(url.origin.replace(/^ws/, 'http')) || url.pathname === '/x') strayRequests.push(req.url());
      });
    }, 90_000);

    afterAll(async () => {
      await browser?.close().catch(() => undefined);
      await app?.stop();
    });

    it('opens the playground and connects the employee and agent panes', async () => {
      await page.goto(app!.url);
      await page.locator('#employee[data-connected="true"]').waitFor();
      await page.locator('#agent[data-connected="true"]').waitFor();
      expect(await employee().locator('.status').textContent()).toBe('connected');
      expect(await employee().locator('.who-id').inputValue()).toBe('alice');
      expect(await agent().locator('.who-name').inputValue()).toBe('Bob');
    });

    let key = '';
    let cardMessageId = '';
    const title = 'printer on floor 3 is jammed';

    it('/ticket + Enter in the command box posts a card to agents and confirms in the employee DM', async () => {
      const command = employee().locator('input.command');
      await command.fill(`/ticket ${title}`);
      await command.press('Enter');

      const card = agentCard(title);
      await card.waitFor();
      const heading = (await card.locator('.card h3').textContent())!;
      expect(heading).toMatch(/^T-\d+ · /);
      expect(heading).toContain(title);
      key = heading.split(' ')[0]!;
      cardMessageId = (await card.getAttribute('data-message-id'))!;
      expect(cardMessageId).toBeTruthy();
      // A hardware ticket goes to the Workplace team: its channel shows in the agent pane too, named.
      expect(await card.getAttribute('data-conversation')).toBe('agents-workplace');
      expect(await card.locator('.channel').textContent()).toBe('#Workplace');
      expect(await card.locator('button[data-action="claim"]').count()).toBe(1);

      const confirmation = employee().locator('.feed .msg').filter({ hasText: key });
      await confirmation.waitFor();
      expect(await confirmation.textContent()).toContain(`Your ticket ${key} "${title}" is open`);
      // The card and DM arrive over the socket, possibly before the command's own HTTP answer clears the box.
      await page.waitForFunction("document.querySelector('#employee input.command')?.value === ''", undefined, { timeout: 5000 }).catch(() => undefined);
      expect(await command.inputValue()).toBe(''); // cleared after a successful command
      expect(await employee().locator('.notice').textContent()).toBe('');
    });

    it('Claim updates the same card in place and tells the employee in a thread', async () => {
      expect(key).toMatch(/^T-\d+$/);
      const card = agent().locator(`.feed > .msg[data-message-id="${cardMessageId}"]`);
      await card.locator('button[data-action="claim"]').click();

      await card.locator('.card footer', { hasText: 'Claimed by Bob' }).waitFor();
      expect(await card.locator('button[data-action="claim"]').count()).toBe(0);
      expect(await card.locator('time').textContent()).toContain('(edited)');
      expect(await agentCard(key).count()).toBe(1); // replaced, not appended
      expect(await agent().locator('.notice').textContent()).toBe('');

      const reply = employee().locator('.feed .msg.thread').filter({ hasText: key });
      await reply.waitFor();
      expect(await reply.textContent()).toContain(`Bob is working on your ticket ${key}`);
    });

    it('Note opens a form under the card; the note shows under the card marked internal and nowhere in the employee pane', async () => {
      const card = agent().locator(`.feed > .msg[data-message-id="${cardMessageId}"]`);
      await card.locator('button[data-action="note"]').click();
      const form = card.locator('form.note');
      await form.waitFor();
      expect(await form.locator('strong').textContent()).toBe(`Note on ${key}`);
      await form.locator('button[type="submit"]').click(); // empty: refused in the form, which stays open
      await form.locator('.error', { hasText: 'A note needs some text' }).waitFor();
      const text = 'toner for this printer is in the basement store';
      await form.locator('textarea').fill(text);
      await form.locator('button[type="submit"]').click();
      await form.waitFor({ state: 'detached' });
      const note = agent()
        .locator('.feed .msg.thread')
        .filter({ hasText: `Internal note on ${key} by Bob: ${text}` });
      await note.waitFor();
      expect(await agent().locator('.notice').textContent()).toContain(`Internal note added to ${key}. Only agents see it.`);
      expect(await employee().locator('.feed').textContent()).not.toContain(text);
    });

    it('an escalation DM shows Open ticket as a link that focuses the ticket card, also when the page is opened from it', async () => {
      const ticket = await app!.desk.findTicket(key);
      await app!.desk.notifyEscalation(
        ticket,
        { platform: 'playground', id: 'alice', name: 'Alice' },
        { kind: 'manual', actor: { platform: 'playground', id: 'bob', name: 'Bob' } },
      );
      const link = employee().locator('.feed .card a[data-action="open_ticket"]');
      await link.waitFor();
      expect(await link.textContent()).toBe('Open ticket');
      expect(await link.getAttribute('href')).toBe(new URL(`/?message=${cardMessageId}`, app!.url).href);
      expect(await employee().locator('.feed .card button[data-action="acknowledge"]').count()).toBe(1);

      await link.click();
      const focused = agent().locator('.feed > .msg.focused');
      await focused.waitFor();
      expect(await focused.getAttribute('data-message-id')).toBe(cardMessageId);
      expect(new URL(page.url()).searchParams.get('message')).toBe(cardMessageId);

      // The link opened in a new page: the panes load, then the card is focused.
      await page.goto(`${app!.url}/?message=${cardMessageId}`);
      await page.locator('#agent[data-connected="true"]').waitFor();
      await agent().locator(`.feed > .msg.focused[data-message-id="${cardMessageId}"]`).waitFor();
    });

    it('the New ticket form shows field errors, swaps fields by type keeping the title, and creates the ticket', async () => {
      await employee().locator('button.open-form').click();
      const form = employee().locator('form.ticket');
      await form.waitFor();
      expect(await form.locator('#field-impact').count()).toBe(1); // default type: incident

      const ticketsBefore = (await app!.store.tickets.list({})).length;
      const cardsBefore = await agentCardCount();
      await form.locator('button[type="submit"]').click();
      await form.locator('[data-error-for="title"]', { hasText: 'required' }).waitFor();
      expect(await form.locator('[data-error-for="title"]').textContent()).toBe('required');
      expect((await app!.store.tickets.list({})).length).toBe(ticketsBefore);
      expect(await agentCardCount()).toBe(cardsBefore);

      const accessTitle = 'Need access to Figma for the design review';
      await form.locator('#field-title').fill(accessTitle);
      await form.locator('#field-type').selectOption({ label: 'Access to a system' });
      await form.locator('#field-system').waitFor(); // the form is re-rendered for the new type
      expect(await form.locator('#field-impact').count()).toBe(0);
      expect(await form.locator('#field-title').inputValue()).toBe(accessTitle);
      expect(await form.locator('#field-type').inputValue()).toBe('access');

      await form.locator('#field-system').fill('Figma');
      await form.locator('button[type="submit"]').click();
      const card = agentCard(accessTitle);
      await card.waitFor();
      expect(await card.locator('dl').textContent()).toContain('Access to a system');
      expect(await card.locator('dl').textContent()).toContain('Figma');
      await employee().locator('form.ticket').waitFor({ state: 'detached' }); // closed after success
      expect(await agentCardCount()).toBe(cardsBefore + 1);
    });

    it('shows user text literally, never as HTML', async () => {
      const evil = '<img src=x onerror="window.__xss=1">';
      const command = employee().locator('input.command');
      await command.fill(`/ticket ${evil}`);
      await command.press('Enter');

      const card = agentCard('onerror');
      await card.waitFor();
      const heading = (await card.locator('.card h3').textContent())!;
      expect(heading).toMatch(/^T-\d+ · /);
      expect(heading.slice(heading.indexOf(' · ') + 3)).toBe(evil);
      const evilKey = heading.split(' ')[0]!;
      await employee().locator('.feed .msg').filter({ hasText: evilKey }).waitFor();
      expect(await employee().locator('.feed .msg').filter({ hasText: evilKey }).textContent()).toContain(evil);

      expect(await page.locator('img').count()).toBe(0); // no element was created from the text
      await page.waitForTimeout(200); // give a (wrongly) created image time to fail and run its handler
      expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    });

    it('every /工单 command works as its /ticket twin, for the employee and the agent; answers are not shown as errors', async () => {
      const before = await agentCardCount();
      const pairs: Array<{ pane: 'employee' | 'agent'; en: string; zh: string; enSays: string; zhSays: string }> = [
        { pane: 'employee', en: '/ticket help', zh: '/工单 帮助', enSays: 'Open a ticket: /ticket', zhSays: '提交工单：/工单' },
        { pane: 'employee', en: '/ticket escalations', zh: '/工单 升级', enSays: 'You have no open escalations.', zhSays: '你没有待处理的升级。' },
        {
          pane: 'agent',
          en: `/ticket reply ${key} Please try the second tray`,
          zh: `/工单 回复 ${key} 请换第二个纸盒`,
          enSays: `Sent to the requester of ${key}.`,
          zhSays: `已发送给 ${key} 的提交人。`,
        },
        {
          pane: 'agent',
          en: `/ticket category ${key} network`,
          zh: `/工单 类别 ${key} hardware`,
          enSays: `${key} is now network.`,
          zhSays: `${key} 的类别已改为 hardware`,
        },
        {
          pane: 'agent',
          en: `/ticket kb kb-${'0'.repeat(24)} new text`,
          zh: `/工单 知识 kb-${'0'.repeat(24)} 新答案`,
          enSays: `No knowledge entry kb-${'0'.repeat(24)}.`,
          zhSays: `没有知识条目 kb-${'0'.repeat(24)}。`,
        },
      ];
      for (const p of pairs) {
        const pane = p.pane === 'employee' ? employee() : agent();
        for (const [typed, says] of [
          [p.en, p.enSays],
          [p.zh, p.zhSays],
        ] as const) {
          await typeIn(pane, typed);
          const notice = await noticeSays(pane, says);
          expect({ typed, tone: notice.tone }).toEqual({ typed, tone: 'info' });
          expect(notice.color).not.toBe(DANGER);
          expect(await pane.locator('input.command').inputValue()).toBe('');
        }
      }
      // The agent's replies reached the employee in the ticket's thread, in both languages.
      await employee().locator('.feed .msg.thread', { hasText: 'Please try the second tray' }).waitFor();
      await employee().locator('.feed .msg.thread', { hasText: '请换第二个纸盒' }).waitFor();
      expect((await app!.desk.findTicket(key)).category).toBe('hardware');
      // None of it opened a ticket: no card, and the agent is no one's requester.
      expect(await agentCardCount()).toBe(before);
      expect(await ticketsOf('bob')).toEqual([]);

      // `/工单` alone opens the form, as `/ticket` does.
      for (const typed of ['/ticket', '/工单']) {
        await typeIn(employee(), typed);
        await employee().locator('form.ticket').waitFor();
        await employee().locator('form.ticket button[type="button"]').click(); // Cancel
        await employee().locator('form.ticket').waitFor({ state: 'detached' });
      }

      // A Chinese ticket is a ticket (not a reply to one of the employee's open tickets), confirmed in Chinese.
      const mine = (await ticketsOf('alice')).length;
      await typeIn(employee(), '/工单 三楼打印机卡纸了');
      const card = agentCard('三楼打印机卡纸了');
      await card.waitFor();
      const zhKey = (await card.locator('.card h3').textContent())!.split(' ')[0]!;
      await employee()
        .locator('.feed .msg', { hasText: `你的工单 ${zhKey}「三楼打印机卡纸了」已创建` })
        .waitFor();
      expect(await ticketsOf('alice')).toHaveLength(mine + 1);
      expect((await app!.desk.findTicket(zhKey)).title).toBe('三楼打印机卡纸了');
    });

    it('the employee sees their own message to the bot, and the agents see it under the card', async () => {
      const text = `${key}: the paper tray is empty too`;
      await typeIn(employee(), text);
      const said = await noticeSays(employee(), `Added to ${key}`);
      expect(said.tone).toBe('info');
      const own = employee().locator('.feed .msg.mine', { hasText: text });
      await own.waitFor();
      expect(await own.locator('.author').textContent()).toBe('Alice');
      await agent()
        .locator('.feed .msg.thread', { hasText: `Alice on ${key}:` })
        .filter({ hasText: 'the paper tray is empty too' })
        .waitFor();
    });

    it('Escalate on a desk with no escalation contacts tells the agent that it raised the priority and told no one', async () => {
      const t = 'VPN drops every ten minutes';
      await typeIn(employee(), `/ticket ${t}`);
      const card = agentCard(t);
      await card.waitFor();
      const vpnKey = (await card.locator('.card h3').textContent())!.split(' ')[0]!;
      const before = (await app!.desk.findTicket(vpnKey)).priority;
      await card.locator('button[data-action="escalate"]').click();
      const said = await noticeSays(agent(), `Escalated ${vpnKey} to`);
      const after = await app!.desk.findTicket(vpnKey);
      expect(after.priority < before || before === 'P0').toBe(true);
      expect(said.text).toBe(
        `Escalated ${vpnKey} to ${after.priority}. No one else was told: the IT team has no escalation contact (sla.teams.it.escalation in the desk file).`,
      );
      expect(said.tone).toBe('info');
      expect(said.color).not.toBe(DANGER);
      await card.locator('.card footer', { hasText: 'Escalated (level 1)' }).waitFor();
      const shot = screenshotPath.replace(/\.png$/, '-escalate-notice.png');
      await page.screenshot({ path: shot });
      console.log(`[tests/browser] screenshot of the escalation notice: ${shot}`);
    });

    it('a "Needed by" date before today is refused with a clear error; the picker starts at today', async () => {
      const today = app!.desk.today();
      const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      await employee().locator('button.open-form').click();
      const form = employee().locator('form.ticket');
      await form.locator('#field-type').selectOption({ label: 'I need something' });
      const neededBy = form.locator('#field-needed_by');
      await neededBy.waitFor();
      expect(await neededBy.getAttribute('min')).toBe(today);
      const laptop = 'A laptop for the new designer';
      await form.locator('#field-title').fill(laptop);
      await neededBy.fill(yesterday);
      const count = (await ticketsOf('alice')).length;
      await form.locator('button[type="submit"]').click();
      await form.locator('[data-error-for="needed_by"]', { hasText: 'must be today' }).waitFor();
      expect(await form.locator('[data-error-for="needed_by"]').textContent()).toBe(`must be today (${today}) or later`);
      expect(await ticketsOf('alice')).toHaveLength(count);

      await neededBy.fill(today);
      await form.locator('button[type="submit"]').click();
      const card = agentCard(laptop);
      await card.waitFor();
      expect(await card.locator('dl').textContent()).toContain(today);
    });

    it("?employee= picks the employee's id and name", async () => {
      await page.goto(`${app!.url}/?employee=carol`);
      await page.locator('#employee[data-connected="true"]').waitFor();
      expect(await employee().locator('.who-id').inputValue()).toBe('carol');
      expect(await employee().locator('.who-name').inputValue()).toBe('carol');
      await typeIn(employee(), '/ticket Badge reader at the side door is dead');
      await employee().locator('.feed .msg', { hasText: 'Badge reader at the side door is dead' }).waitFor();
      expect((await ticketsOf('carol')).map((tk) => tk.requester.name)).toEqual(['carol']);
    });

    it('after a restart the page shows the tickets, cards and DM threads from the database, and a rebuilt card can be acted on', async () => {
      await page.goto(app!.url);
      await page.locator('#agent[data-connected="true"]').waitFor();
      await page.locator('#employee[data-connected="true"]').waitFor();
      // Counted once the feed shows the cards (connected comes before the history is drawn), as after the restart.
      await agent().locator(`.feed > .msg[data-message-id="${cardMessageId}"]`).waitFor();
      const cardsBefore = await agentCardCount();
      await app!.stop();
      app = await startTestApp(env, { label: 'browser' });
      origins.add(new URL(app.url).origin);

      await page.goto(app.url);
      await page.locator('#agent[data-connected="true"]').waitFor();
      await page.locator('#employee[data-connected="true"]').waitFor();
      // The same cards, under the same message ids (so links and in-place updates still work).
      await agent().locator(`.feed > .msg[data-message-id="${cardMessageId}"]`).waitFor();
      expect(await agentCardCount()).toBe(cardsBefore);
      expect(await agentCard(key).locator('.card footer').textContent()).toContain('Claimed by Bob');
      // The employee's DM: confirmations, what they were told in each thread, and what they wrote.
      await employee()
        .locator('.feed .msg', { hasText: `Your ticket ${key} "${title}" is open` })
        .waitFor();
      await employee()
        .locator('.feed .msg.thread', { hasText: `Bob is working on your ticket ${key}.` })
        .waitFor();
      await employee().locator('.feed .msg.thread', { hasText: '请换第二个纸盒' }).waitFor();
      await employee().locator('.feed .msg.mine', { hasText: 'the paper tray is empty too' }).waitFor();

      // A ticket opened before the restart is claimed from its rebuilt card: the card changes in place, the employee hears it.
      const laptop = agentCard('A laptop for the new designer');
      const laptopKey = (await laptop.locator('.card h3').textContent())!.split(' ')[0]!;
      await laptop.locator('button[data-action="claim"]').click();
      await laptop.locator('.card footer', { hasText: 'Claimed by Bob' }).waitFor();
      expect(await laptop.locator('time').textContent()).toContain('(edited)');
      expect(await agentCard(laptopKey).count()).toBe(1);
      await employee()
        .locator('.feed .msg.thread', { hasText: `Bob is working on your ticket ${laptopKey}.` })
        .waitFor();
      expect(await agent().locator('.notice').textContent()).toBe('');
    });

    it('after rating, Add a comment opens a form under the offer in the employee pane; the comment shows on the agent card', async () => {
      await typeIn(employee(), '/ticket Webcam shows a black image');
      let ticket: Ticket | undefined;
      await waitFor(async () => (ticket = (await ticketsOf('alice')).find((tk) => tk.title === 'Webcam shows a black image')), { timeoutMs: WAIT_MS });
      await app!.desk.act(ticket!.id, { kind: 'resolve' }, { platform: 'playground', id: 'bob', name: 'Bob' });
      const ask = employee()
        .locator('.feed .msg')
        .filter({ has: page.locator('button[data-action="csat_4"]') });
      await ask.locator('button[data-action="csat_4"]').click();
      const offer = employee()
        .locator('.feed .msg')
        .filter({ has: page.locator('button[data-action="csat_comment"]') });
      await offer.locator('.card h3', { hasText: `You rated ${ticket!.key} 4/5.` }).waitFor();
      await offer.locator('button[data-action="csat_comment"]').click();
      const form = offer.locator('form.note');
      await form.waitFor();
      expect(await form.locator('strong').textContent()).toBe(`Comment on ${ticket!.key}`);
      await form.locator('textarea').fill('Works again, <i>thanks</i>');
      await form.locator('button[type="submit"]').click();
      await form.waitFor({ state: 'detached' });
      expect(await employee().locator('.notice').textContent()).toContain(`your comment on ${ticket!.key} is recorded`);
      await agentCard(ticket!.key).locator('dd', { hasText: '★★★★☆ 4/5 · "Works again, <i>thanks</i>"' }).waitFor();
    });

    it(`leaves a clean page (screenshot: ${screenshotPath})`, async () => {
      await page.screenshot({ path: screenshotPath, fullPage: true });
      console.log(`[tests/browser] screenshot of the final playground page: ${screenshotPath}`);
      expect(statSync(screenshotPath).size).toBeGreaterThan(10_000);
      expect(pageErrors).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(strayRequests).toEqual([]);
      // the only failed requests are the note submitted empty, the forms submitted without a title and with a past date (and the browser's own favicon probe)
      expect(httpErrors.filter((e) => e !== '404 GET /favicon.ico')).toEqual([
        '422 POST /api/playground/notes',
        '422 POST /api/playground/tickets',
        '422 POST /api/playground/tickets',
      ]);
    });
  });
}
