import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@larksuiteoapi/node-sdk';
import type { OutboundMessage } from '../../core/cards/card';
import type { ChatAdapter, ChatMessage, PostOptions, PostTarget } from '../../core/chat-adapter.port';
import { ChatdeskError } from '../../domain/errors';
import type { MessageRef, UserRef } from '../../domain/ticket/ticket';
import { chatAppLink, FEISHU_APP_LINKS } from './app-link';
import { type LarkCard, toLarkCard } from './card-json';
import { callLark, type RetryPolicy } from './feishu-call';
import { commandText } from './feishu-commands';
import { defuseTextTags } from './lark-md';

/** Where a new message goes: a chat, or a person (the bot's p2p chat with them). */
export type Recipient = { chatId: string } | { openId: string };

type Content = { msg_type: 'text' | 'interactive'; content: string };

function contentOf(message: OutboundMessage | LarkCard): Content {
  if ('schema' in message) return { msg_type: 'interactive', content: JSON.stringify(message) };
  if (message.card) return { msg_type: 'interactive', content: JSON.stringify(toLarkCard(message)) };
  return { msg_type: 'text', content: JSON.stringify({ text: defuseTextTags(message.text) }) };
}

/**
 * Outbound side of Feishu, through the SDK's im.v1 client: cards are
 * interactive messages (JSON 2.0, shared), DMs go by open_id, the requester's
 * thread is a reply_in_thread. Retries and error codes live in callLark.
 */
/** Feishu's uuid is at most 50 characters: a digest of the post's key. */
const uuidOf = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 50);

export class FeishuAdapter implements ChatAdapter {
  readonly platform = 'feishu' as const;
  private readonly names = new Map<string, { name: string; at: number }>();
  private static readonly NAME_TTL_MS = 60 * 60 * 1000;
  private readonly groups = new Map<string, { at: number; groups: Set<string> }>();
  private static readonly GROUP_TTL_MS = 60 * 1000;

  constructor(
    private readonly client: Client,
    private readonly retry?: RetryPolicy,
    /** Where the client opens AppLinks (Feishu or Lark). */
    private readonly appLinks = FEISHU_APP_LINKS,
  ) {}

  async post(target: PostTarget, message: OutboundMessage, opts: PostOptions = {}): Promise<MessageRef> {
    const uuid = opts.dedupeKey ? uuidOf(opts.dedupeKey) : undefined;
    if (target.threadId) return this.reply(target.threadId, message, { inThread: true, chatId: target.channelId, ...(uuid ? { uuid } : {}) });
    return this.send({ chatId: target.channelId }, message, uuid);
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    await this.patch(ref.messageId, toLarkCard(message));
  }

  async sendDirect(user: UserRef, message: OutboundMessage, opts: PostOptions = {}): Promise<MessageRef> {
    return this.send({ openId: user.id }, message, opts.dedupeKey ? uuidOf(opts.dedupeKey) : undefined);
  }

  /**
   * One message (im.v1.message.get): its sender and text (@mention keys taken out). Undefined when the
   * bot cannot read it (not in that chat, recalled, or not a message it may see).
   */
  async readMessage(ref: { messageId: string }): Promise<ChatMessage | undefined> {
    try {
      const res = await callLark('im.v1.message.get', () => this.client.im.v1.message.get({ path: { message_id: ref.messageId } }), {
        attempts: 2,
        baseDelayMs: 200,
      });
      const item = res.data?.items?.[0];
      if (!item) return undefined;
      const fromBot = item.sender?.sender_type !== 'user';
      const text =
        item.msg_type === 'text' ? (commandText({ message_type: 'text', content: item.body?.content ?? '', mentions: item.mentions ?? [] }) ?? '') : '';
      return { author: { platform: 'feishu', id: item.sender?.id ?? '' }, text, fromBot };
    } catch (err) {
      if (err instanceof ChatdeskError && err.details.permanent) return undefined;
      throw err;
    }
  }

