import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { UserRef } from '../domain/ticket/ticket';

/**
 * What a token may do. `admin` includes everything; `tickets:write` includes
 * `tickets:read`, `knowledge:write` includes `knowledge:read`. `notes:read`
 * shows internal notes (with an agent's role on the ticket's team).
 */
export const API_SCOPES = ['tickets:read', 'tickets:write', 'notes:read', 'knowledge:read', 'knowledge:write', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** The role a token acts with when it names no person (`--role agent --team it`). */
export const TOKEN_ROLES = ['agent', 'manager'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/**
 * Who the token acts as in the permission matrix (the same rules as chat):
 * `as` a person of the desk (their roles, group memberships included), or a
 * `role` for some `teams`; neither: a person the desk file does not list.
 * The admin scope acts as a desk admin. The audit trail names the token either way.
 */
export interface TokenActing {
  as?: UserRef;
  role?: TokenRole;
  teams?: string[];
}

export const TOKEN_PREFIX = 'cdt_';

/** A token as stored: never the token itself, only its sha256 digest. */
export interface ApiToken extends TokenActing {
  id: string;
  name: string;
  scopes: ApiScope[];
  createdAt: Date;
  createdBy: string;
  /** The token's first characters, to tell tokens apart in a list (not enough to use it). */
  hint: string;
  expiresAt?: Date;
  revokedAt?: Date;
  lastUsedAt?: Date;
}

/** A new token: 32 random bytes, base64url, with a prefix secret scanners can spot. Shown once. */
export function generateToken(): { token: string; digest: string; hint: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, digest: tokenDigest(token), hint: token.slice(0, TOKEN_PREFIX.length + 6) };
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Digests of equal length compared in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function hasScope(granted: readonly ApiScope[], needed: ApiScope): boolean {
  if (granted.includes('admin') || granted.includes(needed)) return true;
  if (needed === 'knowledge:read') return granted.includes('knowledge:write');
  return needed === 'tickets:read' && granted.includes('tickets:write');
}

export function tokenUsable(token: ApiToken, now: Date): 'ok' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'ok';
}

/** Persistence of API tokens (src/store/api-token.repository.ts). */
export interface ApiTokenStore {
  /** Throws chatdesk_ticket_conflict-like `duplicate` when an active token has this name. */
  create(token: Omit<ApiToken, 'id'>, digest: string): Promise<ApiToken | 'duplicate'>;
  findByDigest(digest: string): Promise<(ApiToken & { digest: string }) | null>;
  list(): Promise<ApiToken[]>;
  revoke(idOrName: string, now: Date): Promise<ApiToken | null>;
  touch(id: string, now: Date): Promise<void>;
}
