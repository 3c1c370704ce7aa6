/**
 * Local emulator of the Microsoft Teams side of a bot, for tests: the Bot
 * Framework's OpenID metadata + JWKS (inbound token keys), the Entra ID token
 * endpoint (the bot's client credentials), and the Bot Connector REST API the
 * Teams SDK calls (`/v3/conversations…`). Keeps conversations, activities and
 * a user directory; records every call; injects faults (429 + Retry-After,
 * 5xx, slow); checks every outbound card against the official schema.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { CallLog, type Fault, FaultQueue, readBody, sendJson, sleep, startHttpServer } from '../shared';
import { BOT_API_SCOPE, BOT_FRAMEWORK_ISSUER, EmulatorKeys } from './auth';
import { checkActivity } from './schema';

export interface RecordedCall {
  method: string;
  status: number;
  path: string;
  args: Record<string, unknown>;
  at: number;
}

export interface TeamsUser {
  /** Teams user id (`29:…`): what activities carry in `from.id`. */
  id: string;
  /** Entra object id: what the people picker returns. */
  aadObjectId: string;
  name: string;
  email: string;
  /** Whether the app is installed for this user (a 1:1 chat with the bot can be created). */
  appInstalled: boolean;
}

export interface StoredActivity {
  id: string;
  conversationId: string;
  /** Root post id when this activity is a reply in a channel thread. */
  threadId?: string;
  /** For a targeted message: the one user who sees it. */
  targetedTo?: string;
  activity: Record<string, unknown>;
  /** Every version, oldest first (PUT appends). */
  history: Array<Record<string, unknown>>;
  seq: number;
}

export interface Conversation {
  id: string;
  type: 'personal' | 'channel';
  /** For personal chats: the user. */
  userId?: string;
  name?: string;
}

export interface PrivateText {
  userId: string;
  text: string;
  seq: number;
  via: 'dm' | 'targeted' | 'invoke' | 'dialog';
}