  /** The AppLink that opens the message's chat (see app-link.ts for why not the message itself). */
  async permalink(ref: MessageRef): Promise<string | undefined> {
    return ref.channelId ? chatAppLink(this.appLinks, ref.channelId) : undefined;
  }

  /** im.v1.message.create; `uuid` makes a retried post land once (Feishu keeps it an hour): the post's own key, or a fresh one. */
  async send(to: Recipient, message: OutboundMessage | LarkCard, uuid: string = randomUUID()): Promise<MessageRef> {
    const byChat = 'chatId' in to;
    const res = await callLark(
      'im.v1.message.create',
      () =>
        this.client.im.v1.message.create({
          params: { receive_id_type: byChat ? 'chat_id' : 'open_id' },
          data: { receive_id: byChat ? to.chatId : to.openId, ...contentOf(message), uuid },
        }),
      this.retry,
    );
    return this.ref(res.data, byChat ? to.chatId : undefined);
  }

  /** im.v1.message.reply: under a message, in its thread when `inThread`. */
  async reply(messageId: string, message: OutboundMessage | LarkCard, opts: { inThread?: boolean; chatId?: string; uuid?: string } = {}): Promise<MessageRef> {
    const uuid = opts.uuid ?? randomUUID();
    const res = await callLark(
      'im.v1.message.reply',
      () => this.client.im.v1.message.reply({ path: { message_id: messageId }, data: { ...contentOf(message), reply_in_thread: !!opts.inThread, uuid } }),
      this.retry,
    );
    return { ...this.ref(res.data, opts.chatId), threadId: messageId };
  }

  /** PATCH im/v1/messages/{id}: replaces a shared card for everyone. */
  async patch(messageId: string, card: LarkCard): Promise<void> {
    await callLark(
      'im.v1.message.patch',
      () => this.client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }),
      this.retry,
    );
  }

  /**
   * A person as Feishu shows them (contact API, cached an hour); events carry
   * only ids. Without the contact permission the given fallback name is used.
   */
  async user(openId: string, fallbackName?: string): Promise<UserRef> {
    const cached = this.names.get(openId);
    if (cached && Date.now() - cached.at < FeishuAdapter.NAME_TTL_MS) return { platform: 'feishu', id: openId, name: cached.name };
    try {
      const res = await callLark(
        'contact.v3.user.get',
        () => this.client.contact.v3.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } }),
        { attempts: 2, baseDelayMs: 200 },
      );
      const name = res.data?.user?.name || fallbackName;
      if (name) this.names.set(openId, { name, at: Date.now() });
      return { platform: 'feishu', id: openId, ...(name ? { name } : {}) };
    } catch {
      return { platform: 'feishu', id: openId, ...(fallbackName ? { name: fallbackName } : {}) };
    }
  }

  /** Which of these contact user groups the person belongs to (contact/v3/group/member_belong, cached a minute). */
  async memberGroups(user: UserRef, groupIds: readonly string[]): Promise<string[]> {
    let cached = this.groups.get(user.id);
    if (!cached || Date.now() - cached.at > FeishuAdapter.GROUP_TTL_MS) {
      const belong: string[] = [];
      let pageToken: string | undefined;
      for (let page = 0; page < 10; page++) {
        const res = await callLark(
          'contact.v3.group.memberBelong',
          () =>
            this.client.contact.v3.group.memberBelong({
              params: { member_id: user.id, member_id_type: 'open_id', page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) },
            }),
          this.retry,
        );
        belong.push(...(res.data?.group_list ?? []));
        pageToken = res.data?.page_token;
        if (!res.data?.has_more || !pageToken) break;
      }
      cached = { at: Date.now(), groups: new Set(belong) };
      this.groups.set(user.id, cached);
    }
    return groupIds.filter((id) => cached.groups.has(id));
  }

  private ref(data: { message_id?: string; chat_id?: string } | undefined, chatId?: string): MessageRef {
    if (!data?.message_id) throw new ChatdeskError('chatdesk_adapter_error', 'Feishu returned no message_id', { platform: 'feishu' });
    return { platform: 'feishu', channelId: data.chat_id ?? chatId ?? '', messageId: data.message_id };
  }
}
