/** A small client for chatdesk's REST API in tests: status, JSON body and headers of each call. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface ApiAnswer {
  status: number;
  json: any;
  headers: Headers;
}

export function apiClient(baseUrl: string) {
  const call = async (
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer> => {
    const headers: Record<string, string> = { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers };
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, json, headers: res.headers };
  };
  /** Creates a token with these scopes (through the admin API, with the bootstrap admin token); returns the secret. */
  const token = async (name: string, scopes: string[]): Promise<string> => {
    const created = await call('POST', '/api/v1/tokens', { token: ADMIN_TOKEN, body: { name, scopes } });
    if (created.status !== 201) throw new Error(`token not created: ${created.status} ${JSON.stringify(created.json)}`);
    return created.json.secret as string;
  };
  return { call, token };
}
