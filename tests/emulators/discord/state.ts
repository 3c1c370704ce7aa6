/**
 * What the Discord emulator remembers: users (with display names), channels
 * (server text channels, DMs, threads), messages, interactions and what each
 * person saw privately (DMs and ephemeral replies).
 */
import crypto from 'node:crypto';

export interface DiscordUser {
  id: string;
  username: string;
  /** The display name Discord shows (`global_name`). */
  globalName?: string;
  bot?: boolean;
  /** "Allow direct messages from server members" off: DMs fail with 50007. */
  dmsBlocked?: boolean;
  /** Role ids this person has in the emulated server. */
  roles?: string[];
  /** Not a member of the emulated server (a DM from someone elsewhere). */
  outsideGuild?: boolean;
}

export interface DiscordChannel {
  id: string;
  /** 0 server text, 1 DM, 11 public thread. */
  type: 0 | 1 | 11;
  name?: string;
  guildId?: string;
  /** DM: the other person. */
  recipientId?: string;
  parentId?: string;
}

export type Obj = Record<string, unknown>;

export interface DiscordMessage {
  id: string;
  channel_id: string;
  author: Obj;
  content: string;
  embeds: Obj[];
  components: Obj[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  message_reference?: Obj;
}

export interface EmulatedInteraction {
  id: string;
  token: string;
  type: number;
  userId: string;
  channelId: string;
  /** Component interactions: the message the component is on. */
  messageId?: string;
  payload: Obj;
  /** The initial response, once given. */
  initial?: { type: number; data?: Obj };
  /** Messages created by responses and follow-ups (id -> ephemeral?). */
  originalId?: string;
}

export interface PrivateText {
  userId: string;
  text: string;
  via: 'dm' | 'ephemeral';
  at: number;
}

/** A Discord-shaped error: HTTP status, JSON code and message. */
export class DiscordApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const EPHEMERAL = 64;
const DISCORD_EPOCH = 1420070400000n;

/** Visible text of a message: content, then each embed's title, description, fields and footer. */
export function messageText(m: { content?: unknown; embeds?: unknown }): string {
  const parts: string[] = [];
  if (typeof m.content === 'string' && m.content) parts.push(m.content);
  for (const e of Array.isArray(m.embeds) ? (m.embeds as Obj[]) : []) {
    if (typeof e.title === 'string') parts.push(e.title);
    if (typeof e.description === 'string') parts.push(e.description);
    for (const f of Array.isArray(e.fields) ? (e.fields as Obj[]) : []) parts.push(`${String(f.name)}: ${String(f.value)}`);
    const footer = e.footer as Obj | undefined;
    if (footer && typeof footer.text === 'string') parts.push(footer.text);
  }
  return parts.join('\n');
}

/** How long Discord remembers a nonce for enforce_nonce ("the past few minutes"). */
const NONCE_WINDOW_MS = 5 * 60 * 1000;

export class DiscordState {
  readonly users = new Map<string, DiscordUser>();
  readonly channels = new Map<string, DiscordChannel>();
  readonly messages = new Map<string, DiscordMessage[]>();
  /** `channel:nonce` -> the message created with it (enforce_nonce). */
  private readonly nonces = new Map<string, { id: string; at: number }>();
  readonly interactions = new Map<string, EmulatedInteraction>();
  readonly privateTexts: PrivateText[] = [];
  readonly commands = new Map<string, Obj[]>();
  /** The emulated server's id. */
  guildId = '';
  private seq = 0n;

  constructor(readonly bot: DiscordUser) {
    this.users.set(bot.id, bot);
  }

