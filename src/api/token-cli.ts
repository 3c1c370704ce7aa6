/**
 * API tokens from the command line, through the running desk's admin API
 * (CHATDESK_ADMIN_TOKEN, like the classifier import):
 *
 *   node dist/src/api/token-cli.js create monitoring --scope tickets:write [--scope tickets:read] [--expires 2027-01-01T00:00:00Z]
 *     [--as slack:U123 | --role agent --team it [--team hr]]
 *   node dist/src/api/token-cli.js list
 *   node dist/src/api/token-cli.js revoke <id or name>
 *
 * `--url` names the desk (default http://127.0.0.1:$PORT, PORT 3000).
 */
import { API_SCOPES, TOKEN_ROLES } from './api-token';

/** The API's JSON answers, read field by field for printing (their shapes are the OpenAPI document's). */
// biome-ignore lint/suspicious/noExplicitAny: printed as it comes, checked by the API's own contract test
type ApiJson = Record<string, any>;

export interface TokenCliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  fetch: typeof fetch;
  env: Record<string, string | undefined>;
}

const USAGE = `usage:
  token-cli create <name> --scope <${API_SCOPES.join('|')}> [--scope …] [--expires <ISO date>]
                    [--as <platform:id> | --role <${TOKEN_ROLES.join('|')}> --team <team id> [--team …]] [--url <desk URL>]
  token-cli list [--url <desk URL>]
  token-cli revoke <id or name> [--url <desk URL>]
The desk's CHATDESK_ADMIN_TOKEN must be in the environment.`;

export function parse(argv: readonly string[]): { positional: string[]; flags: Map<string, string[]> } {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags.set(name, [...(flags.get(name) ?? []), ...value.split(',')]);
  }
  return { positional, flags };
}

/** Runs the CLI; returns the exit code (0 done, 1 refused by the desk or unreachable, 2 usage). */
export async function main(argv: readonly string[], io: TokenCliIo): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, target] = args.positional;
  const admin = io.env.CHATDESK_ADMIN_TOKEN;
  if (!command || !['create', 'list', 'revoke'].includes(command) || (command !== 'list' && !target)) {
    io.stderr(USAGE);
    return 2;
  }
  if (!admin) {
    io.stderr('set CHATDESK_ADMIN_TOKEN to the desk’s admin token');
    return 2;
  }
  const base = (args.flags.get('url')?.[0] ?? `http://127.0.0.1:${io.env.PORT ?? 3000}`).replace(/\/$/, '');
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await io.fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as ApiJson };
  };
  try {
    if (command === 'create') {
      const scopes = args.flags.get('scope') ?? [];
      if (scopes.length === 0) {
        io.stderr(`name at least one --scope (${API_SCOPES.join(', ')})`);
        return 2;
      }
      const expires = args.flags.get('expires')?.[0];
      const as = args.flags.get('as')?.[0];
      const role = args.flags.get('role')?.[0];
      const teams = args.flags.get('team');
      const res = await call('POST', '/api/v1/tokens', {
        name: target,
        scopes,
        ...(expires ? { expiresAt: expires } : {}),
        ...(as ? { as } : {}),
        ...(role ? { role } : {}),
        ...(teams ? { teams } : {}),
      });
      if (res.status !== 201) return refused(io, res);
      io.stdout(`created token ${res.json.token.name} (${res.json.token.id}) with ${res.json.token.scopes.join(', ')}, ${actingLine(res.json.token)}`);
      io.stdout('the token (shown once, keep it in a secret store):');
      io.stdout(res.json.secret);
      return 0;
    }
    if (command === 'list') {
      const res = await call('GET', '/api/v1/tokens');
      if (res.status !== 200) return refused(io, res);
      for (const t of res.json.tokens as Array<ApiJson>) {
        const state = t.revokedAt ? `revoked ${t.revokedAt}` : t.expiresAt ? `expires ${t.expiresAt}` : 'active';
        io.stdout(`${t.id}\t${t.name}\t${t.scopes.join(',')}\t${actingLine(t as never)}\t${t.hint}…\t${state}\tlast used ${t.lastUsedAt ?? 'never'}`);
      }
      return 0;
    }
    const res = await call('DELETE', `/api/v1/tokens/${encodeURIComponent(target!)}`);
    if (res.status !== 200) return refused(io, res);
    io.stdout(`revoked ${res.json.token.name} (${res.json.token.id})`);
    return 0;
  } catch (err) {
    io.stderr(`could not reach the desk at ${base}: ${(err as Error).message}`);
    return 1;
  }
}

/** Who a token acts as, in words. */
export function actingLine(t: { scopes: string[]; as?: string | null; role?: string | null; teams?: string[] }): string {
  if (t.scopes.includes('admin')) return 'acting as a desk admin';
  if (t.as) return `acting with the roles of ${t.as}`;
  if (t.role) return `acting as ${t.role} of ${(t.teams ?? []).join(', ')}`;
  return 'acting as a person the desk file does not list';
}

function refused(io: TokenCliIo, res: { status: number; json: ApiJson }): number {
  const fields = res.json.fields
    ? ` (${Object.entries(res.json.fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')})`
    : '';
  io.stderr(`refused (${res.status} ${res.json.code ?? ''}): ${res.json.message ?? 'no answer'}${fields}`);
  return 1;
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    fetch: (...a) => fetch(...a),
    env: process.env,
  }).then((code) => process.exit(code));
}
