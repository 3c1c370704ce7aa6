/**
 * Local emulator of the Feishu Open API for tests: the real
 * @larksuiteoapi/node-sdk Client talks to it via `domain: emulator.url`.
 * Serves tenant_access_token/internal, im/v1/messages (create, reply, patch,
 * get), contact/v3/users/:id; keeps chats, messages, toasts and a user
 * directory; records every call; injects faults (429 + code 99991400, 5xx,
 * slow replies); checks every outbound card against card-rules.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { CallLog, type Fault, FaultQueue, readBody, sendJson, sleep, startHttpServer } from '../shared';
import { checkCard, checkText } from './card-rules';

export interface RecordedCall {
  method: string;
  status: number;
  /** Feishu's business code in the answer (0 = ok). */
  code: number;
  args: { path?: Record<string, string>; params: Record<string, string>; body: Record<string, unknown> };
  at: number;
}

export interface LarkUser {
  openId: string;
  name: string;
  enName?: string;
}

export interface LarkChat {
  chatId: string;
  type: 'p2p' | 'group';
  name: string;
  members: Set<string>;
  /** For p2p chats: the person the bot talks to. */
  user?: string;
}

export interface LarkMessage {
  messageId: string;
  chatId: string;
  msgType: string;
  /** The content as Feishu stores it: a JSON string. */
  content: string;
  sender: { id: string; type: 'app' | 'user' };
  rootId?: string;
  parentId?: string;
  threadId?: string;
  createTime: number;
  updateTime: number;
  updated: boolean;
}

export interface Toast {
  openId: string;
  type: string;
  content: string;
  at: number;
}

/** Which call a fault applies to. */
export type FaultKey =
  | 'im.message.create'
  | 'im.message.reply'
  | 'im.message.patch'
  | 'im.message.get'
  | 'contact.user.get'
  | 'contact.group.member_belong'
  | 'auth.tenant_access_token';

export interface FeishuEmulator {
  url: string;
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
  tenantKey: string;
  botOpenId: string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  waitForCall(method: string, predicate?: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  failNext(key: FaultKey, fault: Fault, times?: number): void;
  addUser(u: LarkUser): void;
  user(openId: string): LarkUser | undefined;
  /** The bot is outside this person's availability: DMs fail with 230013. */
  blockUser(openId: string): void;
  addGroup(c: { chatId: string; name: string; members: string[] }): void;
  /** A contact user group (通讯录用户组) and its members by open_id, as contact/v3/group/member_belong reports them. */
  addUserGroup(groupId: string, openIds: string[]): void;
  chat(chatId: string): LarkChat | undefined;
  /** The bot's p2p chat with a person (created on first use, like Feishu does). */
  p2pChatFor(openId: string): string;
  /** Messages of a chat, thread replies included, oldest first. */
  messages(chatId: string): LarkMessage[];
  message(messageId: string): LarkMessage | undefined;
  /** Stores a message a person sent (inbound helpers use it before delivering the event). */
  /** A message someone wrote (or, with `fromApp`, another app's / the bot's own), stored as Feishu stores it; not delivered. */
  addUserMessage(m: { chatId: string; openId: string; msgType?: string; content: string; parentId?: string; fromApp?: boolean }): LarkMessage;
  /** What Feishu does with a card callback's answer: the card replaces the clicked one, the toast shows to the clicker. */
  applyCallbackAnswer(messageId: string, openId: string, answer: unknown, elapsedMs: number): void;
  toastsFor(openId: string): Toast[];
  schemaViolations: string[];
  close(): Promise<void>;
}

export interface StartFeishuEmulatorOptions {
  appId?: string;
  encryptKey?: string;
  verificationToken?: string;
}

type Reply = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };
const ok = (data: Record<string, unknown> = {}): Reply => ({ status: 200, body: { code: 0, msg: 'success', data } });
const fail = (status: number, code: number, msg: string): Reply => ({ status, body: { code, msg } });
const id = (prefix: string) => `${prefix}${crypto.randomBytes(12).toString('hex')}`;

const RECEIVE_ID_TYPES = new Set(['open_id', 'user_id', 'union_id', 'email', 'chat_id']);
const MSG_TYPES = new Set(['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user']);

