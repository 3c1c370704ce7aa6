import { createHash, randomBytes } from 'node:crypto';
import type { UserRef } from '../domain/ticket/ticket';
import type { ConsoleAuthStore, ConsoleSession } from './console-auth.port';

export const LINK_TTL_MS = 10 * 60 * 1000;
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SIGN_IN_PATH = '/console/sign-in/';

const secret = () => randomBytes(32).toString('base64url');
export const digestOf = (value: string): string => createHash('sha256').update(value).digest('hex');

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
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, why: 'unknown' };
    const now = this.deps.now();
    const link = await this.deps.store.useLink(digestOf(token), now);
    if (link === null) return { ok: false, why: 'unknown' };
    if (link === 'used') return { ok: false, why: 'used' };
    if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, why: 'expired' };
    const cookie = secret();
    const session: ConsoleSession = { user: link.user, csrf: secret(), expiresAt: new Date(now.getTime() + SESSION_TTL_MS) };
    await this.deps.store.saveSession(digestOf(cookie), session);
    return { ok: true, cookie, session };
  }

  async session(cookie: string | undefined): Promise<ConsoleSession | null> {
    if (!cookie || !/^[A-Za-z0-9_-]{20,100}$/.test(cookie)) return null;
    const s = await this.deps.store.findSession(digestOf(cookie));
    if (!s || s.expiresAt.getTime() <= this.deps.now().getTime()) return null;
    return s;
  }

  async signOut(cookie: string | undefined): Promise<void> {
    if (cookie && /^[A-Za-z0-9_-]{20,100}$/.test(cookie)) await this.deps.store.deleteSession(digestOf(cookie));
  }
}
