import * as oidc from 'openid-client';
import type { OidcConfig } from '../config/platforms/oidc.env';
import type { UserRef } from '../domain/ticket/ticket';
import type { Logger } from '../logger';
import type { ConsoleAuthStore } from './console-auth.port';
import { digestOf, isSecretShape, secret, spendSecret } from './console-sign-in';

export const OIDC_START_PATH = '/console/oidc/start';
export const OIDC_CALLBACK_PATH = '/console/oidc/callback';
/** How long a sign-in may stay at the identity provider (its login form, a second factor). */
export const OIDC_STATE_TTL_MS = 10 * 60 * 1000;
/** Seconds an identity provider has to answer one request (discovery, keys, token, userinfo). */
const PROVIDER_TIMEOUT_S = 10;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

export type OidcRefusal =
  /** The answer came back without a state, or with one this desk never issued (tampered, or from another server). */
  | 'unknown_state'
  /** The same answer a second time (a replayed callback). */
  | 'used'
  | 'expired'
  /** The answer came to another browser than the one that started the sign-in. */
  | 'other_browser'
  /** The identity provider answered with an error (the person cancelled, or may not use this app). */
  | 'provider_error'
  /** The provider would not exchange the code (`invalid_grant`: expired, or used already). */
  | 'code_refused'
  /** The ID token, or the token endpoint's answer, did not pass the checks (signature, issuer, audience, expiry, nonce). */
  | 'invalid_token'
  | 'no_email'
  | 'email_unverified'
  /** The directory does not know the address, and such people are refused. */
  | 'unknown_person'
  /** The identity provider could not be reached (discovery). */
  | 'unavailable';

export type OidcCallbackOutcome = { ok: true; user: UserRef; email: string } | { ok: false; why: OidcRefusal; email?: string; error?: string };

/**
 * Console sign-in with the company's identity provider (OpenID Connect,
 * openid-client): the authorization code flow with PKCE (S256), `state` and
 * `nonce`. The pending sign-in is stored by the digest of its state, used
 * once, for 10 minutes, and bound to the browser that started it by a cookie
 * (an answer carried to another browser is refused: no login CSRF). The ID
 * token's signature, issuer, audience, expiry and nonce are checked by
 * openid-client; the person is then found by their verified address.
 */
export class OidcSignIn {
  private configuration: Promise<oidc.Configuration> | undefined;
  private readonly log: Logger;

  constructor(
    private readonly deps: {
      config: OidcConfig;
      store: ConsoleAuthStore;
      /** `<PUBLIC_URL>/console/oidc/callback`: the redirect URI registered with the provider. */
      redirectUri: string;
      /** The desk's person for a verified address and the name the provider gave (undefined: refused). */
      person: (email: string, name: string | undefined) => Promise<UserRef | undefined>;
      now: () => Date;
      logger: Logger;
    },
  ) {
    this.log = deps.logger.child({ component: 'console-oidc' });
  }

  get name(): string {
    return this.deps.config.name;
  }

  /**
   * Where to send the browser to sign in, and the browser cookie that binds the
   * answer to it (the one it already has is kept, so two tabs can sign in at once).
   * Undefined when the provider cannot be reached.
   */
  async start(browserCookie: string | undefined): Promise<{ location: string; browser: string } | undefined> {
    const config = await this.discover().catch(() => undefined);
    if (!config) return undefined;
    const browser = isSecretShape(browserCookie) ? browserCookie : secret();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    await this.deps.store.saveOidcState(digestOf(state), {
      browser: digestOf(browser),
      nonce,
      verifier,
      expiresAt: new Date(this.deps.now().getTime() + OIDC_STATE_TTL_MS),
    });
    const location = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.deps.redirectUri,
      scope: this.deps.config.scopes.join(' '),
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { location: location.href, browser };
  }

