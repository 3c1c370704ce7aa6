/**
 * Local emulator of the Slack Web API for tests: the real @slack/bolt app and
 * @slack/web-api WebClient talk to it via `slackApiUrl: emulator.apiUrl`.
 * Records every call (args decoded), keeps message/view/user state, injects
 * faults (429 + Retry-After, 5xx, slow replies) and checks every call against
 * Slack's official OpenAPI spec plus minimal Block Kit rules.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import { CallLog, FaultQueue, readBody, sendJson, sleep, startHttpServer, type Fault } from '../shared';
import { checkAgainstOpenApi, checkMessage, checkView } from './spec';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  status: number;
}

export interface SlackMessage {
  ts: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  user: string;
  edited?: { user: string; ts: string };
  /** Set for messages posted by the bot (all Web API posts). */
  bot_id?: string;
  metadata?: unknown;
}

export interface SlackUser {
  id: string;
  name: string;
  realName?: string;
  tz?: string;
  email?: string;
  isBot?: boolean;
}

export interface SlackChannelInfo {
  id: string;
  name: string;
  isIm: boolean;
  /** For DMs: the other user. */
  user?: string;
}

/** A view as stored by the emulator (what views.open returned, updated by views.update). */
export type SlackView = Record<string, unknown> & { id: string; hash: string; callback_id: string; type: string };

export type SlackFault = Fault;

export interface SlackEmulator {
  url: string;
  apiUrl: string;
  signingSecret: string;
  botToken: string;
  teamId: string;
  botUserId: string;
  /** Extension: bot id returned by auth.test and set on bot messages. */
  botId: string;
  /** Extension: api_app_id used in inbound payloads. */
  appId: string;
  /** Extension: legacy verification token put in inbound payloads (`token`). */
  verificationToken: string;
  /** Extension: team domain used in inbound payloads. */
  teamDomain: string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  waitForCall(method: string, predicate?: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  failNext(method: string, fault: SlackFault, times?: number): void;
  /** Extension: drops every fault still queued (an outage ends). */
  clearFaults(): void;
  messages(channel: string): SlackMessage[];
  dmChannelFor(userId: string): string;
  /** Extension: the link chat.getPermalink gives for a message. */
  permalink(channel: string, ts: string): string;
  /**
   * Mint a response_url; posts to it are recorded as method 'response_url'. Extension: with `ctx`
   * (sendBlockAction passes it), replace_original / delete_original / response_type 'in_channel'
   * are applied to that message / channel like Slack does.
   */
  responseUrl(ctx?: { channel?: string; messageTs?: string; user?: string }): string;
  /** Extension: the next chat.postMessage answers 429 with Retry-After: 1 (Slack's rate limit). */
  throttleNextPost(): void;
  /**
   * Extension: DMs to this user fail the way Slack fails them. Default: chat.postMessage in the
   * user's DM answers `messages_tab_disabled` (the user turned off the app's Messages tab);
   * `{ at: 'conversations.open', error: 'user_disabled' }` fails opening the DM instead.
   */
  blockDirectMessages(userId: string, how?: { at: 'conversations.open' | 'chat.postMessage'; error: string }): void;
  /**
   * Extension: what only this user sees from the bot, oldest first: bot messages in their DM
   * (threads included, as they look now), ephemerals to them, and non-public response_url
   * replies to a request they made.
   */
  privateTexts(userId: string): string[];
  triggerId(): string;
  addUser(u: SlackUser): void;
  /** Extension: a user group (S…) and its members, as usergroups.users.list returns them. */
  addUsergroup(id: string, userIds: string[]): void;
  /** Extension: give a channel a name (channels are otherwise created on first use, named after their id). */
  addChannel(c: { id: string; name: string }): void;
  /** Extension: channel info, creating the channel on first use like chat.postMessage does. */
  channel(id: string): SlackChannelInfo;
  /** Extension: the stored view (views.open / push / update), by id. */
  view(id: string): SlackView | undefined;
  /** Extension: the most recently opened/updated view, optionally with that callback_id. */
  lastView(callbackId?: string): SlackView | undefined;
  /** Extension: store a message as if a user posted it (used by sendEvent for `message` events). */
  addUserMessage(m: { channel: string; user: string; text: string; ts?: string; thread_ts?: string; blocks?: unknown[] }): SlackMessage;
  /** Extension: a new unique ts on this emulator's clock ('1712345678.000100'). */
  nextTs(): string;
  schemaViolations: string[];
  close(): Promise<void>;
}

export interface StartSlackEmulatorOptions {
  signingSecret?: string;
  botToken?: string;
  teamId?: string;
  botUserId?: string;
  /** Test-only clock (ms since epoch) for trigger_id expiry, ts and `at`. Default Date.now. */
  now?: () => number;
  /** trigger_id lifetime, default 3000 ms like Slack. */
  triggerTtlMs?: number;
}

type Args = Record<string, unknown>;
interface SlackReply {
  body: Record<string, unknown>;
}

const DEFAULT_TRIGGER_TTL_MS = 3000;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
const RESPONSE_URL_MAX_USES = 5;

/** Top-level args that carry prose: never JSON-decoded even if they look like JSON. */
const PROSE_ARGS = new Set(['text', 'markdown_text', 'username', 'email', 'name', 'alt_text', 'fallback', 'title', 'initial_comment', 'value', 'hash']);

function randomId(prefix: string, len = 10): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = crypto.randomBytes(len);
  let s = prefix;
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

function decodeValue(key: string, value: unknown): unknown {
  if (typeof value !== 'string' || PROSE_ARGS.has(key)) return value;
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return value;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return value;
  }
}

