/**
 * Sends requests to the app under test exactly as Feishu does with an Encrypt
 * Key: body `{"encrypt": base64(iv || AES-256-CBC(sha256(key), iv, json))}`,
 * `X-Lark-Signature` = hex(sha256(timestamp + nonce + key + body)) with
 * `X-Lark-Request-Timestamp` / `-Nonce`; events and card callbacks in the
 * schema 2.0 envelope; url_verification unsigned. `forge` breaks the request
 * the way an attacker or a replay would.
 */
import crypto from 'node:crypto';
import type { FeishuEmulator, LarkMessage } from './index';

export type Forgery = 'unsigned' | 'tampered' | 'stale' | 'wrong-key';

export interface InboundOptions {
  forge?: Forgery;
  /** Pretty-print the body (Feishu's bytes are compact; the signature covers whatever bytes are sent). */
  spaced?: boolean;
}

export interface InboundResult {
  status: number;
  json?: Record<string, unknown>;
  ms: number;
}

export function encryptLark(encryptKey: string, plaintext: string): string {
  const key = crypto.createHash('sha256').update(encryptKey).digest();
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function signLark(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return crypto
    .createHash('sha256')
    .update(timestamp + nonce + encryptKey + body)
    .digest('hex');
}

const bodyFor = (emu: FeishuEmulator, payload: unknown, spaced?: boolean) =>
  JSON.stringify({ encrypt: encryptLark(emu.encryptKey, JSON.stringify(payload)) }, null, spaced ? 2 : undefined);

/** POSTs one payload to the app, encrypted and signed as Feishu does (or forged). */
export async function postLark(emu: FeishuEmulator, url: string, payload: unknown, opts: InboundOptions = {}): Promise<InboundResult> {
  const body = bodyFor(emu, payload, opts.spaced);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Go-http-client/1.1' };
  if (opts.forge !== 'unsigned') {
    const timestamp = String(Math.floor(Date.now() / 1000) - (opts.forge === 'stale' ? 10 * 60 : 0));
    const nonce = crypto.randomBytes(8).toString('hex');
    const key = opts.forge === 'wrong-key' ? `${emu.encryptKey}-other-app` : emu.encryptKey;
    // 'tampered': the signature is for another body than the one delivered.
    const signedBody = opts.forge === 'tampered' ? bodyFor(emu, { ...(payload as object), tampered: false }) : body;
    Object.assign(headers, {
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signLark(timestamp, nonce, key, signedBody),
    });
  }
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, ms: performance.now() - started };
}

/** The schema 2.0 envelope of every event and card callback. */
export function envelope(
  emu: FeishuEmulator,
  eventType: string,
  event: Record<string, unknown>,
  eventId: string = crypto.randomUUID(),
): Record<string, unknown> {
  return {
    schema: '2.0',
    header: {
      event_id: eventId,
      token: emu.verificationToken,
      create_time: String(Date.now()),
      event_type: eventType,
      tenant_key: emu.tenantKey,
      app_id: emu.appId,
    },
    event,
  };
}

const operatorIds = (openId: string) => ({ open_id: openId, user_id: `u_${openId.slice(3, 11)}`, union_id: `on_${openId.slice(3)}` });

export interface TextMessageOptions extends InboundOptions {
  openId: string;
  text: string;
  /** A group chat (the text is prefixed with an @mention of the bot); default the person's p2p chat with the bot. */
  groupChatId?: string;
  /** A reply to this message of the chat (Feishu's "reply", in its thread): the event carries `root_id` and `parent_id`. */
  parentId?: string;
  eventId?: string;
}

