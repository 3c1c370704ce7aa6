import type { UserRef } from '../domain/ticket/ticket';

/** A console session as stored: the person, their CSRF token, when it ends. Looked up by the digest of its cookie. */
export interface ConsoleSession {
  user: UserRef;
  csrf: string;
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
}
