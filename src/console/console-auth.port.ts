import type { UserRef } from '../domain/ticket/ticket';

/** A console session as stored: the person, their CSRF token, when it ends. Looked up by the digest of its cookie. */
export interface ConsoleSession {
  user: UserRef;
  csrf: string;
  expiresAt: Date;
}

/**
 * A sign-in sent to the identity provider and not back yet (stored by the
 * digest of its `state`): the browser it was started in (the digest of a
 * cookie set there), the nonce the ID token must carry, the PKCE verifier.
 */
export interface OidcPending {
  browser: string;
  nonce: string;
  verifier: string;
  expiresAt: Date;
}

/** Sign-in links and sessions of the web console, stored by the SHA-256 digest of their secret (never the secret). */
export interface ConsoleAuthStore {
  saveLink(digest: string, user: UserRef, expiresAt: Date): Promise<void>;
  /**
   * Marks the link used and answers who it was for, once: a second call with
   * the same digest answers 'used'; an unknown digest null. Expiry is the caller's check.
   */
  useLink(digest: string, now: Date): Promise<{ user: UserRef; expiresAt: Date } | 'used' | null>;
  saveSession(digest: string, session: ConsoleSession): Promise<void>;
  findSession(digest: string): Promise<ConsoleSession | null>;
  deleteSession(digest: string): Promise<void>;
  saveOidcState(digest: string, pending: OidcPending): Promise<void>;
  /** Like useLink: the pending sign-in once, then 'used'; an unknown digest null. Expiry is the caller's check. */
  useOidcState(digest: string, now: Date): Promise<OidcPending | 'used' | null>;
  /**
   * Removes what ended before `now`: sessions and pending sign-ins at once, links a day later
   * (until then a reused link still says "expired"), the claims of uses an hour later. Answers how many went.
   */
  purgeExpired(now: Date): Promise<number>;
}