/** A person sends a text message (im.message.receive_v1): stored in the chat, then delivered. */
export function textMessageEvent(emu: FeishuEmulator, opts: TextMessageOptions): { payload: Record<string, unknown>; message: LarkMessage } {
  const inGroup = !!opts.groupChatId;
  const chatId = opts.groupChatId ?? emu.p2pChatFor(opts.openId);
  const text = inGroup ? `@_user_1 ${opts.text}` : opts.text;
  const content = JSON.stringify({ text });
  if (opts.parentId && emu.message(opts.parentId)?.chatId !== chatId) throw new Error(`message ${opts.parentId} is not in chat ${chatId}`);
  const message = emu.addUserMessage({ chatId, openId: opts.openId, content, ...(opts.parentId ? { parentId: opts.parentId } : {}) });
  const payload = envelope(
    emu,
    'im.message.receive_v1',
    {
      sender: { sender_id: operatorIds(opts.openId), sender_type: 'user', tenant_key: emu.tenantKey },
      message: {
        message_id: message.messageId,
        ...(message.rootId ? { root_id: message.rootId } : {}),
        ...(message.parentId ? { parent_id: message.parentId } : {}),
        ...(message.threadId ? { thread_id: message.threadId } : {}),
        create_time: String(message.createTime),
        update_time: String(message.createTime),
        chat_id: chatId,
        chat_type: inGroup ? 'group' : 'p2p',
        message_type: 'text',
        content,
        ...(inGroup ? { mentions: [{ key: '@_user_1', id: { open_id: emu.botOpenId }, name: 'chatdesk', tenant_key: emu.tenantKey }] } : {}),
      },
    },
    opts.eventId,
  );
  return { payload, message };
}

export async function sendTextMessage(emu: FeishuEmulator, eventsUrl: string, opts: TextMessageOptions): Promise<InboundResult & { message: LarkMessage }> {
  const { payload, message } = textMessageEvent(emu, opts);
  return { ...(await postLark(emu, eventsUrl, payload, opts)), message };
}

/** A click on the bot's custom menu (application.bot.menu_v6). */
export async function sendBotMenu(emu: FeishuEmulator, eventsUrl: string, opts: { openId: string; eventKey: string }): Promise<InboundResult> {
  const name = emu.user(opts.openId)?.name ?? opts.openId;
  const payload = envelope(emu, 'application.bot.menu_v6', {
    operator: { operator_name: name, operator_id: operatorIds(opts.openId) },
    event_key: opts.eventKey,
    timestamp: Math.floor(Date.now() / 1000),
  });
  return postLark(emu, eventsUrl, payload);
}

export interface CardActionOptions extends InboundOptions {
  openId: string;
  messageId: string;
  tag: string;
  value: Record<string, unknown>;
  option?: string;
  formValue?: Record<string, unknown>;
  name?: string;
  eventId?: string;
}

/** A click on a card (card.action.trigger); Feishu then applies the answer (card for all, toast for the clicker). */
export async function sendCardAction(emu: FeishuEmulator, cardUrl: string, opts: CardActionOptions): Promise<InboundResult> {
  const message = emu.message(opts.messageId);
  const payload = envelope(
    emu,
    'card.action.trigger',
    {
      operator: { tenant_key: emu.tenantKey, ...operatorIds(opts.openId) },
      token: `c-${crypto.randomBytes(16).toString('hex')}`,
      action: {
        tag: opts.tag,
        value: opts.value,
        ...(opts.option !== undefined ? { option: opts.option } : {}),
        ...(opts.formValue ? { form_value: opts.formValue, name: opts.name ?? 'submit' } : {}),
        timezone: 'Asia/Shanghai',
      },
      host: 'im_message',
      context: { open_message_id: opts.messageId, open_chat_id: message?.chatId },
    },
    opts.eventId,
  );
  const result = await postLark(emu, cardUrl, payload, opts);
  if (result.status === 200) emu.applyCallbackAnswer(opts.messageId, opts.openId, result.json, result.ms);
  return result;
}

/** The console's "verify request URL": encrypted, unsigned. */
export async function sendUrlVerification(emu: FeishuEmulator, url: string, opts: { challenge: string; token?: string }): Promise<InboundResult> {
  return postLark(emu, url, { challenge: opts.challenge, token: opts.token ?? emu.verificationToken, type: 'url_verification' }, { forge: 'unsigned' });
}

/** Someone adds a reaction to a message (im.message.reaction.created_v1). */
export async function sendReaction(
  emu: FeishuEmulator,
  eventsUrl: string,
  opts: { openId: string; messageId: string; emojiType: string },
): Promise<InboundResult> {
  const payload = envelope(emu, 'im.message.reaction.created_v1', {
    message_id: opts.messageId,
    reaction_type: { emoji_type: opts.emojiType },
    operator_type: 'user',
    user_id: operatorIds(opts.openId),
    action_time: String(Date.now()),
  });
  return postLark(emu, eventsUrl, payload);
}
