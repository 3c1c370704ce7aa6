import type { HttpMethod, HttpRouteHandler, IHttpServerAdapter } from '@microsoft/teams.apps';
import type { Route } from '../../core/platform-module';
import type { Logger } from '../../logger';
import { HttpError, readJson, sendJson } from '../../server/http-util';

export const TEAMS_MESSAGES_PATH = '/teams/messages';
/** Teams activities (with cards) are bigger than chatdesk's default body limit. */
const BODY_LIMIT = 512 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether an activity's serviceUrl may receive replies: https (plain http
 * only on loopback, for local emulators) and a host on the allowlist or below
 * one of its entries.
 */
export function serviceUrlAllowed(serviceUrl: unknown, allowlist: readonly string[]): boolean {
  if (typeof serviceUrl !== 'string') return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(host))) return false;
  if (url.username || url.password) return false;
  return allowlist.some((entry) => {
    const allowed = entry.toLowerCase();
    return host === allowed || host.endsWith(`.${allowed}`);
  });
}

/** The tenant an activity comes from (conversation.tenantId, or channelData.tenant.id). */
export function tenantOf(activity: Record<string, unknown>): string | undefined {
  const conversation = activity.conversation as { tenantId?: unknown } | undefined;
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = conversation?.tenantId ?? channelData?.tenant?.id;
  return typeof id === 'string' ? id : undefined;
}

/** The `iss` of a bearer token, unverified: only used to refuse early what the SDK would refuse anyway. */
function unverifiedIssuer(authorization: string | string[] | undefined): string | undefined {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const payload = header?.replace(/^Bearer /, '').split('.')[1];
  if (!payload) return undefined;
  try {
    const iss = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Teams SDK's transport seam, mounted on chatdesk's own HTTP server: the
 * SDK registers its messaging handler here (JWT validation, activity routing,
 * invoke responses) and never opens a port of its own (`app.start()` is not called).
 */
export class ChatdeskHttpAdapter implements IHttpServerAdapter {
  private handler?: HttpRouteHandler;

  constructor(
    private readonly opts: {
      allowlist: readonly string[];
      tokenIssuer: string;
      logger: Logger /** The tenant served (TEAMS_TENANT_ID): activities from any other are refused. */;
      tenantId?: string;
    },
  ) {}

  registerRoute(method: HttpMethod, path: string, handler: HttpRouteHandler): void {
    if (method === 'POST' && path === TEAMS_MESSAGES_PATH) this.handler = handler;
    else this.opts.logger.debug({ path }, 'Teams SDK route not served');
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** POST /teams/messages: allowlist, then the SDK (token check, handlers), then its answer. */
  readonly route: Route = async (req, res, url) => {
    if (url.pathname !== TEAMS_MESSAGES_PATH) return false;
    if (req.method !== 'POST') throw new HttpError(405, 'POST only');
    const body = await readJson(req, BODY_LIMIT);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'expected an activity');
    const activity = body as { serviceUrl?: unknown; type?: unknown; id?: unknown };
    if (!serviceUrlAllowed(activity.serviceUrl, this.opts.allowlist)) {
      this.opts.logger.warn(
        { serviceUrl: String(activity.serviceUrl).slice(0, 200), type: String(activity.type).slice(0, 40) },
        'Teams activity refused: serviceUrl not on the allowlist',
      );
      sendJson(res, 403, { error: 'serviceUrl not allowed' });
      return true;
    }
    const tenant = tenantOf(body as Record<string, unknown>);
    if (this.opts.tenantId && tenant !== this.opts.tenantId) {
      this.opts.logger.warn({ tenant: String(tenant).slice(0, 60), type: String(activity.type).slice(0, 40) }, 'Teams activity from another tenant refused');
      sendJson(res, 403, { error: 'this bot serves another tenant' });
      return true;
    }
    const iss = unverifiedIssuer(req.headers.authorization);
    if (iss !== undefined && iss !== this.opts.tokenIssuer) {
      // Entra-issued (agentic) tokens skip the SDK's serviceurl binding; chatdesk only takes Bot Framework tokens.
      sendJson(res, 401, { error: 'unexpected token issuer' });
      return true;
    }
    if (!this.handler) throw new HttpError(503, 'Teams is starting');
    const result = await this.handler({ body, headers: req.headers as Record<string, string | string[]> });
    if (result.body === undefined || result.body === null) {
      res.writeHead(result.status, { 'content-length': '0' });
      res.end();
    } else sendJson(res, result.status, result.body);
    return true;
  };
}
