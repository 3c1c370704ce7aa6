import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { UserRef } from '../domain/ticket/ticket';
import type { Logger } from '../logger';
import { ApiError } from './api-errors';
import { type ApiScope, type ApiTokenStore, type TokenActing, hasScope, sameDigest, tokenDigest, tokenUsable } from './api-token';
import type { RateLimiter } from './rate-limiter';

/** Who is calling: an API token, or the operator's CHATDESK_ADMIN_TOKEN (name `admin`, scope admin). */
export interface Principal extends TokenActing {
  tokenId: string;
  name: string;
  scopes: ApiScope[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are public (the OpenAPI document). */
    scope?: ApiScope;
  }
}

/** How an API client appears in a ticket's audit trail and on its card. */
export function apiActor(p: Principal): UserRef {
  return { platform: 'api', id: p.name, name: p.name };
}

/** Do not write `lastUsedAt` more often than this per token. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The onRequest hook: bearer token -> principal, the route's scope, the
 * token's rate limit. Runs before the body is read, so an unauthenticated
 * upload is refused without being parsed.
 */
export function authenticate(deps: { tokens: ApiTokenStore; adminToken?: string; limiter: RateLimiter; logger: Logger; now: () => Date }) {
  const admin = deps.adminToken ? createHash('sha256').update(deps.adminToken, 'utf8').digest() : undefined;
  const touched = new Map<string, number>();
  return async (req: FastifyRequest): Promise<void> => {
    const scope = req.routeOptions.config?.scope;
    if (!scope) return;
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw new ApiError(401, 'api_unauthorized', 'send Authorization: Bearer <API token>', undefined, { 'www-authenticate': 'Bearer' });
    const given = m[1]!;
    const digest = tokenDigest(given);
    let principal: Principal | undefined;
    if (admin && timingSafeEqual(Buffer.from(digest, 'hex'), admin)) principal = { tokenId: 'admin', name: 'admin', scopes: ['admin'] };
    else {
      // Looked up by its sha256 digest (timing tells nothing about the token), then the digests compared in constant time.
      const token = await deps.tokens.findByDigest(digest);
      const now = deps.now();
      const usable = token && sameDigest(token.digest, digest) ? tokenUsable(token, now) : 'unknown';
      if (usable !== 'ok' || !token) {
        deps.logger.warn({ path: req.url.split('?')[0], remote: req.ip, reason: usable }, 'API request refused: unknown, revoked or expired token');
        throw new ApiError(401, 'api_unauthorized', usable === 'unknown' ? 'unknown API token' : `this API token is ${usable}`, undefined, {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      }
      principal = {
        tokenId: token.id,
        name: token.name,
        scopes: token.scopes,
        ...(token.as ? { as: token.as } : {}),
        ...(token.role ? { role: token.role, teams: token.teams ?? [] } : {}),
      };
      if (now.getTime() - (touched.get(token.id) ?? 0) > TOUCH_EVERY_MS) {
        touched.set(token.id, now.getTime());
        deps.tokens
          .touch(token.id, now)
          .catch((err: unknown) => deps.logger.warn({ err, token: token.id }, 'could not record when the API token was last used'));
      }
    }
    if (!hasScope(principal.scopes, scope)) throw new ApiError(403, 'api_forbidden', `this token lacks the ${scope} scope`);
    const wait = deps.limiter.take(principal.tokenId);
    if (wait > 0)
      throw new ApiError(429, 'api_rate_limited', `too many requests with this token; retry in ${wait} s`, undefined, { 'retry-after': String(wait) });
    req.principal = principal;
  };
}