  /** The provider's answer at the callback (its query), from the browser with this cookie. */
  async callback(params: URLSearchParams, browserCookie: string | undefined): Promise<OidcCallbackOutcome> {
    const state = params.get('state') ?? '';
    const spent = await spendSecret(state, this.deps.now(), (digest, now) => this.deps.store.useOidcState(digest, now));
    if (!spent.ok) return { ok: false, why: spent.why === 'unknown' ? 'unknown_state' : spent.why };
    const pending = spent.value;
    if (!isSecretShape(browserCookie) || digestOf(browserCookie) !== pending.browser) return { ok: false, why: 'other_browser' };
    const error = params.get('error');
    if (error !== null) return { ok: false, why: 'provider_error', error: /^[\w.-]{1,64}$/.test(error) ? error : 'error' };

    let config: oidc.Configuration;
    try {
      config = await this.discover();
    } catch {
      return { ok: false, why: 'unavailable' };
    }
    // The URL the provider sent the browser to, named as registered (behind a proxy the request's own host may differ).
    const current = new URL(this.deps.redirectUri);
    current.search = params.toString();
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) return { ok: false, why: 'invalid_token' };
      claims = idToken;
      // Some providers put only the subject in the ID token of a code flow: the rest is at userinfo (checked to be the same subject).
      if (idToken[this.deps.config.emailClaim] === undefined && config.serverMetadata().userinfo_endpoint)
        claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken };
    } catch (err) {
      if (unreachable(err)) {
        this.log.warn(failure(err), 'console: the identity provider could not be reached');
        return { ok: false, why: 'unavailable' };
      }
      this.log.warn(failure(err), 'console: a sign-in answer from the identity provider was refused');
      if (err instanceof oidc.ResponseBodyError && err.error === 'invalid_grant') return { ok: false, why: 'code_refused', error: 'invalid_grant' };
      return { ok: false, why: 'invalid_token' };
    }
    return this.personOf(claims);
  }

  private async personOf(claims: Record<string, unknown>): Promise<OidcCallbackOutcome> {
    const raw = claims[this.deps.config.emailClaim];
    const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    if (!EMAIL.test(email)) return { ok: false, why: 'no_email' };
    // Some providers send the flag as a string ("true").
    const verified = claims.email_verified;
    if (verified === false || verified === 'false' || (this.deps.config.requireVerifiedEmail && verified !== true && verified !== 'true'))
      return { ok: false, why: 'email_unverified', email };
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 120) : undefined;
    const user = await this.deps.person(email, name);
    return user ? { ok: true, user, email } : { ok: false, why: 'unknown_person', email };
  }

  /** The provider's configuration from its discovery document, read once (again after a failure). */
  private discover(): Promise<oidc.Configuration> {
    this.configuration ??= this.readConfiguration().catch((err: unknown) => {
      this.configuration = undefined;
      this.log.warn({ issuer: this.deps.config.issuer, ...failure(err) }, 'console: the identity provider could not be reached');
      throw err;
    });
    return this.configuration;
  }

  private async readConfiguration(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.deps.config;
    const server = new URL(issuer);
    // The ID token's signature is checked against the provider's published keys too (openid-client
    // leaves that to TLS by default, as the standard allows for the token endpoint's answer).
    // Plain http only for a provider on this machine (the configuration refuses any other).
    const execute = [oidc.enableNonRepudiationChecks, ...(server.protocol === 'http:' ? [oidc.allowInsecureRequests] : [])];
    const discovered = await oidc.discovery(server, clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), { timeout: PROVIDER_TIMEOUT_S, execute });
    // client_secret_basic is the default of the standard; a provider that lists only client_secret_post gets that.
    const methods = discovered.serverMetadata().token_endpoint_auth_methods_supported;
    const config =
      methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
        ? new oidc.Configuration(discovered.serverMetadata(), clientId, clientSecret, oidc.ClientSecretPost(clientSecret))
        : discovered;
    if (config !== discovered) {
      config.timeout = PROVIDER_TIMEOUT_S;
      for (const run of execute) run(config);
    }
    this.log.info({ issuer: discovered.serverMetadata().issuer }, 'console: identity provider discovered');
    return config;
  }

  /** Reads the provider's discovery document now (at start), so a wrong issuer shows in the log before anyone signs in. */
  warmUp(): void {
    this.discover().catch(() => undefined);
  }
}

/**
 * A request that got no answer (refused, timed out): openid-client passes
 * fetch's error on, or wraps it as the cause. Told by name, not class (fetch's
 * errors may come from another realm).
 */
function unreachable(err: unknown): boolean {
  return [err, (err as { cause?: unknown } | null)?.cause].some((e) => {
    const { name, message } = (e ?? {}) as { name?: unknown; message?: unknown };
    return name === 'TimeoutError' || name === 'AbortError' || (name === 'TypeError' && message === 'fetch failed');
  });
}

/**
 * What an openid-client error says, for the log: its name, code and message,
 * and its cause's message. Never the error object itself: its cause can hold
 * the provider's response (tokens, the code).
 */
function failure(err: unknown): Record<string, string | undefined> {
  const e = err as { name?: string; code?: string; error?: string; message?: string; cause?: { message?: unknown } };
  const detail = typeof e.cause?.message === 'string' ? e.cause.message.slice(0, 200) : undefined;
  return { error: e.name, code: e.code ?? e.error, reason: e.message?.slice(0, 200), ...(detail ? { detail } : {}) };
}