export interface TeamsEmulator {
  url: string;
  /** The service URL inbound activities carry (regional, like `https://smba.trafficmanager.net/amer/`). */
  serviceUrl: string;
  openIdMetadataUrl: string;
  loginUrl: string;
  appId: string;
  appPassword: string;
  tenantId: string;
  botId: string;
  botName: string;
  teamId: string;
  /** The team's Entra group id (`channelData.team.aadGroupId` in channel activities). */
  teamGroupId: string;
  keys: EmulatorKeys;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  waitForCall(method: string, predicate?: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Next `times` calls of `method` (`activities.create`, `activities.update`, `conversations.create`, `members.get`, `token`) fail or are slow. */
  failNext(method: string, fault: Fault, times?: number): void;
  addUser(u: { id: string; name: string; aadObjectId?: string; email?: string; appInstalled?: boolean }): TeamsUser;
  user(idOrAad: string): TeamsUser | undefined;
  /** The user no longer has the app: creating or posting to their 1:1 chat fails like Teams fails it. */
  blockDirectMessages(userId: string): void;
  addChannel(id: string, name: string): Conversation;
  /** The user's 1:1 chat with the bot (created on first use). */
  personalChatOf(userId: string): Conversation;
  conversation(id: string): Conversation | undefined;
  /** Activities in a conversation (base id), oldest first, as they look now. */
  activities(conversationId: string): StoredActivity[];
  /** Root posts of a channel (not thread replies). */
  rootPosts(conversationId: string): StoredActivity[];
  /** Texts only this user sees: DMs, targeted messages, invoke and dialog replies, oldest first. */
  privateTexts(userId: string): PrivateText[];
  /** Records what the Teams client showed the user privately after an invoke (called by the inbound helpers). */
  recordPrivate(userId: string, text: string, via: PrivateText['via']): void;
  schemaViolations: string[];
  close(): Promise<void>;
}

const randomId = (n = 10) => crypto.randomBytes(n).toString('hex');
const TEAMS_ERRORS = {
  roster: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' },
};

export async function startTeamsEmulator(opts: { appId?: string; appPassword?: string; tenantId?: string } = {}): Promise<TeamsEmulator> {
  const appId = opts.appId ?? crypto.randomUUID();
  const appPassword = opts.appPassword ?? randomId(16);
  const tenantId = opts.tenantId ?? crypto.randomUUID();
  const botId = `28:${appId}`;
  const keys = new EmulatorKeys();
  const log = new CallLog<RecordedCall>('Teams emulator');
  const faults = new FaultQueue<Fault>();
  const schemaViolations: string[] = [];
  const users = new Map<string, TeamsUser>();
  const conversations = new Map<string, Conversation>();
  const activities = new Map<string, StoredActivity[]>();
  const privates: PrivateText[] = [];
  let seq = 0;
  let activityClock = Date.now();
  const teamId = `19:${randomId(8)}@thread.tacv2`;
  const teamGroupId = crypto.randomUUID();

  const findUser = (idOrAad: string) =>
    users.get(idOrAad) ?? [...users.values()].find((u) => u.aadObjectId === idOrAad || u.email.toLowerCase() === idOrAad.toLowerCase());

  function personalChatOf(userId: string): Conversation {
    const existing = [...conversations.values()].find((c) => c.type === 'personal' && c.userId === userId);
    if (existing) return existing;
    const c: Conversation = { id: `a:1${randomId(20)}`, type: 'personal', userId };
    conversations.set(c.id, c);
    return c;
  }

  const nextActivityId = () => {
    activityClock = Math.max(activityClock + 1, Date.now());
    return String(activityClock);
  };

  type Reply = { status: number; body?: unknown };
  const teamsError = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

  function visibleTo(userId: string, conv: Conversation | undefined, targetedTo: string | undefined) {
    if (targetedTo) return targetedTo === userId;
    return conv?.type === 'personal' && conv.userId === userId;
  }

  function textOf(activity: Record<string, unknown>): string {
    if (typeof activity.text === 'string') return activity.text;
    return typeof activity.summary === 'string' ? activity.summary : '';
  }

  function createActivity(rawConv: string, body: Record<string, unknown>, targeted: boolean, replyTo?: string): Reply {
    const [baseId, threadPart] = rawConv.split(';messageid=');
    const conv = conversations.get(baseId ?? '');
    if (!conv) return teamsError(404, 'ConversationNotFound', 'Conversation not found.');
    if (conv.type === 'personal' && !findUser(conv.userId ?? '')?.appInstalled) return teamsError(403, TEAMS_ERRORS.roster.code, TEAMS_ERRORS.roster.message);
    const where = `POST ${conv.type} ${baseId}`;
    schemaViolations.push(...checkActivity(body, where));
    const recipient = body.recipient as { id?: string } | undefined;
    if (targeted && !recipient?.id) return teamsError(400, 'BadArgument', 'A targeted activity needs a recipient.');
    if (targeted && conv.type === 'personal') return teamsError(400, 'BadArgument', 'Targeted activities are for group chats and channels.');
    const id = nextActivityId();
    const threadId = conv.type === 'channel' ? (threadPart ?? (replyTo ? replyTo : undefined)) : undefined;
    const stored: StoredActivity = {
      id,
      conversationId: conv.id,
      ...(threadId ? { threadId } : {}),
      ...(targeted ? { targetedTo: recipient!.id } : {}),
      activity: body,
      history: [body],
      seq: ++seq,
    };
    const list = activities.get(conv.id) ?? [];
    list.push(stored);
    activities.set(conv.id, list);
    for (const u of users.values())
      if (visibleTo(u.id, conv, stored.targetedTo)) privates.push({ userId: u.id, text: textOf(body), seq: stored.seq, via: targeted ? 'targeted' : 'dm' });
    return { status: 201, body: { id } };
  }

  function updateActivity(rawConv: string, id: string, body: Record<string, unknown>): Reply {
    const baseId = rawConv.split(';messageid=')[0] ?? '';
    const stored = activities.get(baseId)?.find((a) => a.id === id);
    if (!stored) return teamsError(404, 'ActivityNotFoundInConversation', 'Activity not found.');
    schemaViolations.push(...checkActivity(body, `PUT ${baseId}/${id}`));
    stored.activity = body;
    stored.history.push(body);
    return { status: 200, body: { id } };
  }

  function createConversation(body: Record<string, unknown>): Reply {
    const members = Array.isArray(body.members) ? (body.members as Array<{ id?: string }>) : [];
    if (members.length !== 1 || !members[0]?.id) return teamsError(400, 'BadArgument', 'Exactly one member is needed for a 1:1 chat.');
    const tenant = (body.tenantId as string | undefined) ?? (body.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    if (tenant !== tenantId) return teamsError(400, 'BadArgument', 'Tenant ID is required and must be the user tenant.');
    const u = findUser(members[0].id);
    if (!u) return teamsError(404, 'UserNotFound', 'User not found.');
    // Teams creates 1:1 chats only with users who have the app installed.
    if (!u.appInstalled) return teamsError(403, TEAMS_ERRORS.roster.code, TEAMS_ERRORS.roster.message);
    return { status: 201, body: { id: personalChatOf(u.id).id } };
  }

  function member(u: TeamsUser) {
    const [givenName, ...rest] = u.name.split(' ');
    return {
      id: u.id,
      name: u.name,
      aadObjectId: u.aadObjectId,
      givenName,
      surname: rest.join(' '),
      email: u.email,
      userPrincipalName: u.email,
      tenantId,
      userRole: 'user',
    };
  }

  const server = await startHttpServer(async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    const raw = (await readBody(req)).toString('utf8');
    const record = (method: string, status: number, args: Record<string, unknown>) => log.record({ method, status, path, args, at: Date.now() });

    if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
      return sendJson(res, 200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `${server.url}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }
    if (req.method === 'GET' && path === '/v1/.well-known/keys') return sendJson(res, 200, keys.jwks());

    const tokenMatch = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (req.method === 'POST' && tokenMatch) {
      const form = new URLSearchParams(raw);
      const fault = faults.take('token');
      if (fault && 'status' in fault) {
        record('token', fault.status, {});
        return sendJson(res, fault.status, { error: 'temporarily_unavailable' }, fault.status === 429 ? { 'retry-after': String(fault.retryAfterSec) } : {});
      }
      const args = { tenant: tokenMatch[1], grant_type: form.get('grant_type'), client_id: form.get('client_id'), scope: form.get('scope') };
      const refuse = (status: number, body: unknown) => {
        record('token', status, args);
        sendJson(res, status, body);
      };
      if (form.get('grant_type') !== 'client_credentials') return refuse(400, { error: 'unsupported_grant_type' });
      if (form.get('client_id') !== appId || form.get('client_secret') !== appPassword) return refuse(401, { error: 'invalid_client' });
      if (form.get('scope') !== BOT_API_SCOPE) return refuse(400, { error: 'invalid_scope' });
      if (tokenMatch[1] !== tenantId && tokenMatch[1] !== 'botframework.com') return refuse(400, { error: 'invalid_request' });
      record('token', 200, args);
      return sendJson(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: keys.botToken(appId, tokenMatch[1] ?? '') });
    }

    const m = /^\/(?:[a-z]+\/)?v3\/conversations(?:\/([^/]+)(?:\/(activities|members)(?:\/([^/]+))?)?)?$/.exec(path);
    if (!m) return sendJson(res, 404, { error: { code: 'NotFound', message: `no route ${req.method} ${path}` } });
    const [, conv, collection, itemId] = m;
    const targeted = url.searchParams.get('isTargetedActivity') === 'true';
    let method: string;
    if (!conv && req.method === 'POST') method = 'conversations.create';
    else if (collection === 'activities' && req.method === 'POST') method = itemId ? 'activities.reply' : 'activities.create';
    else if (collection === 'activities' && req.method === 'PUT' && itemId) method = 'activities.update';
    else if (collection === 'members' && req.method === 'GET') method = itemId ? 'members.get' : 'members.list';
    else return sendJson(res, 405, { error: { code: 'MethodNotAllowed', message: `${req.method} ${path}` } });
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return sendJson(res, 400, { error: { code: 'BadArgument', message: 'invalid JSON' } });
    }
    const args = { conversationId: conv, id: itemId, targeted, ...body };

    const fault = faults.take(method === 'activities.reply' ? 'activities.create' : method);
    if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
    else if (fault) {
      record(method, fault.status, args);
      const headers: Record<string, string> = fault.status === 429 ? { 'retry-after': String(fault.retryAfterSec) } : {};
      return sendJson(res, fault.status, { error: { code: fault.status === 429 ? 'TooManyRequests' : 'ServiceError', message: 'injected fault' } }, headers);
    }
    if (keys.verifyBotToken(req.headers.authorization) !== appId) {
      record(method, 401, args);
      return sendJson(res, 401, { message: 'Authorization has been denied for this request.' });
    }
    let reply: Reply;
    if (method === 'conversations.create') reply = createConversation(body);
    else if (method === 'activities.create') reply = createActivity(conv!, body, targeted);
    else if (method === 'activities.reply') reply = createActivity(conv!, body, targeted, itemId);
    else if (method === 'activities.update') reply = updateActivity(conv!, itemId!, body);
    else if (method === 'members.get') {
      const u = findUser(itemId ?? '');
      reply =
        u && conversations.has(conv!.split(';')[0] ?? '')
          ? { status: 200, body: member(u) }
          : teamsError(404, 'MemberNotFoundInConversation', 'The member was not found.');
    } else
      reply = conversations.has(conv!.split(';')[0] ?? '')
        ? { status: 200, body: [...users.values()].map(member) }
        : teamsError(404, 'ConversationNotFound', 'Conversation not found.');
    record(method, reply.status, args);
    return sendJson(res, reply.status, reply.body ?? {});
  });

  const serviceUrl = `${server.url}/amer/`;
  const emulator: TeamsEmulator = {
    url: server.url,
    serviceUrl,
    openIdMetadataUrl: `${server.url}/v1/.well-known/openidconfiguration`,
    loginUrl: server.url,
    appId,
    appPassword,
    tenantId,
    botId,
    botName: 'chatdesk',
    teamId,
    teamGroupId,
    keys,
    calls: log.calls,
    callsTo: (method) => log.callsTo(method),
    waitForCall: (method, predicate, timeoutMs) => log.waitFor(method, predicate, timeoutMs),
    failNext: (method, fault, times = 1) => faults.add(method, fault, times),
    addUser(u) {
      const user: TeamsUser = {
        id: u.id,
        name: u.name,
        aadObjectId: u.aadObjectId ?? crypto.randomUUID(),
        email: u.email ?? `${u.name.split(' ')[0]?.toLowerCase()}@contoso.example`,
        appInstalled: u.appInstalled ?? true,
      };
      users.set(user.id, user);
      return user;
    },
    user: findUser,
    blockDirectMessages(userId) {
      const u = findUser(userId);
      if (!u) throw new Error(`Teams emulator: no user ${userId}`);
      u.appInstalled = false;
    },
    addChannel(id, name) {
      const c: Conversation = { id, type: 'channel', name };
      conversations.set(id, c);
      return c;
    },
    personalChatOf,
    conversation: (id) => conversations.get(id.split(';')[0] ?? id),
    activities: (id) => [...(activities.get(id) ?? [])],
    rootPosts: (id) => (activities.get(id) ?? []).filter((a) => !a.threadId && !a.targetedTo),
    privateTexts: (userId) => privates.filter((p) => p.userId === userId).sort((a, b) => a.seq - b.seq),
    recordPrivate(userId, text, via) {
      privates.push({ userId, text, via, seq: ++seq });
    },
    schemaViolations,
    async close() {
      log.close();
      await server.close();
    },
  };
  return emulator;
}
