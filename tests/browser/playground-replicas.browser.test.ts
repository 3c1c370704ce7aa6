/**
 * The playground served by two replicas on one database, in a real headless
 * Chromium: a ticket opened on replica A's page is claimed on replica B's page,
 * and A's page shows the claim on the card and tells the employee in their DM;
 * after A restarts, its page shows the whole conversation from the database.
 *
 * Needs a Chromium (see playground.browser.test.ts); skipped locally without one, a failure in CI.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import type { Chatdesk } from '../../src/app';
import { describeInChromium, launchChromium } from '../support/chromium';
import { startTestApp } from '../support/test-app';
import { testMongoUri } from '../support/test-db';

/** Another replica's messages reach a page within about two seconds; this is the patience of a slow, shared machine. */
const WAIT_MS = 15_000;

describeInChromium('playground on two replicas in a real browser', (executablePath) => {
  const env = { MONGODB_URI: testMongoUri('browser-replicas') };
  let a: Chatdesk | undefined;
  let b: Chatdesk | undefined;
  let browser: Browser | undefined;
  let pageA: Page;
  let pageB: Page;
  const pageErrors: string[] = [];

  const open = async (app: Chatdesk) => {
    const page = await browser!.newPage({ viewport: { width: 1360, height: 900 }, locale: 'en-US' });
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    // Resolve asks "are you sure?": the person says yes.
    page.on('dialog', (dialog) => void dialog.accept());
    await show(page, app);
    return page;
  };
  const show = async (page: Page, app: Chatdesk) => {
    await page.goto(`${app.url}/?employee=dana`);
    await page.locator('#employee[data-connected="true"]').waitFor();
    await page.locator('#agent[data-connected="true"]').waitFor();
  };
  const employee = (page: Page) => page.locator('#employee');
  const agentCard = (page: Page, text: string): Locator => page.locator('#agent .feed > .msg').filter({ has: page.locator('.card h3', { hasText: text }) });

  beforeAll(async () => {
    const launching = launchChromium(executablePath);
    // One after the other: the first start on a new database sets it up.
    a = await startTestApp(env, { label: 'browser-replica-a' });
    b = await startTestApp({ ...env, CHATDESK_SLA_WORKER: 'false' }, { label: 'browser-replica-b' });
    browser = await launching;
    [pageA, pageB] = await Promise.all([open(a), open(b)]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await a?.stop();
    await b?.stop();
  });

  const title = 'the projector in room 4 shows no picture';
  let key = '';

  it("a ticket opened on A's page shows on B's page; B's claim shows on A's card and in the employee's DM on A", async () => {
    const command = employee(pageA).locator('input.command');
    await command.fill(`/ticket ${title}`);
    await command.press('Enter');
    const cardOnA = agentCard(pageA, title);
    await cardOnA.waitFor();
    key = (await cardOnA.locator('.card h3').textContent())!.split(' ')[0]!;
    expect(key).toMatch(/^T-\d+$/);
    const messageId = await cardOnA.getAttribute('data-message-id');

    // B's page learns of the card A posted, under the same message id.
    const cardOnB = agentCard(pageB, key);
    await cardOnB.waitFor();
    expect(await cardOnB.getAttribute('data-message-id')).toBe(messageId);
    await cardOnB.locator('button[data-action="claim"]').click();
    await cardOnB.locator('.card footer', { hasText: 'Claimed by Bob' }).waitFor();

    // A's page: the same card, changed in place, and the employee told in the ticket's thread.
    await cardOnA.locator('.card footer', { hasText: 'Claimed by Bob' }).waitFor();
    expect(await cardOnA.locator('button[data-action="claim"]').count()).toBe(0);
    expect(await agentCard(pageA, key).count()).toBe(1);
    await employee(pageA)
      .locator('.feed .msg.thread', { hasText: `Bob is working on your ticket ${key}.` })
      .waitFor();
  });

  it("after A restarts, A's page shows the conversation and the claimed card from the database", async () => {
    await a!.stop();
    a = await startTestApp(env, { label: 'browser-replica-a' });
    await show(pageA, a);
    await agentCard(pageA, key).locator('.card footer', { hasText: 'Claimed by Bob' }).waitFor();
    expect(await agentCard(pageA, key).count()).toBe(1);
    await employee(pageA)
      .locator('.feed .msg', { hasText: `Your ticket ${key} "${title}" is open` })
      .waitFor();
    await employee(pageA)
      .locator('.feed .msg.thread', { hasText: `Bob is working on your ticket ${key}.` })
      .waitFor();

    // And it goes on: B resolves on its page, A's restarted page shows it.
    await agentCard(pageB, key).locator('button[data-action="resolve"]').click();
    await agentCard(pageA, key).locator('button[data-action="reopen"]').waitFor();
    await employee(pageA).locator('.feed .msg.thread', { hasText: key }).filter({ hasText: 'resolved' }).first().waitFor();
    expect(pageErrors).toEqual([]);
  });
});
