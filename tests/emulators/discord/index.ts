/**
 * Local emulator of Discord for tests: REST (/api/v10) and the Gateway (ws)
 * on one 127.0.0.1:0 server. The real discord.js Client and REST talk to it
 * via `rest.api = emulator.apiUrl`. Records every call, injects faults (429
 * like Discord's, 5xx, slow replies), keeps users/channels/messages, and
 * checks every outbound body against Discord's official OpenAPI spec.
 */
import crypto, { type KeyObject } from 'node:crypto';
import type http from 'node:http';
import { CallLog, type Fault, FaultQueue, readBody, sendJson, sleep, startHttpServer } from '../shared';
import { EmulatedGateway, GATEWAY_PATH } from './gateway';
import { failureReply, rateLimitedReply, type RestReply, restRoutes } from './rest';
import { checkAgainstOpenApi, checkMessageLimits } from './spec';
import { DiscordApiFailure, type DiscordMessage, DiscordState, type DiscordUser, type Obj } from './state';

export interface DiscordCall {
  /** Route name: createMessage, editMessage, interactionCallback, editOriginal, createFollowup, createDM, … */
  method: string;
  status: number;
  http: string;
  path: string;
  params: string[];
  body?: unknown;
  /** Interaction callbacks: over the REST callback endpoint (gateway bots) or as the HTTP reply (endpoint bots). */
  via?: 'rest' | 'http';
  at: number;
}

export interface DiscordEmulator {
  url: string;
  /** For discord.js `rest.api` / DISCORD_API_URL. */
  apiUrl: string;
  botToken: string;
  applicationId: string;
  guildId: string;
  /** The application's Ed25519 key pair, generated per run (public key as 64 hex digits). */
  publicKeyHex: string;
  privateKey: KeyObject;
  state: DiscordState;
  gateway: EmulatedGateway;
  calls: DiscordCall[];
  callsTo(method: string): DiscordCall[];
  waitForCall(method: string, predicate?: (c: DiscordCall) => boolean, timeoutMs?: number): Promise<DiscordCall>;
  failNext(method: string, fault: Fault, times?: number): void;
  addUser(u: DiscordUser): void;
  addChannel(id: string, name: string): void;
  blockDirectMessages(userId: string): void;
  messages(channelId: string): DiscordMessage[];
  /** What only this person saw (DMs and ephemeral replies), oldest first. */
  privateTexts(userId: string): string[];
  /** An endpoint bot's HTTP reply to an interaction, checked and applied like a callback. */
  acceptHttpResponse(interactionId: string, status: number, body: unknown): void;
  schemaViolations: string[];
  close(): Promise<void>;
}

const API_PREFIX = '/api/v10';
const OK_HEADERS = { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '49', 'x-ratelimit-reset-after': '1.000', 'x-ratelimit-bucket': 'emulated' };

function checks(route: string, http: string, path: string, body: unknown): string[] {
  if (body === undefined) return [];
  const out = checkAgainstOpenApi(http, path, body);
  if (['createMessage', 'editMessage', 'editOriginal', 'createFollowup'].includes(route)) out.push(...checkMessageLimits(route, body));
  if (route === 'interactionCallback') {
    const b = body as Obj;
    if (b.type === 4 || b.type === 7) out.push(...checkMessageLimits(`callback type ${b.type}`, b.data));
    if (b.type === 9) out.push(...checkMessageLimits('modal', b.data, { modal: true }));
  }
  return out;
}

