import type { ActorPlatform, MessageRef, Platform, UserRef } from '../domain/ticket/ticket';
import type { OutboundMessage } from './cards/card';

/** Where to post: a channel, optionally inside a thread. Ids are the platform's own, opaque to the core. */
export interface PostTarget {
  channelId: string;
  threadId?: string;
}

/**
 * Makes a post safe to retry after a crash. `dedupeKey` names the post (the
 * same key for the same card or confirmation, however often it is tried):
 * Discord sends it as the message nonce (enforced), Feishu as the message
 * uuid, Slack as message metadata. `mayExist` says an earlier attempt may have
 * posted it already: where the platform has no idempotency key (Slack), the
 * adapter first looks for a message carrying the key and returns that one.
 * Teams has neither: a crash between its post and the store's write can post twice.
 */
export interface PostOptions {
  dedupeKey?: string;
  mayExist?: boolean;
  /** When the first attempt may have posted it (bounds the look-up). */
  since?: Date;
  /**
   * The ticket a post to its requester is about, for platforms that title and
   * thread each message themselves (email: the subject carries `[key]`, and the
   * first message answers the mail of `intakeId`). Chat adapters ignore it.
   */
  about?: { key: string; title: string; intakeId?: string };
}

/**
 * The one port every messenger adapter implements (outbound side). Inbound
 * requests are verified, deduplicated and acknowledged inside the adapter,
 * which then calls the HelpDesk core. Errors thrown here are AdapterErrors
 * carrying the platform's code; transient ones (429/5xx) are retried inside.
 */
export interface ChatAdapter {
  readonly platform: Platform;
  /** Post to a channel or thread. */
  post(target: PostTarget, message: OutboundMessage, opts?: PostOptions): Promise<MessageRef>;
  /** Replace a posted message in place (cards update this way). */
  update(ref: MessageRef, message: OutboundMessage): Promise<void>;
  /** Open (or reuse) the bot's direct conversation with a user and post there. */
  sendDirect(user: UserRef, message: OutboundMessage, opts?: PostOptions): Promise<MessageRef>;
  /**
   * A URL that opens this posted message (or, where the platform has no
   * message link, its conversation). Undefined when the adapter cannot build one.
   */
  permalink?(ref: MessageRef): Promise<string | undefined>;
  /**
   * Which of `groupIds` (Slack user groups, Discord roles of the bound server)
   * this person belongs to, for roles the desk file gives to a group. Absent
   * where chatdesk cannot look groups up on the platform.
   */
  memberGroups?(user: UserRef, groupIds: readonly string[]): Promise<string[]>;
  /**
   * Reads one message (its author and text) for a reaction that opens a ticket.
   * Undefined when the bot cannot read it (not in that conversation, deleted).
   */
  readMessage?(ref: { channelId: string; messageId: string; threadId?: string }): Promise<ChatMessage | undefined>;
}

/** A message as ChatAdapter.readMessage found it. */
export interface ChatMessage {
  author: UserRef;
  text: string;
  fromBot: boolean;
}

export class AdapterRegistry {
  private readonly adapters = new Map<Platform, ChatAdapter>();

  register(adapter: ChatAdapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  /** Undefined for a messenger that is not connected, and for API clients (`api`), which no messenger reaches. */
  get(platform: ActorPlatform): ChatAdapter | undefined {
    return this.adapters.get(platform as Platform);
  }

  platforms(): Platform[] {
    return [...this.adapters.keys()];
  }
}
