import { type APIChannel, ChannelType, type APIMessage, InteractionResponseType, type REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import type { OutboundMessage } from '../../core/cards/card';
import type { ChatAdapter, PostTarget } from '../../core/chat-adapter.port';
import type { MessageRef, UserRef } from '../../domain/ticket/ticket';
import type { Logger } from '../../logger';
import { toDiscordMessage } from './card-embed';
import { answerOnce, componentScope } from './component-scope';
import { clip } from './discord-text';
import { discordCall, isDiscordCode } from './rest-errors';

/**
 * Outbound side of Discord over discord.js's REST client (which waits out 429s
 * and retries 5xx itself). DMs open a DM channel first; a thread in a DM is a
 * reply to its first message, in a server channel a thread started from it.
 */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord' as const;
  private readonly dmChannels = new Map<string, string>();
  /** Channel id -> whether it is a DM (threads differ: a reply in a DM, a thread in a server channel). */
  private readonly channelIsDm = new Map<string, boolean>();

  constructor(
    private readonly rest: REST,
    private readonly logger: Logger,
  ) {}

  async post(target: PostTarget, message: OutboundMessage): Promise<MessageRef> {
    const body = toDiscordMessage(message);
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

  async sendDirect(user: UserRef, message: OutboundMessage): Promise<MessageRef> {
    let channelId = this.dmChannels.get(user.id);
    if (!channelId) {
      const channel = await discordCall('open DM', () => this.rest.post(Routes.userChannels(), { body: { recipient_id: user.id } }) as Promise<APIChannel>);
      channelId = channel.id;
      this.dmChannels.set(user.id, channelId);
      this.channelIsDm.set(channelId, true);
    }
    return this.post({ channelId }, message);
  }

  private async isDm(channelId: string): Promise<boolean> {
    let dm = this.channelIsDm.get(channelId);
    if (dm === undefined) {
      const channel = await discordCall('get channel', () => this.rest.get(Routes.channel(channelId)) as Promise<APIChannel>);
      dm = channel.type === ChannelType.DM;
      this.channelIsDm.set(channelId, dm);
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
    const thread = await discordCall('start thread', () =>
      this.rest.post(Routes.threads(channelId, messageId), { body: { name: clip('chatdesk', 100), auto_archive_duration: 10080 } }) as Promise<APIChannel>,
    );
    return thread.id;
  }
}
