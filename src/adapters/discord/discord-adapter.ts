import { type APIChannel, ChannelType, type APIMessage, InteractionResponseType, type REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { OutboundMessage } from '../../core/cards/card';
import { createHash } from 'node:crypto';
import type { ChatAdapter, ChatMessage, PostOptions, PostTarget } from '../../core/chat-adapter.port';
import { discordUser } from './interaction-context';
import type { MessageRef, UserRef } from '../../domain/ticket/ticket';
import type { Logger } from '../../logger';
import { toDiscordMessage } from './card-embed';
import { answerOnce, componentScope } from './component-scope';
import { clip } from './discord-text';
import { discordCall, isDiscordCode } from './rest-errors';

/** Where people open Discord (message links), whatever REST base the bot talks to. */
const DISCORD_WEB = 'https://discord.com';

/**
 * Outbound side of Discord over discord.js's REST client (which waits out 429s
 * and retries 5xx itself). DMs open a DM channel first; a thread in a DM is a
 * reply to its first message, in a server channel a thread started from it.
 */
/** A nonce is at most 25 characters: a digest of the post's key. */
const MEMBER_TTL_MS = 60_000;
const nonceOf = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 25);

export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord' as const;
  private readonly dmChannels = new Map<string, string>();
  /** Channel id -> whether it is a DM (threads differ: a reply in a DM, a thread in a server channel). */
  private readonly channelIsDm = new Map<string, boolean>();
  /** Channel id -> its server, learned with the channel lookup above. */
  private readonly channelGuilds = new Map<string, string>();
  private readonly members = new Map<string, { at: number; roles: string[] | undefined }>();

  constructor(
    private readonly rest: REST,
    private readonly logger: Logger,
    /** DISCORD_GUILD_ID: the server of the agent channels; otherwise a message link asks Discord for the channel's server. */
    private readonly guildId?: string,
  ) {}

  /** Role ids of a member of the bound server (DISCORD_GUILD_ID); undefined when not a member or no server is bound. Cached a minute. */
  async guildMember(userId: string): Promise<string[] | undefined> {
    if (!this.guildId) return undefined;
    const cached = this.members.get(userId);
    if (cached && Date.now() - cached.at < MEMBER_TTL_MS) return cached.roles;
    let roles: string[] | undefined;
    try {
      const m = (await discordCall('get guild member', () => this.rest.get(Routes.guildMember(this.guildId!, userId)))) as { roles?: string[] };
      roles = m.roles ?? [];
    } catch (err) {
      if (!isDiscordCode(err, RESTJSONErrorCodes.UnknownMember) && !isDiscordCode(err, RESTJSONErrorCodes.UnknownUser)) throw err;
    }
    this.members.set(userId, { at: Date.now(), roles });
    return roles;
  }

  /**
   * One message (GET /channels/{channel}/messages/{message}); undefined when the bot cannot see it
   * (no access to the channel, deleted). Its text needs the Message Content intent enabled in the portal.
   */
  async readMessage(ref: { channelId: string; messageId: string }): Promise<ChatMessage | undefined> {
    try {
      const m = (await discordCall('get message', () => this.rest.get(Routes.channelMessage(ref.channelId, ref.messageId)))) as APIMessage;
      return { author: discordUser(m.author), text: m.content ?? '', fromBot: !!m.author.bot };
    } catch (err) {
      const gone = [
        RESTJSONErrorCodes.UnknownMessage,
        RESTJSONErrorCodes.UnknownChannel,
        RESTJSONErrorCodes.MissingAccess,
        RESTJSONErrorCodes.MissingPermissions,
      ];
      if (gone.some((code) => isDiscordCode(err, code))) return undefined;
      throw err;
    }
  }

  /** Which of the desk file's Discord roles this person has in the bound server. */
  async memberGroups(user: UserRef, groupIds: readonly string[]): Promise<string[]> {
    const roles = (await this.guildMember(user.id)) ?? [];
    return groupIds.filter((id) => roles.includes(id));
  }

  async post(target: PostTarget, message: OutboundMessage, opts: PostOptions = {}): Promise<MessageRef> {
    const body = toDiscordMessage(message);
    // Discord returns the message already created with this nonce (for a few minutes) instead of a second one.
    if (opts.dedupeKey) Object.assign(body, { nonce: nonceOf(opts.dedupeKey), enforce_nonce: true });
    let channelId = target.channelId;
    if (target.threadId && (await this.isDm(target.channelId))) {
      Object.assign(body, { message_reference: { message_id: target.threadId, fail_if_not_exists: false } });
    } else if (target.threadId) {
      channelId = await this.threadChannel(target.channelId, target.threadId);
    }
    const sent = await discordCall('create message', () => this.rest.post(Routes.channelMessages(channelId), { body }) as Promise<APIMessage>);
    return { platform: 'discord', channelId: target.channelId, messageId: sent.id, ...(target.threadId ? { threadId: target.threadId } : {}) };
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    const body = toDiscordMessage(message);
    const scope = componentScope.getStore();
    if (scope && scope.messageId === ref.messageId) {
      try {
        if (await answerOnce(scope, { type: InteractionResponseType.UpdateMessage, data: body })) return;
      } catch (err) {
        this.logger.warn({ err, messageId: ref.messageId }, 'answering the click with the new card failed; editing the message instead');
      }
    }
    await discordCall('edit message', () => this.rest.patch(Routes.channelMessage(ref.channelId, ref.messageId), { body }));
  }

  async sendDirect(user: UserRef, message: OutboundMessage, opts: PostOptions = {}): Promise<MessageRef> {
    let channelId = this.dmChannels.get(user.id);
    if (!channelId) {
      const channel = await discordCall('open DM', () => this.rest.post(Routes.userChannels(), { body: { recipient_id: user.id } }) as Promise<APIChannel>);
      channelId = channel.id;
      this.dmChannels.set(user.id, channelId);
      this.channelIsDm.set(channelId, true);
    }
    return this.post({ channelId }, message, opts);
  }

  /** Discord's message link, `https://discord.com/channels/<guild or @me>/<channel>/<message>`; built locally, except one channel lookup without a configured guild. */
  async permalink(ref: MessageRef): Promise<string | undefined> {
    const dm = this.channelIsDm.get(ref.channelId) ?? (ref.threadId !== undefined || !this.guildId ? await this.isDm(ref.channelId) : false);
    // In a server channel a thread is a channel of its own (the root message's id); in a DM a reply stays in the DM.
    const channel = ref.threadId && !dm && ref.threadId !== ref.messageId ? ref.threadId : ref.channelId;
    const guild = dm ? '@me' : (this.guildId ?? this.channelGuilds.get(ref.channelId));
    return guild ? `${DISCORD_WEB}/channels/${guild}/${channel}/${ref.messageId}` : undefined;
  }

  private async isDm(channelId: string): Promise<boolean> {
    let dm = this.channelIsDm.get(channelId);
    if (dm === undefined) {
      const channel = await discordCall('get channel', () => this.rest.get(Routes.channel(channelId)) as Promise<APIChannel>);
      dm = channel.type === ChannelType.DM;
      this.channelIsDm.set(channelId, dm);
      if ('guild_id' in channel && channel.guild_id) this.channelGuilds.set(channelId, channel.guild_id);
    }
    return dm;
  }

  /** The thread started from `messageId` (a thread started from a message has that message's id); created on first use. */
  private async threadChannel(channelId: string, messageId: string): Promise<string> {
    try {
      await discordCall('get thread', () => this.rest.get(Routes.channel(messageId)));
      return messageId;
    } catch (err) {
      if (!isDiscordCode(err, RESTJSONErrorCodes.UnknownChannel)) throw err;
    }
    const thread = await discordCall(
      'start thread',
      () =>
        this.rest.post(Routes.threads(channelId, messageId), { body: { name: clip('chatdesk', 100), auto_archive_duration: 10080 } }) as Promise<APIChannel>,
    );
    return thread.id;
  }
}
