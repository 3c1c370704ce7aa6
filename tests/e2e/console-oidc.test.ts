/**
 * Console sign-in with an identity provider, over plain HTTP against a real
 * OpenID Connect provider (oidc-provider) and the real app: the sign-in page
 * offers it beside the messenger's link (which keeps working); the answers a
 * person must not be signed in by are refused with a page that says why and
 * no session: a tampered state, a replayed callback, an answer carried to
 * another browser, the provider's own error (Cancel), a forged ID token, an
 * unverified address. Nothing secret reaches the log.
 */
import type { Chatdesk } from '../../src/app';
import { freePort } from '../support/app-process';
import { ACCOUNTS, type OidcDesk, PASSWORD, startOidcDesk } from '../support/oidc-desk';
import { startTestApp } from '../support/test-app';
import { browse, CookieJar, throughProvider } from '../support/oidc-walk';

const as = (login: string) => ({ login, password: PASSWORD });

/** The page's heading and text, without tags. */
async function pageText(res: Response): Promise<string> {
  return (await res.text())
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

/** `/ticket console` on the playground, and the sign-in link the bot DMs back, used: its answer. */
async function linkSignIn(app: Chatdesk, user: string): Promise<Response> {
  const res = await fetch(`${app.url}/api/playground/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, name: user, text: 'console' }),
  });
  expect(res.status).toBeLessThan(300);
  await app.intake.idle();
  const texts = (await app.playground!.visibleTo(user)).flatMap((c) => c.messages.map((m) => m.text));
  const link = texts.map((t) => /http:\/\/\S+\/console\/sign-in\/[\w-]+/.exec(t)?.[0]).find(Boolean);
  expect(link).toBeDefined();
  return fetch(link!, { method: 'POST', redirect: 'manual' });
}

/** What the browser holds for the console after an answer: a session cookie or not. */
const sessionOf = (jar: CookieJar, consoleUrl: string) => jar.get(new URL(consoleUrl), 'chatdesk_console');

describe('console sign-in with an identity provider (OIDC)', () => {
  let desk: OidcDesk;
  let url: string;
  const callbacks: URL[] = [];

  beforeAll(async () => {
    desk = await startOidcDesk('console_oidc');
    url = desk.app.url;
  }, 60_000);
  afterAll(async () => {
    await desk?.stop();
  });

  /** Signs in through the provider and comes back: the callback's answer and the browser. */
  const signIn = async (login: string) => {
    const { callback, jar } = await throughProvider(url, as(login));
    callbacks.push(callback);
    const res = await browse(jar, callback);
    return { res, jar, callback };
  };

  it('offers "Sign in with Test IdP" beside the link from the messenger', async () => {
    const res = await fetch(`${url}/console/queue`);
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('href="/console/oidc/start"');
    expect(html).toContain('Sign in with Test IdP');
    expect(html).toContain('/ticket console');
  });

  it('signs a person in with the session the link gives: HttpOnly, SameSite=Lax cookie on /console, a CSRF token, their role', async () => {
    const { res, jar } = await signIn('bob');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/queue');
    const cookies = res.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('chatdesk_console='))).toMatch(/; Path=\/console; HttpOnly; SameSite=Lax; Max-Age=43\d{3}$/);
    // The browser's sign-in cookie is spent.
    expect(cookies.find((c) => c.startsWith('chatdesk_oidc='))).toMatch(/Max-Age=0/);
    const queue = await browse(jar, new URL('/console/queue', url));
    expect(queue.status).toBe(200);
    const html = await queue.text();
    expect(html).toContain('Bob Builder · <b data-role="agent">agent</b>');
    expect(html).toMatch(/name="csrf" value="[\w-]{20,}"/);
    expect(html).toContain(`data-key="${desk.keys.printer}"`);
    expect(html).not.toContain(`data-key="${desk.keys.payslip}"`);
  });

  it('still signs people in with the link the bot DMs (/ticket console)', async () => {
    const used = await linkSignIn(desk.app, 'pia');
    expect(used.status).toBe(303);
    expect(used.headers.get('set-cookie')).toMatch(/^chatdesk_console=/);
  });

  it('refuses an answer whose state was tampered with, and signs nobody in', async () => {
    const { callback, jar } = await throughProvider(url, as('bob'));
    callbacks.push(callback);
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')!.slice(0, -4)}AAAA`);
    const res = await browse(jar, tampered);
    expect(res.status).toBe(400);
    expect(await pageText(res)).toContain('Sign-in failed');
    expect(sessionOf(jar, url)).toBeUndefined();
    const none = new URL(callback);
    none.searchParams.delete('state');
    const missing = await browse(jar, none);
    expect(missing.status).toBe(400);
    expect(await pageText(missing)).toContain('its state is missing or unknown');
    expect(sessionOf(jar, url)).toBeUndefined();
  });

  it('refuses a replayed callback: the first answer signs in, the same one again does not', async () => {
    const { callback, jar } = await throughProvider(url, as('pia'));
    callbacks.push(callback);
    const thief = jar.clone();
    expect((await browse(jar, callback)).status).toBe(303);
    // Replayed with the same browser's cookies (a copied request): refused, no new session.
    const again = await browse(thief, callback);
    expect(again.status).toBe(400);
    expect(again.headers.getSetCookie().some((c) => c.startsWith('chatdesk_console='))).toBe(false);
    expect(await pageText(again)).toContain('This sign-in answer was already used');
    expect(sessionOf(thief, url)).toBeUndefined();
  });

  it('refuses an answer carried to another browser (login CSRF)', async () => {
    const { callback } = await throughProvider(url, as('ada'));
    callbacks.push(callback);
    const victim = new CookieJar();
    const res = await browse(victim, callback);
    expect(res.status).toBe(400);
    expect(await pageText(res)).toContain('started in another browser');
    expect(sessionOf(victim, url)).toBeUndefined();
  });

  it("shows the provider's error when the person cancels at the provider", async () => {
    const { callback, jar } = await throughProvider(url, 'cancel');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    const res = await browse(jar, callback);
    expect(res.status).toBe(401);
    const text = await pageText(res);
    expect(text).toContain('Not signed in');
    expect(text).toContain('Test IdP did not sign you in (access_denied)');
    expect(text).toContain('Sign in with Test IdP');
    expect(sessionOf(jar, url)).toBeUndefined();
  });

  it('refuses a forged ID token (claims rewritten under the provider signature) naming the admin', async () => {
    const { callback, jar } = await throughProvider(url, as('carol'));
    callbacks.push(callback);
    desk.idp.forgeNextIdToken({ email: 'ada@example.com', email_verified: true, name: 'Ada Admin' });
    const res = await browse(jar, callback);
    expect(res.status).toBe(400);
    expect(await pageText(res)).toContain("did not pass its checks (the ID token's signature");
    expect(sessionOf(jar, url)).toBeUndefined();
    expect(
      desk.logs.some((l) => l.includes('a sign-in answer from the identity provider was refused') && l.includes('JWT signature verification failed')),
    ).toBe(true);
  });

  it('refuses an address the provider says is not verified (email_verified: false), even one in the directory', async () => {
    const { res, jar } = await signIn('eve');
    expect(res.status).toBe(403);
    const text = await pageText(res);
    expect(text).toContain('Sign-in refused');
    expect(text).toContain('Test IdP does not confirm that ada@example.com is verified');
    expect(sessionOf(jar, url)).toBeUndefined();
  });

  it('by default also refuses a provider that does not say the address is verified', async () => {
    const { res, jar } = await signIn('omar');
    expect(res.status).toBe(403);
    expect(await pageText(res)).toContain('does not confirm that bob@example.com is verified');
    expect(sessionOf(jar, url)).toBeUndefined();
  });

  it('signs someone the directory does not know in as the email requester: their own requests only', async () => {
    const { res, jar } = await signIn('carol');
    expect(res.status).toBe(303);
    const html = await (await browse(jar, new URL('/console/queue', url))).text();
    expect(html).toContain('Carol Customer · <b data-role="requester">requester</b>');
    expect(html).toContain(`data-key="${desk.keys.vpn}"`);
    expect(html).not.toContain(`data-key="${desk.keys.printer}"`);
    // A ticket of someone else is as absent as one that does not exist.
    expect((await browse(jar, new URL(`/console/tickets/${desk.keys.printer}`, url))).status).toBe(404);
  });

  it('logs no secret: no client secret, authorization code, state, or token', async () => {
    const log = desk.logs.join('\n');
    expect(log).toContain('console: signed in');
    expect(log).not.toContain(desk.idp.clientSecret);
    expect(callbacks.length).toBeGreaterThan(3);
    for (const callback of callbacks) {
      for (const name of ['code', 'state'] as const) {
        const value = callback.searchParams.get(name);
        expect(value).toBeTruthy();
        expect(log).not.toContain(value);
      }
    }
    expect(log).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+/); // no JWT
    expect(Object.keys(ACCOUNTS).every((login) => !log.includes(ACCOUNTS[login]!.password))).toBe(true);
  });
});