export async function startDiscordEmulator(): Promise<DiscordEmulator> {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const applicationId = '1100000000000000001';
  const guildId = '1100000000000000002';
  const botToken = `${Buffer.from(applicationId).toString('base64url')}.${crypto.randomBytes(4).toString('base64url')}.${crypto.randomBytes(20).toString('base64url')}`;
  const state = new DiscordState({ id: applicationId, username: 'chatdesk', globalName: 'chatdesk', bot: true });
  state.guildId = guildId;
  const log = new CallLog<DiscordCall>('Discord emulator');
  const faults = new FaultQueue<Fault>();
  const schemaViolations: string[] = [];
  let wsUrl = '';
  const routes = restRoutes(() => wsUrl);
  const gateway = new EmulatedGateway({
    botToken,
    resumeUrl: () => wsUrl,
    ready: () => ({
      v: 10,
      user: state.userObject(applicationId),
      guilds: [],
      application: { id: applicationId, flags: 0 },
      user_settings: {},
      relationships: [],
      private_channels: [],
    }),
  });

  function send(res: http.ServerResponse, reply: RestReply, headers: Record<string, string> = OK_HEADERS): void {
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
    } else sendJson(res, reply.status, reply.body, headers);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const httpMethod = req.method ?? 'GET';
    const raw = await readBody(req);
    const at = Date.now();
    const route = routes.find((r) => r.method === httpMethod && r.pattern.test(path));
    const params = route ? (route.pattern.exec(path) ?? []).slice(1) : [];
    const record = (status: number, body: unknown) =>
      log.record({
        method: route?.name ?? `${httpMethod} ${path}`,
        status,
        http: httpMethod,
        path,
        params,
        body,
        at,
        ...(route?.name === 'interactionCallback' ? { via: 'rest' as const } : {}),
      });
    let body: unknown;
    try {
      body = raw.length ? (JSON.parse(raw.toString('utf8')) as unknown) : undefined;
    } catch {
      send(res, { status: 400, body: { message: '400: Bad Request', code: 50109 } });
      return record(400, raw.toString('utf8'));
    }
    if (!route) {
      send(res, { status: 404, body: { message: '404: Not Found', code: 0 } });
      return record(404, body);
    }
    const fault = faults.take(route.name);
    if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
    else if (fault && fault.status === 429) {
      const limited = rateLimitedReply(fault.retryAfterSec);
      send(res, limited, limited.headers);
      return record(429, body);
    } else if (fault) {
      send(res, { status: fault.status, body: { message: 'Internal Server Error', code: 0 } });
      return record(fault.status, body);
    }
    if (route.botAuth && req.headers.authorization !== `Bot ${botToken}`) {
      send(res, { status: 401, body: { message: '401: Unauthorized', code: 0 } });
      return record(401, body);
    }
    schemaViolations.push(...checks(route.name, httpMethod, path, body));
    let reply: RestReply;
    try {
      reply = route.run(params, (body ?? {}) as Obj, state);
    } catch (err) {
      if (!(err instanceof DiscordApiFailure)) throw err;
      reply = failureReply(err);
    }
    send(res, reply);
    record(reply.status, body);
  }

  const started = await startHttpServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = u.pathname.split('/').map(decodeURIComponent).join('/');
    if (path.startsWith(`${API_PREFIX}/`)) return handleApi(req, res, path.slice(API_PREFIX.length));
    sendJson(res, 404, { message: '404: Not Found', code: 0 });
  });
  wsUrl = `${started.url.replace(/^http/, 'ws')}${GATEWAY_PATH}`;
  gateway.attach(started.server);

  return {
    url: started.url,
    apiUrl: `${started.url}/api`,
    botToken,
    applicationId,
    guildId,
    publicKeyHex,
    privateKey,
    state,
    gateway,
    calls: log.calls,
    callsTo: (m) => log.callsTo(m),
    waitForCall: (m, p, t) => log.waitFor(m, p, t ?? 5000),
    failNext: (m, f, times = 1) => faults.add(m, f, times),
    addUser: (u) => void state.users.set(u.id, { ...u }),
    addChannel: (id, name) => void state.channels.set(id, { id, type: 0, name, guildId }),
    blockDirectMessages(userId) {
      const u = state.users.get(userId);
      if (!u) throw new Error(`no user ${userId}`);
      u.dmsBlocked = true;
    },
    messages: (channelId) => structuredClone(state.messages.get(channelId) ?? []),
    privateTexts: (userId) => state.privateTexts.filter((p) => p.userId === userId).map((p) => p.text),
    acceptHttpResponse(interactionId, status, body) {
      const i = state.interaction(interactionId);
      const path = `/interactions/${i.id}/${i.token}/callback`;
      let recorded = status;
      if (status === 200) {
        schemaViolations.push(...checks('interactionCallback', 'POST', path, body));
        try {
          state.respond(i, body as Obj);
        } catch (err) {
          if (!(err instanceof DiscordApiFailure)) throw err;
          recorded = err.status;
        }
      }
      log.record({ method: 'interactionCallback', status: recorded, http: 'POST', path, params: [i.id, i.token], body, at: Date.now(), via: 'http' });
    },
    schemaViolations,
    async close() {
      gateway.close();
      log.close();
      faults.clear();
      await started.close();
    },
  };
}

export { messageText } from './state';
export type { DiscordMessage, DiscordUser } from './state';
