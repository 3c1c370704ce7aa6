/**
 * Inbound interactions as Discord sends them: built from the emulator's state
 * (users, channels, the card message), then delivered over the Gateway
 * (INTERACTION_CREATE dispatch) or signed over HTTP to an interactions
 * endpoint (Ed25519 over timestamp + raw body).
 */
import crypto, { type KeyObject } from 'node:crypto';
import type { DiscordCall, DiscordEmulator } from './index';
import type { DiscordMessage, Obj } from './state';

const PERMISSIONS = '2248473465835073';

function member(emu: DiscordEmulator, userId: string): Obj {
  return {
    user: emu.state.userObject(userId),
    roles: [...(emu.state.users.get(userId)?.roles ?? [])],
    joined_at: '2025-01-01T00:00:00.000000+00:00',
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    nick: null,
    avatar: null,
    permissions: PERMISSIONS,
  };
}

/** Registers a new interaction (id + token) and returns its common fields, in a server channel or a DM. */
function base(
  emu: DiscordEmulator,
  type: number,
  userId: string,
  channelId: string,
  extra: { messageId?: string; locale?: string; guildId?: string } = {},
): Obj {
  const channel = emu.state.channel(channelId);
  const id = emu.state.snowflake();
  const token = emu.state.token();
  const payload: Obj = {
    id,
    application_id: emu.applicationId,
    type,
    token,
    version: 1,
    channel_id: channelId,
    channel: emu.state.channelObject(channel),
    locale: extra.locale ?? 'en-US',
    app_permissions: PERMISSIONS,
    entitlements: [],
    attachment_size_limit: 10485760,
    ...(channel.type === 1
      ? { user: emu.state.userObject(userId), context: 1, authorizing_integration_owners: { '0': emu.guildId } }
      : {
          guild_id: extra.guildId ?? channel.guildId,
          guild_locale: 'en-US',
          member: member(emu, userId),
          context: 0,
          authorizing_integration_owners: { '0': extra.guildId ?? channel.guildId },
        }),
  };
  emu.state.interactions.set(id, { id, token, type, userId, channelId, payload, ...(extra.messageId ? { messageId: extra.messageId } : {}) });
  return payload;
}

/** `/ticket` with its options (text, type), as the registered command. */
export function commandInteraction(
  emu: DiscordEmulator,
  o: { userId: string; channelId: string; text?: string; type?: string; locale?: string /** Sent from another server the app is in. */; guildId?: string },
): Obj {
  const p = base(emu, 2, o.userId, o.channelId, { locale: o.locale, ...(o.guildId ? { guildId: o.guildId } : {}) });
  const registered = [...emu.state.commands.values()].flat().find((c) => c.name === 'ticket');
  const options = [
    ...(o.text !== undefined ? [{ name: 'text', type: 3, value: o.text }] : []),
    ...(o.type !== undefined ? [{ name: 'type', type: 3, value: o.type }] : []),
  ];
  p.data = {
    id: registered?.id ?? emu.state.snowflake(),
    name: 'ticket',
    type: 1,
    ...(options.length ? { options } : {}),
    ...(p.guild_id ? { guild_id: p.guild_id } : {}),
  };
  return p;
}

/** The fields Discord sends with every message object that the emulator's stored messages leave out. */
const MESSAGE_FIELDS = { type: 0, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], pinned: false };

function messageObject(m: DiscordMessage): Obj {
  return { ...MESSAGE_FIELDS, ...structuredClone(m) };
}

/** MESSAGE_CREATE over the Gateway for a stored message (plus `extra`, e.g. a server's `guild_id` and `member`). */
function dispatchMessageCreate(emu: DiscordEmulator, message: DiscordMessage, extra: Obj = {}): void {
  const dispatched = emu.gateway.dispatch('MESSAGE_CREATE', { ...MESSAGE_FIELDS, ...message, ...extra });
  if (dispatched === 0) throw new Error('no identified gateway session to dispatch to');
}

/** A click on a button, or a pick in the user select, of a message. */
export function componentInteraction(
  emu: DiscordEmulator,
  o: { userId: string; message: DiscordMessage; customId: string; componentType: 2 | 5; values?: string[] },
): Obj {
  const p = base(emu, 3, o.userId, o.message.channel_id, { messageId: o.message.id });
  p.message = messageObject(o.message);
  const values = o.values ?? [];
  p.data = {
    custom_id: o.customId,
    component_type: o.componentType,
    ...(o.componentType === 5
      ? {
          values,
          resolved: {
            users: Object.fromEntries(values.map((v) => [v, emu.state.userObject(v)])),
            members: Object.fromEntries(
              values.map((v) => {
                const { user: _u, ...rest } = member(emu, v);
                return [v, rest];
              }),
            ),
          },
        }
      : {}),
  };
  return p;
}

/** Submitting a modal: one text input per action row, keyed by custom_id. */
export function modalSubmitInteraction(emu: DiscordEmulator, o: { userId: string; channelId: string; customId: string; values: Record<string, string> }): Obj {
  const p = base(emu, 5, o.userId, o.channelId);
  p.data = {
    custom_id: o.customId,
    components: Object.entries(o.values).map(([custom_id, value]) => ({ type: 1, components: [{ type: 4, custom_id, value }] })),
  };
  return p;
}

