import type { TokenCommands } from '../core/token-commands.port';
import { type UserRef, userKey } from '../domain/ticket/ticket';
import { ApiError } from './api-errors';
import type { ApiTokenStore } from './api-token';
import { actingLine, parse } from './token-cli';
import { issueToken, tokenCreateBody } from './token-issuer';

/**
 * `/ticket admin token create|list|revoke` (src/core/admin-commands.ts checks
 * the person is an admin): the same flags as the token CLI, the same checks
 * as POST /api/v1/tokens. A token made here is created by `chat:<platform:id>`.
 */
export function tokenCommands(deps: { tokens: ApiTokenStore; teams: readonly string[]; now: () => Date }): TokenCommands {
  const view = (t: { scopes: string[]; as?: UserRef; role?: string; teams?: string[] }) =>
    actingLine({ scopes: t.scopes, as: t.as ? userKey(t.as) : null, role: t.role ?? null, teams: t.teams ?? [] });
  return {
    async run(args, by) {
      let parsed: ReturnType<typeof parse>;
      try {
        parsed = parse(args.trim().split(/\s+/).filter(Boolean));
      } catch (err) {
        return { text: (err as Error).message };
      }
      const [command, target] = parsed.positional;
      const flag = (name: string) => parsed.flags.get(name);
      if (command === 'list') {
        const tokens = await deps.tokens.list();
        if (tokens.length === 0) return { text: 'No API tokens yet.' };
        const lines = tokens.map((t) => {
          const state = t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= deps.now() ? 'expired' : 'active';
          return `• ${t.name} (${t.id}) · ${t.scopes.join(', ')} · ${view(t)} · ${state} · last used ${t.lastUsedAt?.toISOString().slice(0, 16) ?? 'never'}`;
        });
        return { text: lines.join('\n') };
      }
      if (command === 'revoke' && target) {
        const revoked = await deps.tokens.revoke(target, deps.now());
        return { text: revoked ? `Revoked ${revoked.name} (${revoked.id}).` : `No token ${target.slice(0, 64)}.` };
      }
      if (command !== 'create' || !target) return { text: '' };
      const body = tokenCreateBody.safeParse({
        name: target,
        scopes: flag('scope') ?? [],
        ...(flag('expires') ? { expiresAt: flag('expires')![0] } : {}),
        ...(flag('as') ? { as: flag('as')![0] } : {}),
        ...(flag('role') ? { role: flag('role')![0] } : {}),
        ...(flag('team') ? { teams: flag('team') } : {}),
      });
      if (!body.success) return { text: `Not created: ${body.error.issues.map((i) => `${i.path.join('.') || 'token'}: ${i.message}`).join('; ')}` };
      try {
        const { token, secret } = await issueToken(deps, body.data, `chat:${userKey(by)}`, deps.now());
        return {
          text: `Created API token ${token.name} (${token.id}) with ${token.scopes.join(', ')}, ${view(token)}.`,
          created: { id: token.id, name: token.name, secret },
        };
      } catch (err) {
        if (err instanceof ApiError) return { text: `Not created: ${err.message}` };
        throw err;
      }
    },
    async revoke(id) {
      await deps.tokens.revoke(id, deps.now());
    },
  };
}