/** Decodes a Web API request body (form-encoded or JSON) plus query string into args. */
export function decodeArgs(contentType: string | undefined, raw: string, query: URLSearchParams): Args {
  const out: Args = {};
  for (const [k, v] of query) out[k] = decodeValue(k, v);
  const ct = (contentType ?? '').toLowerCase();
  if (raw.length > 0) {
    if (ct.includes('application/json')) {
      const parsed = JSON.parse(raw) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        for (const [k, v] of Object.entries(parsed as Args)) out[k] = decodeValue(k, v);
      }
    } else {
      for (const [k, v] of new URLSearchParams(raw)) out[k] = decodeValue(k, v);
    }
  }
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);

function invalidArguments(...missing: string[]): SlackReply {
  return {
    body: {
      ok: false,
      error: 'invalid_arguments',
      response_metadata: { messages: missing.map((m) => `[ERROR] missing required field: ${m}`) },
    },
  };
}
const fail = (error: string, extra: Record<string, unknown> = {}): SlackReply => ({ body: { ok: false, error, ...extra } });
const ok = (body: Record<string, unknown> = {}): SlackReply => ({ body: { ok: true, ...body } });

export async function startSlackEmulator(opts: StartSlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const now = opts.now ?? Date.now;
  const triggerTtlMs = opts.triggerTtlMs ?? DEFAULT_TRIGGER_TTL_MS;
  const signingSecret = opts.signingSecret ?? crypto.randomBytes(16).toString('hex');
  const botToken = opts.botToken ?? `xoxb-${crypto.randomInt(1e9, 9e9)}-${crypto.randomInt(1e9, 9e9)}-${crypto.randomBytes(12).toString('hex')}`;
  const teamId = opts.teamId ?? 'T0EMULATED';
  const botUserId = opts.botUserId ?? 'U0CHATDESK';
  const botId = 'B0CHATDESK';
  const appId = 'A0CHATDESK';
  const teamDomain = 'chatdesk-emulated';
  const verificationToken = crypto.randomBytes(12).toString('hex');

  const log = new CallLog<RecordedCall>('Slack emulator');
  const faults = new FaultQueue<SlackFault>();
  const schemaViolations: string[] = [];
  const channels = new Map<string, SlackChannelInfo>();
  const messagesByChannel = new Map<string, SlackMessage[]>();
  const dmByUser = new Map<string, string>();
  const users = new Map<string, SlackUser>();
  const usergroups = new Map<string, string[]>();
  const triggers = new Map<string, { expiresAt: number; used: boolean }>();
  const responseUrls = new Map<string, { expiresAt: number; uses: number; channel?: string; messageTs?: string; user?: string }>();
  /** Texts shown to one user only (ephemerals, ephemeral response_url replies), with the ts they were shown at. */
  const privateNotes: Array<{ user: string; text: string; ts: string }> = [];
  const blockedDms = new Map<string, { at: 'conversations.open' | 'chat.postMessage'; error: string }>();
  const views = new Map<string, SlackView>();
  let lastViewId: string | undefined;
  let lastTsMicros = 0;

  users.set(botUserId, { id: botUserId, name: 'chatdesk', realName: 'chatdesk', isBot: true });

  function nextTs(): string {
    const micros = Math.max(Math.floor(now()) * 1000, lastTsMicros + 100);
    lastTsMicros = micros;
    const sec = Math.floor(micros / 1e6);
    return `${sec}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  function dmChannelFor(userId: string): string {
    let id = dmByUser.get(userId);
    if (!id) {
      id = randomId('D', 10);
      dmByUser.set(userId, id);
      channels.set(id, { id, name: id, isIm: true, user: userId });
    }
    return id;
  }

  /** Slack's message link format (what chat.getPermalink answers). */
  const permalink = (channel: string, ts: string) => `https://${teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;

  /** Resolves a `channel` arg: user ids (U…/W…) mean that user's DM. */
  function resolveChannel(channel: string): string {
    if (/^[UW][A-Z0-9]+$/.test(channel)) return dmChannelFor(channel);
    return channel;
  }

  function channelInfo(id: string): SlackChannelInfo {
    const resolved = resolveChannel(id);
    let c = channels.get(resolved);
    if (!c) {
      c = { id: resolved, name: resolved.toLowerCase(), isIm: resolved.startsWith('D') };
      channels.set(resolved, c);
    }
    return c;
  }

  function channelMessages(channel: string): SlackMessage[] {
    const id = channelInfo(channel).id;
    let list = messagesByChannel.get(id);
    if (!list) {
      list = [];
      messagesByChannel.set(id, list);
    }
    return list;
  }

  function findMessage(channel: string, ts: string): SlackMessage | undefined {
    return messagesByChannel.get(resolveChannel(channel))?.find((m) => m.ts === ts);
  }

  function publicMessage(m: SlackMessage): Record<string, unknown> {
    const out: Record<string, unknown> = { type: 'message', user: m.user, text: m.text, ts: m.ts, team: teamId };
    if (m.bot_id) {
      out.bot_id = m.bot_id;
      out.app_id = appId;
    }
    if (m.blocks) out.blocks = m.blocks;
    if (m.thread_ts) out.thread_ts = m.thread_ts;
    if (m.edited) out.edited = m.edited;
    if (m.metadata !== undefined) out.metadata = m.metadata;
    return out;
  }

  function userObject(u: SlackUser): Record<string, unknown> {
    const realName = u.realName ?? u.name;
    return {
      id: u.id,
      team_id: teamId,
      name: u.name,
      deleted: false,
      real_name: realName,
      tz: u.tz ?? 'UTC',
      tz_label: u.tz ?? 'UTC',
      tz_offset: 0,
      is_bot: u.isBot ?? false,
      is_admin: false,
      is_app_user: false,
      updated: Math.floor(now() / 1000),
      profile: {
        real_name: realName,
        display_name: u.name,
        real_name_normalized: realName,
        display_name_normalized: u.name,
        ...(u.email ? { email: u.email } : {}),
        team: teamId,
      },
    };
  }

  function checkTrigger(triggerId: string | undefined): SlackReply | undefined {
    const t = triggerId ? triggers.get(triggerId) : undefined;
    if (!t || now() > t.expiresAt) return fail('expired_trigger_id');
    if (t.used) return fail('trigger_exchanged');
    t.used = true;
    return undefined;
  }

  function storeView(view: Record<string, unknown>, base: Partial<SlackView> = {}): SlackView {
    const id = base.id ?? randomId('V', 10);
    const stored: SlackView = {
      id,
      team_id: teamId,
      type: String(view.type ?? 'modal'),
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? '',
      callback_id: String(view.callback_id ?? ''),
      state: { values: {} },
      hash: `${Math.floor(now() / 1000)}.${crypto.randomBytes(4).toString('hex')}`,
      title: view.title,
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: base.previous_view_id ?? null,
      root_view_id: base.root_view_id ?? id,
      app_id: appId,
      external_id: view.external_id ?? base.external_id ?? '',
      app_installed_team_id: teamId,
      bot_id: botId,
    };
    views.delete(id); // re-insert so Map order is recency order
    views.set(id, stored);
    lastViewId = id;
    return stored;
  }

  function parseView(v: unknown): Record<string, unknown> | undefined {
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  }

  type Handler = (args: Args) => SlackReply;
  const handlers: Record<string, Handler> = {
    'auth.test': () =>
      ok({
        url: `https://${teamDomain}.slack.com/`,
        team: 'chatdesk emulated',
        user: 'chatdesk',
        team_id: teamId,
        user_id: botUserId,
        bot_id: botId,
        is_enterprise_install: false,
      }),

    'chat.postMessage': (a) => {
      const channel = str(a.channel);
      if (!channel) return invalidArguments('channel');
      if (a.text === undefined && a.blocks === undefined && a.attachments === undefined) return fail('no_text');
      const id = channelInfo(channel).id;
      const dmUser = channels.get(id)?.user;
      const blocked = dmUser ? blockedDms.get(dmUser) : undefined;
      if (blocked?.at === 'chat.postMessage') return fail(blocked.error);
      const m: SlackMessage = { ts: nextTs(), channel: id, text: typeof a.text === 'string' ? a.text : '', user: botUserId, bot_id: botId };
      if (Array.isArray(a.blocks)) m.blocks = a.blocks;
      const threadTs = str(a.thread_ts);
      if (threadTs) m.thread_ts = threadTs;
      if (a.metadata !== undefined) m.metadata = a.metadata;
      channelMessages(id).push(m);
      return ok({ channel: id, ts: m.ts, message: publicMessage(m) });
    },

    'chat.update': (a) => {
      const channel = str(a.channel);
      const ts = str(a.ts);
      if (!channel || !ts) return invalidArguments(...(!channel ? ['channel'] : []), ...(!ts ? ['ts'] : []));
      const m = findMessage(channel, ts);
      if (!m) return fail('message_not_found');
      if (m.user !== botUserId) return fail('cant_update_message');
      if (typeof a.text === 'string') m.text = a.text;
      if (Array.isArray(a.blocks)) m.blocks = a.blocks;
      if (a.metadata !== undefined) m.metadata = a.metadata;
      m.edited = { user: botUserId, ts: nextTs() };
      return ok({ channel: m.channel, ts: m.ts, text: m.text, message: publicMessage(m) });
    },

    'chat.delete': (a) => {
      const channel = str(a.channel);
      const ts = str(a.ts);
      if (!channel || !ts) return invalidArguments(...(!channel ? ['channel'] : []), ...(!ts ? ['ts'] : []));
      const list = messagesByChannel.get(resolveChannel(channel));
      const i = list?.findIndex((m) => m.ts === ts) ?? -1;
      if (!list || i < 0) return fail('message_not_found');
      list.splice(i, 1);
      return ok({ channel: resolveChannel(channel), ts });
    },

    'chat.postEphemeral': (a) => {
      const channel = str(a.channel);
      const user = str(a.user);
      if (!channel || !user) return invalidArguments(...(!channel ? ['channel'] : []), ...(!user ? ['user'] : []));
      if (a.text === undefined && a.blocks === undefined && a.attachments === undefined) return fail('no_text');
      channelInfo(channel);
      const ts = nextTs();
      privateNotes.push({ user, text: typeof a.text === 'string' ? a.text : '', ts });
      return ok({ message_ts: ts });
    },

    'chat.getPermalink': (a) => {
      const channel = str(a.channel);
      const ts = str(a.message_ts);
      if (!channel || !ts) return invalidArguments(...(!channel ? ['channel'] : []), ...(!ts ? ['message_ts'] : []));
      const m = findMessage(channel, ts);
      if (!m) return fail('message_not_found');
      return ok({ channel: m.channel, permalink: permalink(m.channel, m.ts) });
    },

    'views.open': (a) => {
      const view = parseView(a.view);
      if (!str(a.trigger_id) || !view) return invalidArguments(...(!str(a.trigger_id) ? ['trigger_id'] : []), ...(!view ? ['view'] : []));
      const bad = checkTrigger(str(a.trigger_id));
      if (bad) return bad;
      return ok({ view: storeView(view) });
    },

    'views.push': (a) => {
      const view = parseView(a.view);
      if (!str(a.trigger_id) || !view) return invalidArguments(...(!str(a.trigger_id) ? ['trigger_id'] : []), ...(!view ? ['view'] : []));
      const bad = checkTrigger(str(a.trigger_id));
      if (bad) return bad;
      const prev = lastViewId ? views.get(lastViewId) : undefined;
      return ok({ view: storeView(view, { previous_view_id: prev?.id ?? null, root_view_id: (prev?.root_view_id as string | undefined) ?? undefined }) });
    },

    'views.update': (a) => {
      const view = parseView(a.view);
      const viewId = str(a.view_id);
      const externalId = str(a.external_id);
      if (!view || (!viewId && !externalId)) return invalidArguments(...(!view ? ['view'] : []), ...(!viewId && !externalId ? ['view_id'] : []));
      const existing = viewId ? views.get(viewId) : [...views.values()].find((v) => v.external_id === externalId);
      if (!existing) return fail('not_found');
      const hash = str(a.hash);
      if (hash && hash !== existing.hash) return fail('hash_conflict');
      const updated = storeView(view, {
        id: existing.id,
        previous_view_id: existing.previous_view_id as string | null,
        root_view_id: existing.root_view_id as string,
        external_id: existing.external_id as string,
      });
      return ok({ view: updated });
    },

    'conversations.open': (a) => {
      const channel = str(a.channel);
      const usersArg = str(a.users);
      if (!channel && !usersArg) return invalidArguments('users');
      let id: string;
      if (channel) {
        id = channelInfo(channel).id;
      } else {
        const ids = usersArg!
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .filter((u) => u !== botUserId);
        if (ids.length === 0) return fail('not_enough_users');
        const blocked = ids.map((u) => blockedDms.get(u)).find((b) => b?.at === 'conversations.open');
        if (blocked) return fail(blocked.error);
        if (ids.length === 1) id = dmChannelFor(ids[0]!);
        else {
          const key = `mpim:${[...ids].sort().join(',')}`;
          id = dmByUser.get(key) ?? randomId('G', 10);
          dmByUser.set(key, id);
          if (!channels.has(id)) channels.set(id, { id, name: `mpdm-${ids.join('--')}-1`, isIm: false });
        }
      }
      const c = channelInfo(id);
      const full = String(a.return_im) === 'true' || a.return_im === true;
      return ok({ channel: full ? conversationObject(c) : { id }, ...(full ? {} : { no_op: false, already_open: false }) });
    },

    'conversations.info': (a) => {
      const channel = str(a.channel);
      if (!channel) return invalidArguments('channel');
      if (!/^[CGDUW][A-Z0-9]+$/.test(channel)) return fail('channel_not_found');
      return ok({ channel: conversationObject(channelInfo(channel)) });
    },

    // Newest first, top-level messages only (replies via conversations.replies); metadata only when asked for, as Slack does.
    'conversations.history': (a) => {
      const channel = str(a.channel);
      if (!channel) return invalidArguments('channel');
      const oldest = Number(str(a.oldest) ?? '0');
      const latest = str(a.latest) !== undefined ? Number(str(a.latest)) : Number.POSITIVE_INFINITY;
      const inclusive = a.inclusive === true || a.inclusive === 'true';
      const limit = Math.min(Number(str(a.limit) ?? a.limit ?? 100) || 100, 999);
      const withMeta = a.include_all_metadata === true || a.include_all_metadata === 'true';
      const list = (messagesByChannel.get(resolveChannel(channel)) ?? []).filter(
        (m) => (!m.thread_ts || m.thread_ts === m.ts) && Number(m.ts) >= oldest && (inclusive ? Number(m.ts) <= latest : Number(m.ts) < latest),
      );
      const messages = list
        .slice()
        .reverse()
        .slice(0, limit)
        .map((m) => {
          const out = publicMessage(m);
          if (!withMeta) delete out.metadata;
          return out;
        });
      return ok({ messages, has_more: list.length > limit });
    },

    'conversations.replies': (a) => {
      const channel = str(a.channel);
      const ts = str(a.ts);
      if (!channel || !ts) return invalidArguments(...(!channel ? ['channel'] : []), ...(!ts ? ['ts'] : []));
      const withMeta = a.include_all_metadata === true || a.include_all_metadata === 'true';
      const list = (messagesByChannel.get(resolveChannel(channel)) ?? []).filter((m) => m.ts === ts || m.thread_ts === ts);
      if (list.length === 0) return fail('thread_not_found');
      return ok({
        messages: list.map((m) => {
          const out = publicMessage(m);
          if (!withMeta) delete out.metadata;
          return out;
        }),
        has_more: false,
      });
    },

    'users.info': (a) => {
      const user = str(a.user);
      if (!user) return invalidArguments('user');
      const u = users.get(user);
      if (!u) return fail('user_not_found');
      return ok({ user: userObject(u) });
    },

    // https://api.slack.com/methods/usergroups.users.list (scope usergroups:read): the user ids of one group.
    'usergroups.users.list': (a) => {
      const group = str(a.usergroup);
      if (!group) return invalidArguments('usergroup');
      const members = usergroups.get(group);
      if (!members) return fail('no_such_subteam');
      return ok({ users: [...members] });
    },

    'users.lookupByEmail': (a) => {
      const email = str(a.email);
      if (!email) return invalidArguments('email');
      const u = [...users.values()].find((x) => x.email?.toLowerCase() === email.toLowerCase());
      if (!u) return fail('users_not_found');
      return ok({ user: userObject(u) });
    },
  };

  function conversationObject(c: SlackChannelInfo): Record<string, unknown> {
    const created = Math.floor(now() / 1000);
    if (c.isIm) {
      return { id: c.id, created, is_im: true, is_org_shared: false, user: c.user, is_user_deleted: false, priority: 0 };
    }
    return {
      id: c.id,
      name: c.name,
      is_channel: c.id.startsWith('C'),
      is_group: c.id.startsWith('G'),
      is_im: false,
      is_mpim: c.id.startsWith('G') && c.name.startsWith('mpdm-'),
      is_private: c.id.startsWith('G'),
      created,
      is_archived: false,
      is_general: false,
      is_member: true,
      name_normalized: c.name,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
    };
  }

  function validate(method: string, args: Args): void {
    const problems = [...checkAgainstOpenApi(method, args)];
    if (method === 'chat.postMessage' || method === 'chat.update' || method === 'chat.postEphemeral') problems.push(...checkMessage(method, args));
    if ((method === 'views.open' || method === 'views.push' || method === 'views.update') && args.view !== undefined)
      problems.push(...checkView(method, args.view));
    schemaViolations.push(...problems);
  }

  function bearer(req: http.IncomingMessage): string | undefined {
    const h = req.headers.authorization;
    if (!h) return undefined;
    const m = /^Bearer\s+(.+)$/i.exec(h);
    return m?.[1]?.trim();
  }

  async function applyFault(method: string, res: http.ServerResponse, args: Args): Promise<boolean> {
    const fault = faults.take(method);
    if (!fault) return false;
    if ('delayMs' in fault) {
      await sleep(fault.delayMs);
      return false;
    }
    if (fault.status === 429) {
      sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfterSec) });
    } else {
      sendJson(res, fault.status, { ok: false, error: 'internal_error', emulated_fault: true });
    }
    log.record({ method, args, at: now(), status: fault.status });
    return true;
  }

  async function handleApi(method: string, req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    let args: Args;
    try {
      args = decodeArgs(req.headers['content-type'], raw, query);
    } catch {
      sendJson(res, 200, { ok: false, error: 'invalid_json' });
      log.record({ method, args: { _raw: raw }, at: now(), status: 200 });
      return;
    }
    const bodyToken = str(args.token);
    delete args.token;
    if (await applyFault(method, res, args)) return;

    const reply = (body: Record<string, unknown>, status = 200) => {
      sendJson(res, status, body);
      log.record({ method, args, at: now(), status });
    };

    const token = bearer(req) ?? bodyToken;
    if (!token) return reply({ ok: false, error: 'not_authed' });
    if (token !== botToken) return reply({ ok: false, error: 'invalid_auth' });
    const handler = handlers[method];
    if (!handler) return reply({ ok: false, error: 'unknown_method', req_method: method });
    validate(method, args);
    const out = handler(args);
    reply(out.body);
  }

  async function handleResponseUrl(id: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = 'response_url';
    const raw = (await readBody(req)).toString('utf8');
    let args: Args;
    try {
      args = raw.trim().startsWith('{') ? (JSON.parse(raw) as Args) : decodeArgs(req.headers['content-type'], raw, new URLSearchParams());
    } catch {
      sendJson(res, 400, { ok: false, error: 'invalid_json' });
      log.record({ method, args: { _raw: raw }, at: now(), status: 400 });
      return;
    }
    if (await applyFault(method, res, args)) return;
    const reply = (status: number, body: Record<string, unknown>) => {
      sendJson(res, status, body);
      log.record({ method, args, at: now(), status });
    };
    const entry = responseUrls.get(id);
    if (!entry || now() > entry.expiresAt) return reply(404, { ok: false, error: 'expired_url' });
    if (entry.uses >= RESPONSE_URL_MAX_USES) return reply(404, { ok: false, error: 'used_url' });
    entry.uses += 1;
    if (args.blocks !== undefined || args.text !== undefined) schemaViolations.push(...checkMessage('response_url', args));
    // Apply to message state like Slack does.
    const original = entry.channel && entry.messageTs ? findMessage(entry.channel, entry.messageTs) : undefined;
    if (args.delete_original === true || args.delete_original === 'true') {
      if (original) {
        const list = messagesByChannel.get(original.channel)!;
        list.splice(list.indexOf(original), 1);
      }
    } else if (args.replace_original === true || args.replace_original === 'true') {
      if (original) {
        if (typeof args.text === 'string') original.text = args.text;
        if (Array.isArray(args.blocks)) original.blocks = args.blocks;
        original.edited = { user: botUserId, ts: nextTs() };
      }
    } else if (args.response_type === 'in_channel' && entry.channel) {
      const m: SlackMessage = { ts: nextTs(), channel: entry.channel, text: typeof args.text === 'string' ? args.text : '', user: botUserId, bot_id: botId };
      if (Array.isArray(args.blocks)) m.blocks = args.blocks;
      if (typeof args.thread_ts === 'string') m.thread_ts = args.thread_ts;
      channelMessages(entry.channel).push(m);
    } else if (entry.user) {
      privateNotes.push({ user: entry.user, text: typeof args.text === 'string' ? args.text : '', ts: nextTs() });
    }
    reply(200, { ok: true });
  }

  const started = await startHttpServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(u.pathname);
    if (api) return handleApi(api[1]!, req, res, u.searchParams);
    const resp = /^\/response\/([A-Za-z0-9_-]+)$/.exec(u.pathname);
    if (resp && req.method === 'POST') return handleResponseUrl(resp[1]!, req, res);
    sendJson(res, 404, { ok: false, error: 'not_found', path: u.pathname });
  });

  const emulator: SlackEmulator = {
    url: started.url,
    apiUrl: `${started.url}/api/`,
    signingSecret,
    botToken,
    teamId,
    botUserId,
    botId,
    appId,
    verificationToken,
    teamDomain,
    calls: log.calls,
    schemaViolations,
    callsTo: (method) => log.callsTo(method),
    waitForCall: (method, predicate, timeoutMs) => log.waitFor(method, predicate, timeoutMs ?? 5000),
    failNext: (method, fault, times = 1) => faults.add(method, fault, times),
    clearFaults: () => faults.clear(),
    messages: (channel) => (messagesByChannel.get(resolveChannel(channel)) ?? []).map((m) => structuredClone(m)),
    dmChannelFor,
    permalink,
    responseUrl(ctx?: { channel?: string; messageTs?: string; user?: string }) {
      const id = crypto.randomBytes(12).toString('hex');
      responseUrls.set(id, {
        expiresAt: now() + RESPONSE_URL_TTL_MS,
        uses: 0,
        ...(ctx?.channel ? { channel: channelInfo(ctx.channel).id } : {}),
        ...(ctx?.messageTs ? { messageTs: ctx.messageTs } : {}),
        ...(ctx?.user ? { user: ctx.user } : {}),
      });
      return `${started.url}/response/${id}`;
    },
    throttleNextPost: () => faults.add('chat.postMessage', { status: 429, retryAfterSec: 1 }),
    blockDirectMessages(userId, how = { at: 'chat.postMessage', error: 'messages_tab_disabled' }) {
      blockedDms.set(userId, how);
    },
    privateTexts(userId) {
      const dm = dmByUser.get(userId);
      const inDm = dm ? (messagesByChannel.get(dm) ?? []).filter((m) => m.bot_id).map((m) => ({ text: m.text, ts: m.ts })) : [];
      const notes = privateNotes.filter((n) => n.user === userId);
      return [...inDm, ...notes].sort((a, b) => Number(a.ts) - Number(b.ts)).map((x) => x.text);
    },
    triggerId() {
      const id = `${Math.floor(now() / 1000)}.${crypto.randomInt(1e9, 9e9)}.${crypto.randomBytes(16).toString('hex')}`;
      triggers.set(id, { expiresAt: now() + triggerTtlMs, used: false });
      return id;
    },
    addUsergroup(id, userIds) {
      usergroups.set(id, [...userIds]);
    },
    addUser(u) {
      users.set(u.id, { ...u });
    },
    addChannel(c) {
      const existing = channels.get(c.id);
      channels.set(c.id, { ...(existing ?? { isIm: c.id.startsWith('D') }), id: c.id, name: c.name });
    },
    channel: (id) => ({ ...channelInfo(id) }),
    view: (id) => {
      const v = views.get(id);
      return v ? structuredClone(v) : undefined;
    },
    lastView(callbackId) {
      const all = [...views.values()];
      if (callbackId === undefined) {
        const v = lastViewId ? views.get(lastViewId) : undefined;
        return v ? structuredClone(v) : undefined;
      }
      const v = all.reverse().find((x) => x.callback_id === callbackId);
      return v ? structuredClone(v) : undefined;
    },
    addUserMessage(m) {
      const id = channelInfo(m.channel).id;
      const msg: SlackMessage = { ts: m.ts ?? nextTs(), channel: id, text: m.text, user: m.user };
      if (m.thread_ts) msg.thread_ts = m.thread_ts;
      if (m.blocks) msg.blocks = m.blocks;
      channelMessages(id).push(msg);
      return structuredClone(msg);
    },
    nextTs,
    async close() {
      log.close();
      faults.clear();
      await started.close();
    },
  };
  return emulator;
}

export { checkAgainstOpenApi, checkBlocks, checkMessage, checkView } from './spec';