describe('console OIDC with a provider that sends no email_verified and keeps the address out of the ID token', () => {
  let desk: OidcDesk;

  beforeAll(async () => {
    desk = await startOidcDesk('console_oidc_userinfo', {
      claimsInIdToken: false,
      env: { CHATDESK_OIDC_REQUIRE_EMAIL_VERIFIED: 'false', CHATDESK_OIDC_UNKNOWN_PEOPLE: 'refuse' },
    });
  }, 60_000);
  afterAll(async () => {
    await desk?.stop();
  });

  it('reads the address from userinfo and takes it without email_verified when told to', async () => {
    const { callback, jar } = await throughProvider(desk.app.url, as('omar'));
    expect((await browse(jar, callback)).status).toBe(303);
    const html = await (await browse(jar, new URL('/console/queue', desk.app.url))).text();
    expect(html).toContain('<b data-role="agent">agent</b>');
    expect(html).toContain(`data-key="${desk.keys.printer}"`);
  });

  it('still refuses email_verified: false', async () => {
    const { callback, jar } = await throughProvider(desk.app.url, as('eve'));
    expect((await browse(jar, callback)).status).toBe(403);
  });

  it('refuses someone the directory does not know, with a page that says how to get in', async () => {
    const { callback, jar } = await throughProvider(desk.app.url, as('carol'));
    const res = await browse(jar, callback);
    expect(res.status).toBe(403);
    expect(await pageText(res)).toContain("carol@example.com is not in this desk's directory of people");
    expect(sessionOf(jar, desk.app.url)).toBeUndefined();
  });

  it('says the provider cannot be reached when it goes down before the answer is exchanged', async () => {
    const { callback, jar } = await throughProvider(desk.app.url, as('omar'));
    await desk.idp.close();
    const res = await browse(jar, callback);
    expect(res.status).toBe(502);
    expect(await pageText(res)).toContain('Test IdP cannot be reached');
    expect(sessionOf(jar, desk.app.url)).toBeUndefined();
  });
});

describe('console OIDC with a provider that cannot be reached', () => {
  let app: Chatdesk;

  beforeAll(async () => {
    const [port, nobody] = [await freePort(), await freePort()];
    app = await startTestApp(
      {
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        CHATDESK_SLA_WORKER: 'false',
        CHATDESK_OIDC_ISSUER: `http://127.0.0.1:${nobody}`,
        CHATDESK_OIDC_CLIENT_ID: 'chatdesk',
        CHATDESK_OIDC_CLIENT_SECRET: 'not-used-here',
        CHATDESK_OIDC_NAME: 'Test IdP',
      },
      { label: 'console_oidc_down' },
    );
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('starts all the same, and says so on "Sign in with" while the link from the messenger still works', async () => {
    const res = await fetch(`${app.url}/console/oidc/start`, { redirect: 'manual' });
    expect(res.status).toBe(502);
    expect(await pageText(res)).toContain('Test IdP cannot be reached Try again in a moment, or sign in with the link from your messenger');
    expect((await linkSignIn(app, 'pia')).status).toBe(303);
  });
});
