import { ChatdeskError } from '../../domain/errors';

/** Refresh this long before the token expires. */
const EARLY_MS = 5 * 60 * 1000;

/**
 * The bot's own access token (client credentials against Entra ID, scope
 * `https://api.botframework.com/.default`), cached until shortly before it
 * expires. Passed to the Teams SDK as its `token` function so the SDK never
 * builds an MSAL client; the emulator serves the same endpoint in tests.
 */
export class BotTokenSource {
  private readonly cache = new Map<string, { token: string; expiresAt: number; pending?: undefined } | { pending: Promise<string> }>();

  constructor(private readonly opts: { loginUrl: string; appId: string; appPassword: string; tenantId?: string; now?: () => number }) {}

  /** The SDK's TokenProviderFn: `(scope, tenantId?) => token`. */
  get = async (scope: string | string[], tenantId?: string): Promise<string> => {
    const scopes = Array.isArray(scope) ? scope.join(' ') : scope;
    const tenant = this.opts.tenantId ?? (tenantId && tenantId !== 'common' ? tenantId : 'botframework.com');
    const key = `${tenant} ${scopes}`;
    const now = this.opts.now?.() ?? Date.now();
    const hit = this.cache.get(key);
    if (hit && 'token' in hit && hit.expiresAt - EARLY_MS > now) return hit.token;
    if (hit?.pending) return hit.pending;
    const pending = this.fetchToken(tenant, scopes).then(
      ({ token, expiresInSec }) => {
        this.cache.set(key, { token, expiresAt: now + expiresInSec * 1000 });
        return token;
      },
      (err: unknown) => {
        this.cache.delete(key);
        throw err;
      },
    );
    this.cache.set(key, { pending });
    return pending;
  };

  private async fetchToken(tenant: string, scope: string): Promise<{ token: string; expiresInSec: number }> {
    const url = `${this.opts.loginUrl}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.opts.appId, client_secret: this.opts.appPassword, scope });
    let res: Response | undefined;
    for (let attempt = 0; ; attempt++) {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(15_000) });
      if ((res.status === 429 || res.status >= 500) && attempt < 3) {
        await res.arrayBuffer().catch(() => undefined);
        await new Promise((r) => setTimeout(r, retryDelayMs(res!.headers.get('retry-after'), attempt)));
        continue;
      }
      break;
    }
    const json = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (!res.ok || typeof json.access_token !== 'string') {
      // Entra's error code only (invalid_client, …); the response never carries the secret.
      throw new ChatdeskError('chatdesk_adapter_error', `Teams bot token request failed (${res.status} ${String(json.error ?? '')})`, {
        platform: 'teams',
        status: res.status,
        code: typeof json.error === 'string' ? json.error : undefined,
      });
    }
    return { token: json.access_token, expiresInSec: Number(json.expires_in) > 0 ? Number(json.expires_in) : 3600 };
  }
}

/** Retry-After (seconds) when the platform gave one, else exponential backoff; capped at 30 s. */
export function retryDelayMs(retryAfter: string | null | undefined, attempt: number): number {
  const sec = Number(retryAfter);
  if (retryAfter && Number.isFinite(sec) && sec >= 0) return Math.min(sec * 1000, 30_000);
  return Math.min(500 * 2 ** attempt, 30_000);
}
