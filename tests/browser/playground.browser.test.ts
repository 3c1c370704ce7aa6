/**
 * The web playground used by a person in a real headless Chromium: the employee
 * pane (left) opens tickets, the agent pane (right) sees and claims them.
 *
 * Needs a Chromium: CHROMIUM_PATH, else /usr/bin/chromium (scripts/ensure-chromium.sh
 * installs one). Without it the file is skipped locally and fails in CI.
 * The final page is saved as a screenshot in the OS temp directory (path printed).
 */
import { accessSync, constants, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { Chatdesk } from '../../src/app';
import { startTestApp } from '../support/test-app';

const WAIT_MS = 5000;

function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter((p): p is string => !!p);
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there or not executable: try the next one
    }
  }
  return undefined;
}

const executablePath = findChromium();
const MISSING_CHROMIUM =
  'no Chromium for the browser tests: set CHROMIUM_PATH to a Chromium/Chrome binary or install /usr/bin/chromium (scripts/ensure-chromium.sh does it)';
const inCI = !!process.env.CI && !/^(0|false)$/i.test(process.env.CI);
const screenshotPath = path.join(os.tmpdir(), `chatdesk-playground-${process.pid}-${Date.now()}.png`);

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
    const agentCard = (text: string): Locator => agent().locator('.feed > .msg').filter({ has: page.locator('.card h3', { hasText: text }) });
    const agentCardCount = () => agent().locator('.feed .card').count();

    beforeAll(async () => {
      [app, browser] = await Promise.all([
        startTestApp({}, { label: 'browser' }),
        chromium.launch({
          executablePath,
          timeout: 15000,
          args: [
            '--headless=new',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        }),
      ]);
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
      const origin = new URL(app.url).origin;
      page.on('request', (req) => {
        const url = new URL(req.url());
        if (url.origin.replace(/^ws/, 'http') !== origin || url.pathname === '/x') strayRequests.push(req.url());
      });
    }, 25000);

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

    it('an escalation DM shows Open ticket as a link that focuses the ticket card, also when the page is opened from it', async () => {
      const ticket = await app!.desk.findTicket(key);
      await app!.desk.notifyEscalation(ticket, { platform: 'playground', id: 'alice', name: 'Alice' }, { kind: 'manual', actor: { platform: 'playground', id: 'bob', name: 'Bob' } });
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

    it(`leaves a clean page (screenshot: ${screenshotPath})`, async () => {
      await page.screenshot({ path: screenshotPath, fullPage: true });
      console.log(`[tests/browser] screenshot of the final playground page: ${screenshotPath}`);
      expect(statSync(screenshotPath).size).toBeGreaterThan(10_000);
      expect(pageErrors).toEqual([]);
      expect(consoleErrors).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(strayRequests).toEqual([]);
      // the only failed request is the form submitted without a title (and the browser's own favicon probe)
      expect(httpErrors.filter((e) => e !== '404 GET /favicon.ico')).toEqual(['422 POST /api/playground/tickets']);
    });
  });
}