/** Dispatches INTERACTION_CREATE and resolves with the bot's initial response (the callback call). */
export async function sendViaGateway(emu: DiscordEmulator, payload: Obj, timeoutMs = 5000): Promise<DiscordCall> {
  const id = String(payload.id);
  const since = emu.calls.length;
  if (emu.gateway.dispatch('INTERACTION_CREATE', payload) === 0) throw new Error('no identified gateway session to dispatch to');
  return emu.waitForCall('interactionCallback', (c) => c.params[0] === id && emu.calls.indexOf(c) >= since, timeoutMs);
}

export type Forgery = 'unsigned' | 'tampered' | 'stale' | 'wrong-key';

export function signature(privateKey: KeyObject, timestamp: string, body: string): string {
  return crypto.sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
}

/** POSTs the interaction, signed like Discord (or forged), to an interactions endpoint; the reply is applied like a callback. */
export async function sendViaHttp(emu: DiscordEmulator, endpoint: string, payload: Obj, forge?: Forgery): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify(payload);
  const now = Math.floor(Date.now() / 1000);
  const timestamp = String(forge === 'stale' ? now - 10 * 60 : now);
  const key = forge === 'wrong-key' ? crypto.generateKeyPairSync('ed25519').privateKey : emu.privateKey;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)' };
  if (forge !== 'unsigned') Object.assign(headers, { 'x-signature-ed25519': signature(key, timestamp, body), 'x-signature-timestamp': timestamp });
  const changed = body.replace(/"value":"/, '"value":"tampered ');
  const sent = forge !== 'tampered' ? body : changed === body ? `${body} ` : changed;
  const res = await fetch(endpoint, { method: 'POST', headers, body: sent });
  const text = await res.text();
  const parsed = text && (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as unknown) : text;
  if (!forge && payload.type !== 1) emu.acceptHttpResponse(String(payload.id), res.status, parsed);
  return { status: res.status, body: parsed };
}

/**
 * A person types `content` in their DM with the bot (optionally as a reply to
 * message `replyTo` there): stored in the DM like Discord stores it, then
 * dispatched as MESSAGE_CREATE over the Gateway. Returns the stored message.
 */
export function sendDirectMessage(emu: DiscordEmulator, o: { userId: string; content: string; replyTo?: string }): DiscordMessage {
  const dm = emu.state.dmChannelFor(o.userId);
  if (o.replyTo) emu.state.findMessage(dm.id, o.replyTo); // Discord refuses a reply to a message not in the channel
  const message = addChannelMessage(emu, {
    channelId: dm.id,
    userId: o.userId,
    content: o.content,
    ...(o.replyTo ? { reference: { type: 0, message_id: o.replyTo, channel_id: dm.id } } : {}),
  });
  dispatchMessageCreate(emu, message, o.replyTo ? { type: 19, referenced_message: structuredClone(emu.state.findMessage(dm.id, o.replyTo)) } : {});
  return message;
}

/** A message in a server channel, stored as Discord keeps it (by a person, or by the bot with `userId` = the bot's id). Not dispatched. */
export function addChannelMessage(emu: DiscordEmulator, o: { channelId: string; userId: string; content: string; reference?: Obj }): DiscordMessage {
  const message: DiscordMessage = {
    id: emu.state.snowflake(),
    channel_id: o.channelId,
    author: emu.state.userObject(o.userId),
    content: o.content,
    embeds: [],
    components: [],
    flags: 0,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    ...(o.reference ? { message_reference: o.reference } : {}),
  };
  emu.state.channelMessages(o.channelId).push(message);
  return message;
}

/** The message context-menu command (type 2, data.type 3) on `messageId`, with the message resolved as Discord sends it. */
export function messageCommandInteraction(emu: DiscordEmulator, o: { userId: string; channelId: string; messageId: string; name: string }): Obj {
  const p = base(emu, 2, o.userId, o.channelId);
  const registered = [...emu.state.commands.values()].flat().find((c) => c.name === o.name);
  const target = emu.state.findMessage(o.channelId, o.messageId);
  p.data = {
    id: registered?.id ?? emu.state.snowflake(),
    name: o.name,
    type: 3,
    target_id: o.messageId,
    resolved: { messages: { [o.messageId]: messageObject(target) } },
    ...(p.guild_id ? { guild_id: p.guild_id } : {}),
  };
  return p;
}

/** Someone adds a reaction to a server message: MESSAGE_REACTION_ADD over the Gateway. */
export function sendReaction(emu: DiscordEmulator, o: { userId: string; channelId: string; messageId: string; emoji: string }): void {
  const target = emu.state.findMessage(o.channelId, o.messageId);
  const { user, ...rest } = member(emu, o.userId);
  const dispatched = emu.gateway.dispatch('MESSAGE_REACTION_ADD', {
    type: 0,
    user_id: o.userId,
    channel_id: o.channelId,
    message_id: o.messageId,
    guild_id: emu.guildId,
    member: { ...rest, user },
    message_author_id: (target.author as Obj).id,
    emoji: { id: null, name: o.emoji },
    burst: false,
    burst_colors: [],
  });
  if (dispatched === 0) throw new Error('no identified gateway session to dispatch to');
}

/** A person writes in a server channel or thread: stored, then MESSAGE_CREATE over the Gateway (with `guild_id` and `member`). */
export function sendServerMessage(emu: DiscordEmulator, o: { userId: string; channelId: string; content: string }): DiscordMessage {
  const message = addChannelMessage(emu, o);
  const { user: _u, ...rest } = member(emu, o.userId);
  dispatchMessageCreate(emu, message, { guild_id: emu.guildId, member: rest });
  return message;
}
