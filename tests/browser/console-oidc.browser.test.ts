/**
 * Console sign-in with an identity provider in a real headless Chromium: the
 * console's sign-in page, "Sign in with Test IdP", the provider's login form
 * (a wrong password first) and consent page (oidc-provider, a real OpenID
 * provider on 127.0.0.1), and back to the console on the person's own queue:
 * the IT agent in the directory sees the IT team's tickets as an agent, the
 * admin every ticket, an address the directory does not know only the
 * tickets it raised by email. Screenshots go to the OS temp directory.
 */
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInChromium, launchChromium } from '../support/chromium';
import { type OidcDesk, PASSWORD, startOidcDesk } from '../support/oidc-desk';

const shot = (name: string) => path.join(os.tmpdir(), `chatdesk-console-oidc-${name}-${process.pid}.png`);

describeInChromium('console sign-in with an identity provider, in a real browser', (executablePath) => {
  let desk: OidcDesk;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [desk, browser] = await Promise.all([startOidcDesk('console_oidc_browser'), launchChromium(executablePath)]);
  }, 90_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await desk?.stop();
  });

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    return page;
  };

  /** Opens the console, clicks "Sign in with Test IdP", signs in at the provider and allows the console; ends on the console. */
  const signIn = async (login: string, opts: { wrongPasswordFirst?: boolean } = {}): Promise<Page> => {
    const page = await newPage();
    expect((await page.goto(`${desk.app.url}/console/queue`))!.status()).toBe(401);
    await page.click('[data-oidc-sign-in]');
    await page.waitForURL((u) => u.origin === desk.idp.issuer);
    if (opts.wrongPasswordFirst) {
      await page.fill('input[name=login]', login);
      await page.fill('input[name=password]', 'not the password');
      await page.click('[data-idp-submit]');
      expect(await page.textContent('[role=alert]')).toBe('Wrong login or password.');
    }
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('[data-idp-submit]');
    expect(await page.textContent('h1')).toBe('Allow chatdesk console?');
    await page.click('[data-idp-submit]');
    await page.waitForURL(`${desk.app.url}/console/queue`);
    return page;
  };

  const queueKeys = async (page: Page) => (await page.$$eval('table.queue tbody tr[data-key]', (rows) => rows.map((r) => r.getAttribute('data-key')))).sort();

  it("signs the IT agent in through the provider's login form onto the IT team's queue, as an agent", async () => {
    const page = await newPage();
    await page.goto(`${desk.app.url}/console/queue`);
    expect(await page.textContent('main')).toContain('/ticket console');
    expect(await page.textContent('[data-oidc-sign-in]')).toBe('Sign in with Test IdP');
    await page.screenshot({ path: shot('sign-in') });
    await page.close();

    const bob = await signIn('bob', { wrongPasswordFirst: true });
    expect(await bob.textContent('[data-role]')).toBe('agent');
    expect(await bob.textContent('.who span')).toContain('Bob Builder');
    expect(await queueKeys(bob)).toEqual([desk.keys.printer, desk.keys.vpn].sort());
    const session = (await bob.context().cookies()).find((c) => c.name === 'chatdesk_console');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/console' });
    // The browser's sign-in cookie is gone once it served.
    expect((await bob.context().cookies()).find((c) => c.name === 'chatdesk_oidc')).toBeUndefined();
    await bob.screenshot({ path: shot('agent-queue'), fullPage: true });

    // The session works as the link's does: the ticket page, and a claim with its CSRF token.
    await bob.click(`a[href="/console/tickets/${desk.keys.printer}"]`);
    await bob.click('[data-action=claim]');
    await bob.waitForURL(/done=/);
    expect(await bob.textContent('[data-field=Assignee]')).toContain('Bob Builder');
    console.info(`[console-oidc] screenshots: ${shot('sign-in')} ${shot('agent-queue')}`);
  });

  it('signs the admin in onto every ticket', async () => {
    const ada = await signIn('ada');
    expect(await ada.textContent('[data-role]')).toBe('admin');
    expect(await queueKeys(ada)).toEqual([desk.keys.printer, desk.keys.payslip, desk.keys.vpn].sort());
  });

  it('signs an address the directory does not know in as the email requester: My requests, only its own ticket', async () => {
    const carol = await signIn('carol');
    expect(await carol.textContent('[data-role]')).toBe('requester');
    expect(await carol.textContent('h1')).toBe('My requests');
    expect(await queueKeys(carol)).toEqual([desk.keys.vpn]);
    expect((await carol.goto(`${desk.app.url}/console/reports`))!.status()).toBe(403);
    await carol.goto(`${desk.app.url}/console/queue`);
    await carol.screenshot({ path: shot('requester-queue'), fullPage: true });

    // Signing out ends the session; the page offers the provider again.
    await carol.click('.who button');
    expect(await carol.textContent('h1')).toBe('Signed out');
    expect(await carol.textContent('[data-oidc-sign-in]')).toBe('Sign in with Test IdP');
    expect((await carol.goto(`${desk.app.url}/console/queue`))!.status()).toBe(401);
    expect(pageErrors).toEqual([]);
  });

  it('shows a clear page, and no session, when the person cancels at the provider', async () => {
    const page = await newPage();
    await page.goto(`${desk.app.url}/console/queue`);
    await page.click('[data-oidc-sign-in]');
    await page.click('[data-idp-cancel]');
    await page.waitForURL((u) => u.pathname === '/console/oidc/callback');
    expect(await page.textContent('h1')).toBe('Not signed in');
    expect(await page.textContent('main')).toContain('Test IdP did not sign you in (access_denied)');
    expect((await page.context().cookies()).find((c) => c.name === 'chatdesk_console')).toBeUndefined();
    await page.screenshot({ path: shot('cancelled') });
  });
});