export async function startFeishuEmulator(opts: StartFeishuEmulatorOptions = {}): Promise<FeishuEmulator> {
  const appId = opts.appId ?? `cli_${crypto.randomBytes(8).toString('hex')}`;
  const appSecret = crypto.randomBytes(16).toString('hex');
  const encryptKey = opts.encryptKey ?? crypto.randomBytes(16).toString('hex');
  const verificationToken = opts.verificationToken ?? crypto.randomBytes(12).toString('hex');
  const tenantKey = 'tenant_emulated';
  const botOpenId = 'ou_chatdesk_bot';

  const log = new CallLog<RecordedCall>('Feishu emulator');
  const faults = new FaultQueue<Fault>();
  const schemaViolations: string[] = [];
  const tokens = new Set<string>();
  const users = new Map<string, LarkUser>();
  const userGroups = new Map<string, Set<string>>();
  const blocked = new Set<string>();
  const chats = new Map<string, LarkChat>();
  const messages = new Map<string, LarkMessage>();
  const byUuid = new Map<string, string>();
  const toasts: Toast[] = [];

  const p2pChatFor = (openId: string): string => {
    for (const c of chats.values()) if (c.type === 'p2p' && c.user === openId) return c.chatId;
    const chatId = `oc_p2p_${crypto.createHash('sha256').update(openId).digest('hex').slice(0, 16)}`;
    chats.set(chatId, { chatId, type: 'p2p', name: '', members: new Set([openId, botOpenId]), user: openId });
    return chatId;
  };

  const store = (m: Omit<LarkMessage, 'messageId' | 'createTime' | 'updateTime' | 'updated'>): LarkMessage => {
    const now = Date.now();
    const message: LarkMessage = { ...m, messageId: id('om_'), createTime: now, updateTime: now, updated: false };
    messages.set(message.messageId, message);
    return message;
  };

  /** Checks a bot message's content; returns a business error for what Feishu refuses outright. */
  const checkContent = (msgType: unknown, content: unknown, where: string): Reply | undefined => {
    if (typeof msgType !== 'string' || !MSG_TYPES.has(msgType)) return fail(400, 230001, `invalid msg_type ${String(msgType)}`);
    if (typeof content !== 'string') return fail(400, 230001, 'content must be a JSON string');
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      return fail(400, 230001, 'content is not valid JSON');
    }
    if (msgType === 'interactive') schemaViolations.push(...checkCard(parsed, where));
    else if (msgType === 'text') schemaViolations.push(...checkText(parsed, where));
    else schemaViolations.push(`${where}: chatdesk sends only text and interactive messages, got ${msgType}`);
    return undefined;
  };

  const messageView = (m: LarkMessage) => ({
    message_id: m.messageId,
    root_id: m.rootId,
    parent_id: m.parentId,
    thread_id: m.threadId,
    msg_type: m.msgType,
    create_time: String(m.createTime),
    update_time: String(m.updateTime),
    updated: m.updated,
    chat_id: m.chatId,
    sender: { id: m.sender.id, id_type: m.sender.type === 'app' ? 'app_id' : 'open_id', sender_type: m.sender.type, tenant_key: tenantKey },
    body: { content: m.content },
  });

  const routes: Array<{
    method: string;
    pattern: RegExp;
    key: FaultKey;
    auth: boolean;
    handle: (m: RegExpExecArray, params: URLSearchParams, body: Record<string, unknown>) => Reply;
  }> = [
    {
      method: 'POST',
      pattern: /^\/open-apis\/auth\/v3\/tenant_access_token\/internal$/,
      key: 'auth.tenant_access_token',
      auth: false,
      handle: (_m, _p, body) => {
        if (body.app_id !== appId || body.app_secret !== appSecret) return { status: 200, body: { code: 10014, msg: 'app secret invalid' } };
        const token = `t-${crypto.randomBytes(16).toString('hex')}`;
        tokens.add(token);
        return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 } };
      },
    },
    {
      method: 'POST',
      pattern: /^\/open-apis\/im\/v1\/messages$/,
      key: 'im.message.create',
      auth: true,
      handle: (_m, params, body) => {
        const type = params.get('receive_id_type') ?? '';
        if (!RECEIVE_ID_TYPES.has(type)) return fail(400, 99992402, 'field validation failed: receive_id_type');
        const receiveId = String(body.receive_id ?? '');
        if (typeof body.uuid === 'string' && byUuid.has(body.uuid)) return ok(messageView(messages.get(byUuid.get(body.uuid)!)!));
        let chatId: string;
        if (type === 'chat_id') {
          const chat = chats.get(receiveId);
          if (!chat) return fail(400, 230001, 'invalid receive_id: chat not found');
          if (!chat.members.has(botOpenId)) return fail(400, 230002, 'Bot is not in the chat.');
          chatId = chat.chatId;
        } else if (type === 'open_id') {
          if (!users.has(receiveId)) return fail(400, 230001, 'invalid receive_id: user not found');
          if (blocked.has(receiveId)) return fail(400, 230013, 'Bot has NO availability to this user.');
          chatId = p2pChatFor(receiveId);
        } else {
          schemaViolations.push(`im.message.create: chatdesk addresses people by open_id and chats by chat_id, got ${type}`);
          return fail(400, 230001, 'unsupported receive_id_type in the emulator');
        }
        const bad = checkContent(body.msg_type, body.content, `im.message.create(${type})`);
        if (bad) return bad;
        const m = store({ chatId, msgType: String(body.msg_type), content: String(body.content), sender: { id: appId, type: 'app' } });
        if (typeof body.uuid === 'string') byUuid.set(body.uuid, m.messageId);
        return ok(messageView(m));
      },
    },
    {
      method: 'POST',
      pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/,
      key: 'im.message.reply',
      auth: true,
      handle: (m, _p, body) => {
        const parent = messages.get(m[1]!);
        if (!parent) return fail(400, 230011, 'The message is not found or has been recalled.');
        if (typeof body.uuid === 'string' && byUuid.has(body.uuid)) return ok(messageView(messages.get(byUuid.get(body.uuid)!)!));
        const chat = chats.get(parent.chatId);
        if (chat?.type === 'p2p' && chat.user && blocked.has(chat.user)) return fail(400, 230013, 'Bot has NO availability to this user.');
        const bad = checkContent(body.msg_type, body.content, 'im.message.reply');
        if (bad) return bad;
        const rootId = parent.rootId ?? parent.messageId;
        const threadId = body.reply_in_thread === true ? (parent.threadId ?? `omt_${parent.messageId.slice(3)}`) : parent.threadId;
        if (threadId) parent.threadId = threadId;
        const reply = store({
          chatId: parent.chatId,
          msgType: String(body.msg_type),
          content: String(body.content),
          sender: { id: appId, type: 'app' },
          rootId,
          parentId: parent.messageId,
          ...(threadId ? { threadId } : {}),
        });
        if (typeof body.uuid === 'string') byUuid.set(body.uuid, reply.messageId);
        return ok(messageView(reply));
      },
    },
    {
      method: 'PATCH',
      pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)$/,
      key: 'im.message.patch',
      auth: true,
      handle: (m, _p, body) => {
        const target = messages.get(m[1]!);
        if (!target) return fail(400, 230011, 'The message is not found or has been recalled.');
        if (target.sender.type !== 'app' || target.msgType !== 'interactive')
          return fail(400, 230054, 'This type of message cannot be updated; only cards sent by the bot can.');
        const before = JSON.parse(target.content) as { config?: { update_multi?: boolean } };
        if (before.config?.update_multi !== true) schemaViolations.push('im.message.patch: PATCH updates shared cards only (update_multi: true)');
        const bad = checkContent('interactive', body.content, 'im.message.patch');
        if (bad) return bad;
        target.content = String(body.content);
        target.updateTime = Date.now();
        target.updated = true;
        return ok({});
      },
    },
    {
      method: 'GET',
      pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)$/,
      key: 'im.message.get',
      auth: true,
      handle: (m) => {
        const target = messages.get(m[1]!);
        return target ? ok({ items: [messageView(target)] }) : fail(400, 230011, 'The message is not found or has been recalled.');
      },
    },
    {
      // https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/contact-v3/group/member_belong (contact:group:readonly)
      method: 'GET',
      pattern: /^\/open-apis\/contact\/v3\/group\/member_belong$/,
      key: 'contact.group.member_belong',
      auth: true,
      handle: (_m, params) => {
        if ((params.get('member_id_type') ?? 'open_id') !== 'open_id') return fail(400, 99992402, 'the emulator knows open_ids only');
        const member = params.get('member_id') ?? '';
        if (!users.has(member)) return fail(400, 40003, 'member not found');
        const groups = [...userGroups].filter(([, members]) => members.has(member)).map(([id]) => id);
        return ok({ group_list: groups, has_more: false, page_token: '' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/open-apis\/contact\/v3\/users\/([^/]+)$/,
      key: 'contact.user.get',
      auth: true,
      handle: (m, params) => {
        if ((params.get('user_id_type') ?? 'open_id') !== 'open_id') return fail(400, 99992402, 'the emulator knows open_ids only');
        const u = users.get(decodeURIComponent(m[1]!));
        return u ? ok({ user: { open_id: u.openId, name: u.name, en_name: u.enName ?? u.name } }) : fail(400, 41050, 'no user authority error');
      },
    },
  ];

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const raw = (await readBody(req)).toString('utf8');
    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return sendJson(res, 400, { code: 9499, msg: 'Bad Request: body is not JSON' });
      }
    }
    const params = Object.fromEntries(url.searchParams);
    const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    if (!route) return sendJson(res, 404, { code: 404, msg: `emulator: no route ${req.method} ${url.pathname}` });
    const match = route.pattern.exec(url.pathname)!;
    const record = (reply: Reply) => {
      log.record({
        method: route.key,
        status: reply.status,
        code: Number(reply.body.code ?? 0),
        args: { path: match[1] ? { id: match[1] } : undefined, params, body },
        at: Date.now(),
      });
      sendJson(res, reply.status, reply.body, reply.headers);
    };
    const fault = faults.take(route.key);
    if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
    else if (fault && fault.status === 429) {
      return record({
        status: 429,
        body: { code: 99991400, msg: 'request trigger frequency limit' },
        headers: { 'x-ogw-ratelimit-limit': '5', 'x-ogw-ratelimit-reset': String(fault.retryAfterSec) },
      });
    } else if (fault) return record({ status: fault.status, body: { code: 1, msg: 'internal error' } });
    if (route.auth) {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !tokens.has(token))
        return record(fail(400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.'));
    }
    record(route.handle(match, url.searchParams, body));
  };

  const server = await startHttpServer(handler);
  return {
    url: server.url,
    appId,
    appSecret,
    encryptKey,
    verificationToken,
    tenantKey,
    botOpenId,
    calls: log.calls,
    callsTo: (method) => log.callsTo(method),
    waitForCall: (method, predicate, timeoutMs) => log.waitFor(method, predicate, timeoutMs),
    failNext: (key, fault, times) => faults.add(key, fault, times),
    addUser: (u) => void users.set(u.openId, u),
    user: (openId) => users.get(openId),
    blockUser: (openId) => void blocked.add(openId),
    addUserGroup: (groupId, openIds) => void userGroups.set(groupId, new Set(openIds)),
    addGroup: (c) => void chats.set(c.chatId, { chatId: c.chatId, type: 'group', name: c.name, members: new Set([...c.members, botOpenId]) }),
    chat: (chatId) => chats.get(chatId),
    p2pChatFor,
    messages: (chatId) => [...messages.values()].filter((m) => m.chatId === chatId).sort((a, b) => a.createTime - b.createTime),
    message: (messageId) => messages.get(messageId),
    addUserMessage: (m) => {
      const parent = m.parentId ? messages.get(m.parentId) : undefined;
      return store({
        chatId: m.chatId,
        msgType: m.msgType ?? 'text',
        content: m.content,
        sender: { id: m.openId, type: m.fromApp ? 'app' : 'user' },
        ...(parent ? { parentId: parent.messageId, rootId: parent.rootId ?? parent.messageId } : {}),
      });
    },
    applyCallbackAnswer: (messageId, openId, answer, elapsedMs) => {
      if (elapsedMs > 3000) schemaViolations.push(`card callback answered after ${Math.round(elapsedMs)} ms (Feishu gives up after 3 s)`);
      if (!answer || typeof answer !== 'object') return;
      const { toast, card } = answer as { toast?: { type?: string; content?: string }; card?: { type?: string; data?: unknown } };
      if (toast) {
        if (typeof toast.content !== 'string' || !['success', 'error', 'info', 'warning'].includes(String(toast.type)))
          schemaViolations.push('card callback: toast needs type success|error|info|warning and content');
        toasts.push({ openId, type: String(toast.type), content: String(toast.content), at: Date.now() });
      }
      if (card) {
        if (card.type !== 'raw') return void schemaViolations.push(`card callback: card.type must be 'raw' for card JSON, got ${String(card.type)}`);
        schemaViolations.push(...checkCard(card.data, 'card callback answer'));
        const target = messages.get(messageId);
        if (target) {
          target.content = JSON.stringify(card.data);
          target.updateTime = Date.now();
          target.updated = true;
        }
      }
    },
    toastsFor: (openId) => toasts.filter((x) => x.openId === openId),
    schemaViolations,
    close: async () => {
      log.close();
      await server.close();
    },
  };
}
