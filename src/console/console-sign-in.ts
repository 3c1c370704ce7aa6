import { createHash, randomBytes } from 'node:crypto';
import type { UserRef } from '../domain/ticket/ticket';
import type { ConsoleAuthStore, ConsoleSession } from './console-auth.port';

export const LINK_TTL_MS = 10 * 60 * 1000;
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SIGN_IN_PATH = '/console/sign-in/';

export const secret = () => randomBytes(32).toString('base64url');
/** What a secret of ours looks like (links, session cookies, the sign-in's browser cookie): anything else is not looked up. */
export const isSecretShape = (value: string | undefined): value is string => !!value && /^[A-Za-z0-9_-]{20,100}$/.test(value);
export const digestOf = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * A single-use secret (a link's token, a sign-in's state) spent once through
 * `use` (by its digest): what it was for, or why not: never issued, used
 * already, expired.
 */
export async function spendSecret<T extends { expiresAt: Date }>(
  value: string,
  now: Date,
  use: (digest: string, now: Date) => Promise<T | 'used' | null>,
): Promise<{ ok: true; value: T } | { ok: false; why: 'unknown' | 'used' | 'expired' }> {
  if (!isSecretShape(value)) return { ok: false, why: 'unknown' };
  const found = await use(digestOf(value), now);
  if (found === null) return { ok: false, why: 'unknown' };
  if (found === 'used') return { ok: false, why: 'used' };
  if (found.expiresAt.getTime() <= now.getTime()) return { ok: false, why: 'expired' };
  return { ok: true, value: found };
}

export type SignInOutcome = { ok: true; cookie: string; session: ConsoleSession } | { ok: false; why: 'used' | 'expired' | 'unknown' };

/**
 * Sign-in through the messenger: `/ticket console` asks for a link for the
 * person who typed it; the link is single use, expires in 10 minutes and is
 * stored only as a digest. Using it opens a session (its cookie value is
 * stored as a digest too) with its own CSRF token.
 */
export class ConsoleSignIn {
  constructor(
    private readonly deps: {
      store: ConsoleAuthStore;
      /** The public base URL links are made with (PUBLIC_URL, else this server's own). */
      baseUrl: () => string;
      now: () => Date;
    },
  ) {}

  async linkFor(user: UserRef): Promise<string> {
    const token = secret();
    await this.deps.store.saveLink(digestOf(token), user, new Date(this.deps.now().getTime() + LINK_TTL_MS));
    return `${this.deps.baseUrl().replace(/\/$/, '')}${SIGN_IN_PATH}${token}`;
  }

  async signIn(token: string): Promise<SignInOutcome> {
    const link = await spendSecret(token, this.deps.now(), (digest, now) => this.deps.store.useLink(digest, now));
    return link.ok ? { ok: true, ...(await this.openSession(link.value.user)) } : link;
  }

  /** A new session for `user` (after a link, or after the identity provider vouched for them): its cookie value and what is stored. */
  async openSession(user: UserRef): Promise<{ cookie: string; session: ConsoleSession }> {
    const cookie = secret();
    const session: ConsoleSession = { user, csrf: secret(), expiresAt: new Date(this.deps.now().getTime() + SESSION_TTL_MS) };
    await this.deps.store.saveSession(digestOf(cookie), session);
    return { cookie, session };
  }

  async session(cookie: string | undefined): Promise<ConsoleSession | null> {
    if (!isSecretShape(cookie)) return null;
    const s = await this.deps.store.findSession(digestOf(cookie));
    if (!s || s.expiresAt.getTime() <= this.deps.now().getTime()) return null;
    return s;
  }

  async signOut(cookie: string | undefined): Promise<void> {
    if (isSecretShape(cookie)) await this.deps.store.deleteSession(digestOf(cookie));
  }
}
