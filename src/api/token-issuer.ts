import { z } from 'zod';
import { parseUserKey } from '../domain/ticket/ticket';
import { ApiError } from './api-errors';
import { API_SCOPES, type ApiToken, type ApiTokenStore, generateToken, TOKEN_ROLES } from './api-token';

const iso = z.iso.datetime({ offset: true });

/** What creating a token takes (POST /api/v1/tokens, the CLI, the chat command). */
export const tokenCreateBody = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash, underscore; at most 64')
    .describe('Shown in the audit trail of every change the token makes (api:<name>); unique among active tokens.'),
  scopes: z.array(z.enum(API_SCOPES)).min(1).max(API_SCOPES.length),
  expiresAt: iso.optional(),
  as: z.string().max(200).optional().describe('Act with the roles of this person of the desk (platform:id, e.g. slack:U0123ABC).'),
  role: z.enum(TOKEN_ROLES).optional().describe('Act as an agent (or manager) of `teams`.'),
  teams: z.array(z.string().max(60)).max(50).optional(),
});
export type TokenCreateRequest = z.infer<typeof tokenCreateBody>;

/**
 * Creates a token: checked (expiry in the future, who it acts as), stored as
 * its digest, the token itself returned once. Refusals are ApiErrors (400, 409).
 */
export async function issueToken(
  deps: { tokens: ApiTokenStore; teams: readonly string[] },
  body: TokenCreateRequest,
  createdBy: string,
  now: Date,
): Promise<{ token: ApiToken; secret: string }> {
  const expiresAt = body.expiresAt ? new Date(body.expiresAt) : undefined;
  if (expiresAt && expiresAt.getTime() <= now.getTime())
    throw new ApiError(400, 'api_invalid_request', 'expiresAt is in the past', { expiresAt: 'must be in the future' });
  const acting = tokenActing(body, deps.teams);
  const { token, digest, hint } = generateToken();
  const created = await deps.tokens.create(
    { name: body.name, scopes: [...new Set(body.scopes)], createdAt: now, createdBy, hint, ...(expiresAt ? { expiresAt } : {}), ...acting },
    digest,
  );
  if (created === 'duplicate')
    throw new ApiError(409, 'api_name_taken', `an active token is named ${body.name}: revoke it first or pick another name`, { name: 'in use' });
  return { token: created, secret: token };
}

/** `as`, or `role` with `teams`, checked against the desk (a 400 names the field). */
function tokenActing(body: { as?: string; role?: (typeof TOKEN_ROLES)[number]; teams?: string[] }, teams: readonly string[]) {
  const bad = (field: string, why: string) => new ApiError(400, 'api_invalid_request', `${field}: ${why}`, { [field]: why });
  if (body.as !== undefined && (body.role !== undefined || body.teams !== undefined)) throw bad('as', 'give either as or role and teams, not both');
  if (body.as !== undefined) {
    const as = parseUserKey(body.as);
    if (!as) throw bad('as', 'expected a person as platform:id, e.g. slack:U0123ABC');
    return { as: { platform: as.platform, id: as.id } };
  }
  if (body.teams !== undefined && body.role === undefined) throw bad('role', 'teams need a role (agent or manager)');
  if (body.role === undefined) return {};
  const named = [...new Set(body.teams ?? [])];
  if (named.length === 0) throw bad('teams', `name the teams the ${body.role} works in`);
  const unknown = named.find((t) => !teams.includes(t));
  if (unknown) throw bad('teams', `no team ${unknown} on this desk (${teams.join(', ')})`);
  return { role: body.role, teams: named };
}
