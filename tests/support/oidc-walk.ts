/**
 * A browser's trip through an identity provider over plain HTTP: cookies kept
 * per site, redirects followed one by one, the provider's login form and
 * consent page filled in and posted, until the provider sends the browser
 * back to the console's callback (which is answered, not followed, so a test
 * can replay or tamper with it).
 */

/** Cookies by origin (paths ignored: a few cookies too many do no harm here). */
export class CookieJar {
  private readonly sites = new Map<string, Map<string, string>>();

  take(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const site = this.sites.get(url.origin) ?? new Map<string, string>();
      this.sites.set(url.origin, site);
      if (value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) site.delete(name);
      else site.set(name, value);
    }
  }

  header(url: URL): string {
    return [...(this.sites.get(url.origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: URL, name: string): string | undefined {
    return this.sites.get(url.origin)?.get(name);
  }

  /** A copy (a second tab of the same browser shares cookies; a copy is a snapshot of them). */
  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [origin, site] of this.sites) copy.sites.set(origin, new Map(site));
    return copy;
  }
}

/** One request as the browser makes it: its cookies sent, the answer's kept, redirects not followed. */
export async function browse(jar: CookieJar, url: URL, init: { method?: string; form?: URLSearchParams } = {}): Promise<Response> {
  const res = await fetch(url, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    redirect: 'manual',
    headers: {
      cookie: jar.header(url),
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded', origin: url.origin } : {}),
    },
    ...(init.form ? { body: init.form.toString() } : {}),
  });
  jar.take(url, res);
  return res;
}

/**
 * From the console's "Sign in with …" (`/console/oidc/start`) through the
 * provider's login (and consent) to the redirect back: answers that callback
 * URL. `cancel` clicks the provider's Cancel instead of signing in.
 */
export async function throughProvider(
  consoleUrl: string,
  account: { login: string; password: string } | 'cancel',
  jar = new CookieJar(),
): Promise<{ callback: URL; jar: CookieJar }> {
  let url = new URL('/console/oidc/start', consoleUrl);
  let res = await browse(jar, url);
  for (let hop = 0; hop < 20; hop++) {
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location') ?? '', url);
      if (next.pathname === '/console/oidc/callback') return { callback: next, jar };
      url = next;
      res = await browse(jar, url);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`${url.pathname} answered ${res.status}: ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!prompt || !action) throw new Error(`no form on ${url.pathname}: ${html.slice(0, 300)}`);
    if (account === 'cancel') {
      url = new URL(/href="([^"]+\/abort)"/.exec(html)?.[1] ?? '', url);
      res = await browse(jar, url);
      continue;
    }
    const form = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login: account.login, password: account.password } : {}) });
    url = new URL(action, url);
    res = await browse(jar, url, { form });
  }
  throw new Error('the provider never sent the browser back to the console');
}
