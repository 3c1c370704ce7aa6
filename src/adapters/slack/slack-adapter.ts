import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { OutboundMessage } from '../../core/cards/card';
import type { ChatAdapter, ChatMessage, PostOptions, PostTarget } from '../../core/chat-adapter.port';
import { ChatdeskError } from '../../domain/errors';

/** Slack error codes that a later retry may not meet (everything else Slack answers with ok:false is a refusal). */
const SLACK_TRANSIENT_ERRORS = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
import type { MessageRef, UserRef } from '../../domain/ticket/ticket';
import { toSlackMessage } from './card-blocks';
import { clip, escapeMrkdwn, unescapeSlack } from './mrkdwn';

/** The metadata event type on chatdesk's posts: its payload's `key` finds a post again after a crash. */
const POST_EVENT_TYPE = 'chatdesk_post';

/** Slack errors that mean this person cannot get a DM from the bot (disabled, invisible, Messages tab off, a bot). */
const UNREACHABLE = new Set(['user_not_found', 'user_not_visible', 'user_disabled', 'cannot_dm_bot', 'messages_tab_disabled']);
/** In a DM the bot just opened, these mean the same. */
const UNREACHABLE_IN_DM = new Set([...UNREACHABLE, 'channel_not_found', 'not_in_channel', 'is_archived']);
/** Reading a message: the bot is not in that conversation, or the message is gone. */
const UNREADABLE = new Set(['channel_not_found', 'not_in_channel', 'thread_not_found', 'message_not_found', 'missing_scope']);

/**
 * Outbound side of Slack. The WebClient retries 429 (after Retry-After) and
 * 5xx itself; an error that survives its retries becomes an AdapterError.
 */
export class SlackAdapter implements ChatAdapter {
  readonly platform = 'slack' as const;
  private readonly dmChannels = new Map<string, string>();
  private readonly names = new Map<string, { name: string; at: number }>();
  private static readonly NAME_TTL_MS = 60 * 60 * 1000;
  private readonly groupMembers = new Map<string, { at: number; users: Set<string> }>();
  private static readonly GROUP_TTL_MS = 60 * 1000;

  constructor(private readonly client: WebClient) {}

