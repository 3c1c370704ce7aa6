/**
 * Sends requests to the app under test exactly as Slack does: signed with the
 * emulator's signing secret (`v0=` HMAC-SHA256 over `v0:ts:rawBody`), with
 * Slack's content types and payload shapes (slash commands and interactivity
 * form-encoded, interactivity as `payload=<json>`, Events API as JSON).
 */
import crypto from 'node:crypto';
import type { SlackEmulator, SlackMessage } from './index';

export interface InboundOptions {
  badSignature?: boolean;
  unsigned?: boolean;
  /** Added to the current time for X-Slack-Request-Timestamp (and the signature), e.g. -600 for a stale request. */
  timestampSkewSec?: number;
  retryNum?: number;
  retryReason?: string;
  /** Changes the body after it was signed (a request tampered with in transit). */
  tamper?: (rawBody: string) => string;
}

export interface InboundResult {
  status: number;
  body: string;
  json?: unknown;
  ms: number;
}

export function signSlackBody(secret: string, rawBody: string, tsSec: number): { 'x-slack-signature': string; 'x-slack-request-timestamp': string } {
  const hex = crypto.createHmac('sha256', secret).update(`v0:${tsSec}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${hex}`, 'x-slack-request-timestamp': String(tsSec) };
}

/** Low-level: POST a raw body to the app with Slack's headers. Exported for custom payloads. */
export async function postSigned(emu: SlackEmulator, appUrl: string, rawBody: string, contentType: string, opts: InboundOptions = {}): Promise<InboundResult> {
  const headers: Record<string, string> = {
    'content-type': contentType,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    accept: 'application/json,*/*',
  };
  if (!opts.unsigned) {
    const ts = Math.floor(Date.now() / 1000) + (opts.timestampSkewSec ?? 0);
    const secret = opts.badSignature ? `${emu.signingSecret}-wrong` : emu.signingSecret;
    Object.assign(headers, signSlackBody(secret, rawBody, ts));
  }
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  } else if (opts.retryReason !== undefined) {
    headers['x-slack-retry-reason'] = opts.retryReason;
  }
  const sent = opts.tamper ? opts.tamper(rawBody) : rawBody;
  const started = performance.now();
  const res = await fetch(appUrl, { method: 'POST', headers, body: sent });
  const body = await res.text();
  const ms = performance.now() - started;
  const result: InboundResult = { status: res.status, body, ms };
  if (body.length > 0) {
    try {
      result.json = JSON.parse(body) as unknown;
    } catch {
      // not JSON: leave json undefined
    }
  }
  return result;
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function postInteraction(emu: SlackEmulator, appUrl: string, payload: unknown, opts?: InboundOptions): Promise<InboundResult> {
  return postSigned(emu, appUrl, form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded', opts);
}

function actionTs(): string {
  const ms = Date.now();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + crypto.randomInt(0, 1000)).padStart(6, '0')}`;
}

function userName(userId: string): string {
  return `user_${userId.toLowerCase()}`;
}

export function sendSlashCommand(
  emu: SlackEmulator,
  appUrl: string,
  cmd: {
    command?: string;
    text?: string;
    userId: string;
    userName?: string;
    channelId?: string;
    triggerId?: string;
    responseUrl?: string /** Another workspace the app is installed in (same signing secret). */;
    teamId?: string;
  },
  opts?: InboundOptions,
): Promise<InboundResult> {
  const channelId = cmd.channelId ?? 'C0GENERAL';
  const channel = emu.channel(channelId);
  const body = form({
    token: emu.verificationToken,
    team_id: cmd.teamId ?? emu.teamId,
    team_domain: emu.teamDomain,
    channel_id: channel.id,
    channel_name: channel.isIm ? 'directmessage' : channel.name,
    user_id: cmd.userId,
    user_name: cmd.userName ?? userName(cmd.userId),
    command: cmd.command ?? '/ticket',
    text: cmd.text ?? '',
    api_app_id: emu.appId,
    is_enterprise_install: 'false',
    response_url: cmd.responseUrl ?? emu.responseUrl({ channel: channel.id, user: cmd.userId }),
    trigger_id: cmd.triggerId ?? emu.triggerId(),
  });
  return postSigned(emu, appUrl, body, 'application/x-www-form-urlencoded', opts);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Finds the element with `actionId` in a message's blocks (actions elements, section accessories, inputs). */
function findElement(blocks: unknown[] | undefined, actionId: string): { blockId?: string; element: Obj } | undefined {
  for (const b of blocks ?? []) {
    if (!isObj(b)) continue;
    const candidates: unknown[] = [];
    if (Array.isArray(b.elements)) candidates.push(...b.elements);
    if (b.accessory !== undefined) candidates.push(b.accessory);
    if (b.element !== undefined) candidates.push(b.element);
    for (const el of candidates) {
      if (isObj(el) && el.action_id === actionId) return { ...(typeof b.block_id === 'string' ? { blockId: b.block_id } : {}), element: el };
    }
  }
  return undefined;
}

function messageForPayload(m: SlackMessage, emu: SlackEmulator): Obj {
  const out: Obj = { type: 'message', user: m.user, ts: m.ts, text: m.text, team: emu.teamId };
  if (m.bot_id) {
    out.bot_id = m.bot_id;
    out.app_id = emu.appId;
  }
  if (m.blocks) out.blocks = m.blocks;
  if (m.thread_ts) out.thread_ts = m.thread_ts;
  if (m.edited) out.edited = m.edited;
  return out;
}

export function sendBlockAction(
  emu: SlackEmulator,
  appUrl: string,
  a: {
    userId: string;
    actionId: string;
    value?: string;
    selectedUser?: string;
    blockId?: string;
    channelId: string;
    messageTs: string;
    triggerId?: string;
    responseUrl?: string;
  },
  opts?: InboundOptions,
): Promise<InboundResult> {
  const channel = emu.channel(a.channelId);
  const current = emu.messages(channel.id).find((m) => m.ts === a.messageTs);
  const found = findElement(current?.blocks, a.actionId);
  const elementType = a.selectedUser !== undefined ? 'users_select' : typeof found?.element.type === 'string' ? found.element.type : 'button';
  const action: Obj = {
    action_id: a.actionId,
    block_id: a.blockId ?? found?.blockId ?? crypto.randomBytes(3).toString('base64url'),
    type: elementType,
    action_ts: actionTs(),
  };
  if (elementType === 'users_select') {
    action.selected_user = a.selectedUser ?? null;
    if (isObj(found?.element.placeholder)) action.placeholder = found.element.placeholder;
  } else {
    const value = a.value ?? (typeof found?.element.value === 'string' ? found.element.value : undefined);
    if (value !== undefined) action.value = value;
    action.text = isObj(found?.element.text) ? { emoji: true, ...found.element.text } : { type: 'plain_text', text: a.actionId, emoji: true };
    if (typeof found?.element.style === 'string') action.style = found.element.style;
  }
  const payload: Obj = {
    type: 'block_actions',
    user: { id: a.userId, username: userName(a.userId), name: userName(a.userId), team_id: emu.teamId },
    api_app_id: emu.appId,
    token: emu.verificationToken,
    container: { type: 'message', message_ts: a.messageTs, channel_id: channel.id, is_ephemeral: false },
    trigger_id: a.triggerId ?? emu.triggerId(),
    team: { id: emu.teamId, domain: emu.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channel.isIm ? 'directmessage' : channel.name },
    message: current ? messageForPayload(current, emu) : { type: 'message', ts: a.messageTs, text: '', user: emu.botUserId, bot_id: emu.botId },
    state: { values: {} },
    response_url: a.responseUrl ?? emu.responseUrl({ channel: channel.id, messageTs: a.messageTs, user: a.userId }),
    actions: [action],
  };
  return postInteraction(emu, appUrl, payload, opts);
}

/** A message shortcut (`message_action`) on a message in a channel, as Slack sends it when someone picks the app's shortcut from the message's menu. */
export function sendMessageShortcut(
  emu: SlackEmulator,
  appUrl: string,
  a: { userId: string; callbackId: string; channelId: string; messageTs: string; triggerId?: string },
  opts?: InboundOptions,
): Promise<InboundResult> {
  const channel = emu.channel(a.channelId);
  const current = emu.messages(channel.id).find((m) => m.ts === a.messageTs);
  if (!current) throw new Error(`no message ${a.messageTs} in ${a.channelId}`);
  const message = messageForPayload(current, emu);
  const payload: Obj = {
    type: 'message_action',
    token: emu.verificationToken,
    action_ts: actionTs(),
    team: { id: emu.teamId, domain: emu.teamDomain },
    user: { id: a.userId, username: userName(a.userId), name: userName(a.userId), team_id: emu.teamId },
    channel: { id: channel.id, name: channel.isIm ? 'directmessage' : channel.name },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: a.callbackId,
    trigger_id: a.triggerId ?? emu.triggerId(),
    response_url: emu.responseUrl({ channel: channel.id, messageTs: a.messageTs, user: a.userId }),
    message_ts: a.messageTs,
    message,
  };
  return postInteraction(emu, appUrl, payload, opts);
}

export function sendViewSubmission(
  emu: SlackEmulator,
  appUrl: string,
  v: {
    userId: string;
    view: { id?: string; callback_id: string; private_metadata?: string; state: { values: Record<string, Record<string, unknown>> } };
  },
  opts?: InboundOptions,
): Promise<InboundResult> {
  // Start from the view the app actually opened, when the emulator knows it.
  const stored = v.view.id !== undefined ? emu.view(v.view.id) : emu.lastView(v.view.callback_id);
  const id = v.view.id ?? stored?.id ?? `V${crypto.randomBytes(5).toString('hex').toUpperCase()}`;
  const view: Obj = {
    id,
    team_id: emu.teamId,
    type: 'modal',
    blocks: [],
    private_metadata: '',
    title: { type: 'plain_text', text: 'Modal', emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: { type: 'plain_text', text: 'Submit', emoji: true },
    previous_view_id: null,
    root_view_id: id,
    app_id: emu.appId,
    external_id: '',
    app_installed_team_id: emu.teamId,
    bot_id: emu.botId,
    ...(stored ?? {}),
    callback_id: v.view.callback_id,
    state: v.view.state,
    hash: typeof stored?.hash === 'string' ? stored.hash : `${Math.floor(Date.now() / 1000)}.${crypto.randomBytes(4).toString('hex')}`,
  };
  if (v.view.private_metadata !== undefined) view.private_metadata = v.view.private_metadata;
  const payload: Obj = {
    type: 'view_submission',
    team: { id: emu.teamId, domain: emu.teamDomain },
    user: { id: v.userId, username: userName(v.userId), name: userName(v.userId), team_id: emu.teamId },
    api_app_id: emu.appId,
    token: emu.verificationToken,
    trigger_id: emu.triggerId(),
    view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return postInteraction(emu, appUrl, payload, opts);
}

/** Builds the Events API `event_callback` envelope (exported so tests can validate it against Slack's schema). */
export function buildEventEnvelope(emu: SlackEmulator, event: Record<string, unknown>, eventId?: string): Record<string, unknown> {
  const nowSec = Math.floor(Date.now() / 1000);
  const ev: Record<string, unknown> = { ...event };
  if (ev.event_ts === undefined) ev.event_ts = typeof ev.ts === 'string' ? ev.ts : emu.nextTs();
  return {
    token: emu.verificationToken,
    team_id: emu.teamId,
    api_app_id: emu.appId,
    event: ev,
    type: 'event_callback',
    event_id: eventId ?? `Ev${crypto.randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: nowSec,
    authed_users: [emu.botUserId],
    authorizations: [{ enterprise_id: null, team_id: emu.teamId, user_id: emu.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(`${emu.teamId}:${nowSec}`).toString('base64url')}`,
  };
}

/**
 * Sends an Events API `event_callback`. A plain `message` event with a channel (no subtype) is also stored
 * in the emulator's message state (ts assigned if missing), as the user's message would be in Slack.
 */
export function sendEvent(
  emu: SlackEmulator,
  appUrl: string,
  event: Record<string, unknown>,
  opts: InboundOptions & { eventId?: string } = {},
): Promise<InboundResult> {
  let ev = event;
  if (ev.type === 'message' && typeof ev.channel === 'string' && ev.subtype === undefined && typeof ev.user === 'string') {
    const known = typeof ev.ts === 'string' ? emu.messages(ev.channel).find((m) => m.ts === ev.ts) : undefined;
    if (!known) {
      const stored = emu.addUserMessage({
        channel: ev.channel,
        user: ev.user,
        text: typeof ev.text === 'string' ? ev.text : '',
        ...(typeof ev.ts === 'string' ? { ts: ev.ts } : {}),
        ...(typeof ev.thread_ts === 'string' ? { thread_ts: ev.thread_ts } : {}),
        ...(Array.isArray(ev.blocks) ? { blocks: ev.blocks } : {}),
      });
      ev = { ...ev, ts: stored.ts };
    }
    if (ev.channel_type === undefined) {
      const c = emu.channel(ev.channel as string);
      ev = { ...ev, channel_type: c.isIm ? 'im' : c.id.startsWith('G') ? 'group' : 'channel' };
    }
  }
  const { eventId, ...rest } = opts;
  const envelope = buildEventEnvelope(emu, ev, eventId);
  return postSigned(emu, appUrl, JSON.stringify(envelope), 'application/json', rest);
}
