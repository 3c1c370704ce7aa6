/**
 * A real OpenID Connect provider for the console's sign-in tests: panva's
 * oidc-provider on 127.0.0.1, with one confidential client (chatdesk), its own
 * RSA signing key, and a login form (login and password checked) and a
 * consent page of its own, driven by the tests as a person would (a browser,
 * or form posts over HTTP). `forgeNextIdToken` rewrites the claims of the next
 * ID token the token endpoint sends, keeping the provider's signature: a
 * forged token, as an attacker between the two would make.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Adapter, type AdapterPayload, type JWK } from 'oidc-provider';

export interface IdpAccount {
  password: string;
  email: string;
  name: string;
  /** The `email_verified` claim (default true); 'omit' sends none. */
  emailVerified?: boolean | 'omit';
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The next ID token from the token endpoint carries these claims instead, under the provider's original signature. */
  forgeNextIdToken(claims: Record<string, unknown>): void;
  close(): Promise<void>;
}

/** The provider's own stores (sessions, interactions, codes, grants) in memory, for one test file. */
function memoryAdapter(): new (name: string) => Adapter {
  const rows = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const live = (key: string) => {
    const row = rows.get(key);
    if (row && row.expiresAt < Date.now()) rows.delete(key);
    return rows.get(key)?.payload;
  };
  return class MemoryAdapter implements Adapter {
    constructor(private readonly name: string) {}
    private key(id: string) {
      return `${this.name}:${id}`;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
      rows.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.MAX_SAFE_INTEGER });
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUid(uid: string) {
      for (const [key, row] of rows) if (key.startsWith(`${this.name}:`) && row.payload.uid === uid) return live(key);
      return undefined;
    }
    async findByUserCode(userCode: string) {
      for (const [key, row] of rows) if (key.startsWith(`${this.name}:`) && row.payload.userCode === userCode) return live(key);
      return undefined;
    }
    async consume(id: string) {
      const row = rows.get(this.key(id));
      if (row) row.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      rows.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, row] of rows) if (row.payload.grantId === grantId) rows.delete(key);
    }
  };
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return new URLSearchParams(body);
}

/**
 * Starts the provider at `http://127.0.0.1:<port>` with the client chatdesk may
 * use from `redirectUri`. `claimsInIdToken: false` keeps the address out of the
 * ID token (the provider's strict default), so it is read from userinfo.
 */
export async function startTestIdp(opts: {
  port: number;
  redirectUri: string;
  accounts: Record<string, IdpAccount>;
  claimsInIdToken?: boolean;
}): Promise<TestIdp> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const clientId = 'chatdesk-console';
  const clientSecret = randomBytes(24).toString('base64url');
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }) as JWK;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        client_name: 'chatdesk console',
        redirect_uris: [opts.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: opts.claimsInIdToken === false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
    adapter: memoryAdapter(),
    findAccount: async (_ctx, id) => {
      const account = opts.accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: account.email,
          name: account.name,
          ...(account.emailVerified === 'omit' ? {} : { email_verified: account.emailVerified ?? true }),
        }),
      };
    },
  });
  const callback = provider.callback();
  let forged: Record<string, unknown> | undefined;

  /** The login form (login and password checked), then the consent page; Cancel answers access_denied. */
  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, abort: boolean): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (abort) {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The person cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const cancel = `<p><a href="/interaction/${uid}/abort" data-idp-cancel>Cancel</a></p>`;
    const loginForm = (error: string) =>
      page(
        'Test IdP sign-in',
        `${error ? `<p role="alert">${esc(error)}</p>` : ''}<form method="post" action="/interaction/${uid}"><input type="hidden" name="prompt" value="login">
<label>Login <input name="login" autocomplete="off"></label> <label>Password <input name="password" type="password"></label>
<button type="submit" data-idp-submit>Sign in</button></form>${cancel}`,
      );
    if (req.method === 'GET') {
      const body =
        details.prompt.name === 'login'
          ? loginForm('')
          : page(
              'Allow chatdesk console?',
              `<p>It asks for: ${esc([...new Set(String(details.params.scope ?? '').split(' '))].join(', '))}</p>
<form method="post" action="/interaction/${uid}"><input type="hidden" name="prompt" value="consent"><button type="submit" data-idp-submit>Allow</button></form>${cancel}`,
            );
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
      return;
    }
    const form = await formOf(req);
    if (form.get('prompt') === 'login') {
      const login = form.get('login') ?? '';
      if (opts.accounts[login]?.password !== form.get('password')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginForm('Wrong login or password.'));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
      return;
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: String(details.session?.accountId), clientId: String(details.params.client_id) });
    if (!grant) throw new Error('no grant');
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }

  /** The token endpoint's answer with the ID token's claims replaced (its header and signature kept). */
  function forgeAnswer(res: ServerResponse, claims: Record<string, unknown>): void {
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    res.end = ((chunk?: unknown) => {
      const body = JSON.parse(String(chunk)) as { id_token?: string };
      if (body.id_token) {
        const [header, payload, signature] = body.id_token.split('.');
        const changed = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')), ...claims };
        body.id_token = `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
      }
      const text = JSON.stringify(body);
      res.setHeader('content-length', Buffer.byteLength(text));
      return end(text);
    }) as typeof res.end;
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const m = /^\/interaction\/([\w-]+)(\/abort)?$/.exec(url.pathname);
    if (m) {
      interaction(req, res, m[1]!, !!m[2]).catch((err: Error) => {
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`interaction failed: ${err.message}`);
      });
      return;
    }
    if (req.method === 'POST' && url.pathname === '/token' && forged) {
      forgeAnswer(res, forged);
      forged = undefined;
    }
    void callback(req, res);
  });
  await new Promise<void>((resolve) => server.listen(opts.port, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  if (port !== opts.port) throw new Error(`the identity provider listens on ${port}, not ${opts.port}`);
  return {
    issuer,
    clientId,
    clientSecret,
    forgeNextIdToken: (claims) => {
      forged = claims;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