  /** Which of these user groups (S…) the person is in (usergroups.users.list per group, cached a minute). */
  async memberGroups(user: UserRef, groupIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const id of groupIds) {
      let cached = this.groupMembers.get(id);
      if (!cached || Date.now() - cached.at > SlackAdapter.GROUP_TTL_MS) {
        const res = await this.call('usergroups.users.list', () => this.client.usergroups.users.list({ usergroup: id }));
        cached = { at: Date.now(), users: new Set(res.users ?? []) };
        this.groupMembers.set(id, cached);
      }
      if (cached.users.has(user.id)) out.push(id);
    }
    return out;
  }

  async post(target: PostTarget, message: OutboundMessage, opts: PostOptions = {}): Promise<MessageRef> {
    if (opts.dedupeKey && opts.mayExist) {
      const found = await this.findPosted(target, opts.dedupeKey, opts.since);
      if (found) return found;
    }
    const metadata = opts.dedupeKey ? { metadata: { event_type: POST_EVENT_TYPE, event_payload: { key: opts.dedupeKey } } } : {};
    const res = await this.call('chat.postMessage', () =>
      this.client.chat.postMessage({
        channel: target.channelId,
        ...(target.threadId ? { thread_ts: target.threadId } : {}),
        ...toSlackMessage(message),
        ...metadata,
      }),
    );
    const ts = res.ts as string;
    return {
      platform: 'slack',
      channelId: (res.channel as string) ?? target.channelId,
      messageId: ts,
      ...(target.threadId ? { threadId: target.threadId } : {}),
    };
  }

  /**
   * Slack has no idempotency key: a post that may have landed before a crash
   * is looked for in the channel's recent history by the key in its metadata
   * (needs channels:history / groups:history / im:history).
   */
  private async findPosted(target: PostTarget, key: string, since?: Date): Promise<MessageRef | undefined> {
    const oldest = since ? String(Math.floor(since.getTime() / 1000) - 60) : undefined;
    const res = await this.call('conversations.history', () =>
      target.threadId
        ? this.client.conversations.replies({
            channel: target.channelId,
            ts: target.threadId,
            include_all_metadata: true,
            limit: 200,
            ...(oldest ? { oldest } : {}),
          })
        : this.client.conversations.history({ channel: target.channelId, include_all_metadata: true, limit: 200, ...(oldest ? { oldest } : {}) }),
    );
    const hit = (res.messages ?? []).find((m) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } }).metadata;
      return meta?.event_type === POST_EVENT_TYPE && meta.event_payload?.key === key;
    });
    if (!hit?.ts) return undefined;
    return { platform: 'slack', channelId: target.channelId, messageId: hit.ts, ...(target.threadId ? { threadId: target.threadId } : {}) };
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    await this.call('chat.update', () => this.client.chat.update({ channel: ref.channelId, ts: ref.messageId, ...toSlackMessage(message) }));
  }

  /** Slack's own link to the message (chat.getPermalink): it opens the message in its channel. */
  async permalink(ref: MessageRef): Promise<string | undefined> {
    const res = await this.call('chat.getPermalink', () => this.client.chat.getPermalink({ channel: ref.channelId, message_ts: ref.messageId }));
    return res.permalink;
  }

  /** Throws chatdesk_recipient_unreachable when Slack refuses to deliver to this person. */
  async sendDirect(user: UserRef, message: OutboundMessage, opts: PostOptions = {}): Promise<MessageRef> {
    try {
      let channel = this.dmChannels.get(user.id);
      if (!channel) {
        const opened = await this.call('conversations.open', () => this.client.conversations.open({ users: user.id }));
        channel = (opened.channel as { id?: string } | undefined)?.id;
        if (!channel) throw new ChatdeskError('chatdesk_adapter_error', 'conversations.open returned no channel', { platform: 'slack' });
        this.dmChannels.set(user.id, channel);
      }
      return await this.post({ channelId: channel }, message, opts);
    } catch (err) {
      const code = err instanceof ChatdeskError ? err.details.platformCode : undefined;
      if (typeof code !== 'string' || !UNREACHABLE_IN_DM.has(code)) throw err;
      this.dmChannels.delete(user.id);
      throw new ChatdeskError(
        'chatdesk_recipient_unreachable',
        `Slack will not deliver a DM to ${user.id}: ${code}`,
        { platform: 'slack', user: user.id, platformCode: code },
        { cause: err },
      );
    }
  }

  /**
   * A person as Slack shows them (real name, else username), cached for an hour.
   * Interaction payloads only carry the legacy username.
   */
  async user(id: string, fallbackName?: string): Promise<UserRef> {
    const cached = this.names.get(id);
    if (cached && Date.now() - cached.at < SlackAdapter.NAME_TTL_MS) return { platform: 'slack', id, name: cached.name };
    try {
      const info = await this.client.users.info({ user: id });
      const name = info.user?.profile?.display_name || info.user?.real_name || info.user?.name || fallbackName;
      if (name) this.names.set(id, { name, at: Date.now() });
      return { platform: 'slack', id, ...(name ? { name } : {}) };
    } catch {
      // users.info is a nicety (needs users:read): without it the payload's username is shown.
      return { platform: 'slack', id, ...(fallbackName ? { name: fallbackName } : {}) };
    }
  }

  /**
   * One message by its ts: in the channel's history, else among thread replies. Undefined when the bot
   * cannot read it (not a member of the channel, deleted).
   */
  async readMessage(ref: { channelId: string; messageId: string; threadId?: string }): Promise<ChatMessage | undefined> {
    type Found = { ts?: string; user?: string; bot_id?: string; subtype?: string; text?: string };
    const pick = (messages: Found[] | undefined) => messages?.find((m) => m.ts === ref.messageId);
    try {
      let found = pick(
        (
          await this.call('conversations.history', () =>
            this.client.conversations.history({ channel: ref.channelId, latest: ref.messageId, inclusive: true, limit: 1 }),
          )
        ).messages as Found[] | undefined,
      );
      if (!found) {
        const replies = await this.call('conversations.replies', () =>
          this.client.conversations.replies({ channel: ref.channelId, ts: ref.threadId ?? ref.messageId, latest: ref.messageId, inclusive: true, limit: 200 }),
        );
        found = pick(replies.messages as Found[] | undefined);
      }
      if (!found) return undefined;
      const fromBot = !!found.bot_id || found.subtype === 'bot_message' || !found.user;
      return { author: { platform: 'slack', id: found.user ?? found.bot_id ?? '' }, text: unescapeSlack(found.text ?? ''), fromBot };
    } catch (err) {
      const code = err instanceof ChatdeskError ? err.details.platformCode : undefined;
      if (typeof code === 'string' && UNREADABLE.has(code)) return undefined;
      throw err;
    }
  }

  /** Tells one person something only they see, in the channel where they acted (plain text, escaped). */
  async postEphemeral(channelId: string, userId: string, text: string): Promise<void> {
    await this.call('chat.postEphemeral', () => this.client.chat.postEphemeral({ channel: channelId, user: userId, text: clip(escapeMrkdwn(text), 3000) }));
  }

  /** Opens a modal from a click's or command's trigger_id (valid about 3 s, once). */
  async openView(triggerId: string, view: ModalView): Promise<void> {
    await this.call('views.open', () => this.client.views.open({ trigger_id: triggerId, view }));
  }

  private async call<T extends { ok?: boolean; error?: string }>(method: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const data = (err as { data?: { error?: string } }).data;
      throw new ChatdeskError(
        'chatdesk_adapter_error',
        `Slack ${method} failed: ${data?.error ?? (err as Error).message}`,
        {
          platform: 'slack',
          method,
          platformCode: data?.error,
          // Slack answers a refusal with ok:false and an error code; throttling, outages and timeouts are worth a retry.
          permanent: !!data?.error && !SLACK_TRANSIENT_ERRORS.has(data.error),
        },
        { cause: err },
      );
    }
  }
}