  snowflake(): string {
    this.seq += 1n;
    return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) + (this.seq % 4096n));
  }

  token(): string {
    return `aW50ZXJhY3Rpb24${crypto.randomBytes(24).toString('base64url')}`;
  }

  userObject(id: string): Obj {
    const u = this.users.get(id) ?? { id, username: `user${id.slice(-4)}` };
    return { id: u.id, username: u.username, discriminator: '0', global_name: u.globalName ?? null, avatar: null, ...(u.bot ? { bot: true } : {}) };
  }

  channelObject(c: DiscordChannel): Obj {
    if (c.type === 1) return { id: c.id, type: 1, last_message_id: null, flags: 0, recipients: [this.userObject(c.recipientId ?? '')] };
    return {
      id: c.id,
      type: c.type,
      guild_id: c.guildId,
      name: c.name ?? c.id,
      position: 0,
      permission_overwrites: [],
      flags: 0,
      ...(c.parentId ? { parent_id: c.parentId } : {}),
    };
  }

  channel(id: string): DiscordChannel {
    const c = this.channels.get(id);
    if (!c) throw new DiscordApiFailure(404, 10003, 'Unknown Channel');
    return c;
  }

  dmChannelFor(userId: string): DiscordChannel {
    if (!this.users.has(userId)) throw new DiscordApiFailure(400, 50035, 'Invalid Form Body');
    let c = [...this.channels.values()].find((x) => x.type === 1 && x.recipientId === userId);
    if (!c) {
      c = { id: this.snowflake(), type: 1, recipientId: userId };
      this.channels.set(c.id, c);
    }
    return c;
  }

  channelMessages(channelId: string): DiscordMessage[] {
    let list = this.messages.get(channelId);
    if (!list) {
      list = [];
      this.messages.set(channelId, list);
    }
    return list;
  }

  findMessage(channelId: string, messageId: string): DiscordMessage {
    const m = this.messages.get(channelId)?.find((x) => x.id === messageId);
    if (!m) throw new DiscordApiFailure(404, 10008, 'Unknown Message');
    return m;
  }

  /** A message from the bot in a channel; a DM to someone who blocks DMs fails with 50007. */
  createMessage(channelId: string, body: Obj): DiscordMessage {
    // enforce_nonce: a message this author created in the last few minutes with the same nonce is returned instead of a new one.
    const nonce = typeof body.nonce === 'string' || typeof body.nonce === 'number' ? String(body.nonce) : undefined;
    if (nonce && body.enforce_nonce === true) {
      const seen = this.nonces.get(`${channelId}:${nonce}`);
      const existing = seen && Date.now() - seen.at < NONCE_WINDOW_MS ? this.messages.get(channelId)?.find((m) => m.id === seen.id) : undefined;
      if (existing) return existing;
    }
    const channel = this.channel(channelId);
    if (channel.type === 1) {
      const recipient = this.users.get(channel.recipientId ?? '');
      if (!recipient || recipient.dmsBlocked) throw new DiscordApiFailure(403, 50007, 'Cannot send messages to this user');
    }
    if (body.message_reference && typeof (body.message_reference as Obj).message_id === 'string') {
      const ref = body.message_reference as Obj;
      if (!this.messages.get(channelId)?.some((m) => m.id === ref.message_id) && ref.fail_if_not_exists !== false) {
        throw new DiscordApiFailure(400, 50035, 'Invalid Form Body: Unknown message');
      }
    }
    const m: DiscordMessage = {
      id: this.snowflake(),
      channel_id: channelId,
      author: this.userObject(this.bot.id),
      content: typeof body.content === 'string' ? body.content : '',
      embeds: Array.isArray(body.embeds) ? (body.embeds as Obj[]) : [],
      components: Array.isArray(body.components) ? (body.components as Obj[]) : [],
      flags: typeof body.flags === 'number' ? body.flags : 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      ...(body.message_reference ? { message_reference: { ...(body.message_reference as Obj), channel_id: channelId } } : {}),
    };
    if (!m.content && m.embeds.length === 0 && m.components.length === 0) throw new DiscordApiFailure(400, 50006, 'Cannot send an empty message');
    this.channelMessages(channelId).push(m);
    if (nonce && body.enforce_nonce === true) this.nonces.set(`${channelId}:${nonce}`, { id: m.id, at: Date.now() });
    if (channel.type === 1) this.privateTexts.push({ userId: channel.recipientId!, text: messageText(m), via: 'dm', at: Date.now() });
    return m;
  }

  editMessage(channelId: string, messageId: string, body: Obj): DiscordMessage {
    const m = this.findMessage(channelId, messageId);
    if ((m.author as Obj).id !== this.bot.id) throw new DiscordApiFailure(403, 50005, 'Cannot edit a message authored by another user');
    if (typeof body.content === 'string') m.content = body.content;
    if (Array.isArray(body.embeds)) m.embeds = body.embeds as Obj[];
    if (Array.isArray(body.components)) m.components = body.components as Obj[];
    m.edited_timestamp = new Date().toISOString();
    return m;
  }

  interaction(id: string, token?: string): EmulatedInteraction {
    const i = this.interactions.get(id);
    if (!i || (token !== undefined && i.token !== token)) throw new DiscordApiFailure(404, 10062, 'Unknown interaction');
    return i;
  }

  interactionByToken(token: string): EmulatedInteraction {
    const i = [...this.interactions.values()].find((x) => x.token === token);
    if (!i) throw new DiscordApiFailure(404, 10015, 'Unknown Webhook');
    return i;
  }

  /** The initial response (callback or HTTP reply), applied the way Discord shows it. */
  respond(i: EmulatedInteraction, body: Obj): void {
    if (i.initial) throw new DiscordApiFailure(400, 40060, 'Interaction has already been acknowledged.');
    const type = Number(body.type);
    const data = (body.data as Obj | undefined) ?? {};
    if (type === 9 && i.type === 5) throw new DiscordApiFailure(400, 50035, 'Invalid Form Body: a modal cannot answer a modal submit');
    if ((type === 6 || type === 7) && i.type !== 3)
      throw new DiscordApiFailure(400, 50035, 'Invalid Form Body: only a component interaction can update its message');
    i.initial = { type, data };
    if (type === 4) {
      const reply = this.replyMessage(i, data);
      if ((((data.flags as number | undefined) ?? 0) & EPHEMERAL) === 0) i.originalId = String(reply.id);
    }
    if (type === 7 && i.messageId) this.editMessage(i.channelId, i.messageId, data);
  }

  /** PATCH …/messages/@original: edits the deferred reply, the reply, or the component's message. */
  editOriginal(i: EmulatedInteraction, body: Obj): Obj {
    if (!i.initial) throw new DiscordApiFailure(404, 10008, 'Unknown Message');
    const ephemeral = ((i.initial.data?.flags as number | undefined) ?? 0) & EPHEMERAL;
    if ((i.initial.type === 5 || i.initial.type === 4) && ephemeral) {
      const text = messageText(body);
      this.privateTexts.push({ userId: i.userId, text, via: 'ephemeral', at: Date.now() });
      i.originalId ??= this.snowflake();
      return { id: i.originalId, channel_id: i.channelId, content: body.content ?? '', embeds: body.embeds ?? [], flags: EPHEMERAL };
    }
    if (i.initial.type === 5 || i.initial.type === 4) {
      if (!i.originalId) i.originalId = this.createMessage(i.channelId, body).id;
      return this.editMessage(i.channelId, i.originalId, body) as unknown as Obj;
    }
    if (i.messageId) return this.editMessage(i.channelId, i.messageId, body) as unknown as Obj;
    throw new DiscordApiFailure(404, 10008, 'Unknown Message');
  }

  followUp(i: EmulatedInteraction, body: Obj): Obj {
    if (!i.initial) throw new DiscordApiFailure(404, 10015, 'Unknown Webhook');
    return this.replyMessage(i, body);
  }

  private replyMessage(i: EmulatedInteraction, data: Obj): Obj {
    if (((data.flags as number | undefined) ?? 0) & EPHEMERAL) {
      this.privateTexts.push({ userId: i.userId, text: messageText(data), via: 'ephemeral', at: Date.now() });
      return { id: this.snowflake(), channel_id: i.channelId, content: data.content ?? '', flags: EPHEMERAL };
    }
    return this.createMessage(i.channelId, data) as unknown as Obj;
  }
}
