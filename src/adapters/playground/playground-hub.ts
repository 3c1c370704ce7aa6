import { randomUUID } from 'node:crypto';
import type { Card, OutboundMessage } from '../../core/cards/card';
import type { ChatAdapter, PostTarget } from '../../core/chat-adapter.port';
import type { TranscriptEntry } from '../../core/ticket-transcript';
import { ChatdeskError } from '../../domain/errors';
import type { MessageRef, UserRef } from '../../domain/ticket/ticket';

export const AGENT_CHANNEL = 'agents';
const MAX_MESSAGES_PER_CONVERSATION = 500;

export interface PlaygroundMessage {
  id: string;
  conversationId: string;
  threadId?: string;
  text: string;
  card?: Card;
  at: string;
  updatedAt?: string;
  /** The person who wrote it, for a message a user sent to the bot; absent for the bot's own messages. */
  from?: { id: string; name: string };
}

export type PlaygroundEvent = { type: 'message' | 'message_updated'; message: PlaygroundMessage };

type Listener = (event: PlaygroundEvent) => void;

/** A direct conversation between the bot and one playground user. */
export const dmConversation = (userId: string) => `dm:${userId}`;
const isDm = (conversationId: string) => conversationId.startsWith('dm:');

/**
 * The local web playground's "messenger": conversations kept in memory (the
 * tickets themselves are in the database), pushed to browsers over WebSocket.
 * It implements the same ChatAdapter port as Slack.
 */
export class PlaygroundHub implements ChatAdapter {
  readonly platform = 'playground' as const;
  private readonly conversations = new Map<string, PlaygroundMessage[]>();
  private readonly listeners = new Map<Listener, string>();
  private readonly users = new Map<string, string>();

  /** `publicUrl` (PUBLIC_URL) makes message links absolute; without it they are relative to the page. */
  constructor(private readonly opts: { publicUrl?: string } = {}) {}

  /** Remembers a user who opened the playground, for the assign picker. */
  seeUser(user: UserRef): void {
    this.users.set(user.id, user.name ?? user.id);
  }

  knownUsers(): Array<{ id: string; name: string }> {
    return [...this.users.entries()].map(([id, name]) => ({ id, name }));
  }

  /** Conversations a user can see: every agent channel (each team's) and their own DM with the bot. */
  visibleTo(userId: string): Array<{ id: string; messages: PlaygroundMessage[] }> {
    const channels = [...this.conversations.keys()].filter((id) => !isDm(id));
    const ids = [...new Set([AGENT_CHANNEL, ...channels, dmConversation(userId)])];
    return ids.map((id) => ({ id, messages: [...(this.conversations.get(id) ?? [])] }));
  }

  /** Channels are open to everyone on the page (like public channels); a DM only to its user. */
  canSee(userId: string, conversationId: string): boolean {
    return !isDm(conversationId) || conversationId === dmConversation(userId);
  }

  /** A message a user wrote to the bot, shown in their DM as theirs. */
  postFromUser(user: UserRef, text: string, threadId?: string): PlaygroundMessage {
    const from = { id: user.id, name: user.name ?? user.id };
    return this.append({
      id: randomUUID(),
      conversationId: dmConversation(user.id),
      ...(threadId ? { threadId } : {}),
      text,
      at: new Date().toISOString(),
      from,
    });
  }

  /**
   * Puts back messages rebuilt from the database after a restart, under their
   * stored ids (so cards keep updating in place), in time order. Conversations
   * live in memory; the tickets they show do not.
   */
  restore(entries: TranscriptEntry[]): void {
    const messages = entries.map(
      (e): PlaygroundMessage => ({
        id: e.root ? e.where.messageId : randomUUID(),
        conversationId: e.where.channelId,
        ...(e.root ? (e.where.threadId ? { threadId: e.where.threadId } : {}) : { threadId: e.where.threadId ?? e.where.messageId }),
        text: e.message.text,
        ...(e.message.card ? { card: e.message.card } : {}),
        at: e.at.toISOString(),
        ...(e.from ? { from: { id: e.from.id, name: e.from.name ?? e.from.id } } : {}),
      }),
    );
    for (const msg of messages) {
      const list = this.conversations.get(msg.conversationId) ?? [];
      if (!list.some((m) => m.id === msg.id)) list.push(msg);
      this.conversations.set(msg.conversationId, list);
    }
    for (const [id, list] of this.conversations) {
      list.sort((a, b) => a.at.localeCompare(b.at));
      this.conversations.set(id, list.slice(-MAX_MESSAGES_PER_CONVERSATION));
    }
  }

  subscribe(userId: string, listener: Listener): () => void {
    this.listeners.set(listener, userId);
    return () => this.listeners.delete(listener);
  }

  async post(target: PostTarget, message: OutboundMessage): Promise<MessageRef> {
    const msg = this.append({
      id: randomUUID(),
      conversationId: target.channelId,
      ...(target.threadId ? { threadId: target.threadId } : {}),
      text: message.text,
      ...(message.card ? { card: message.card } : {}),
      at: new Date().toISOString(),
    });
    return { platform: 'playground', channelId: target.channelId, messageId: msg.id, ...(target.threadId ? { threadId: target.threadId } : {}) };
  }

  private append(msg: PlaygroundMessage): PlaygroundMessage {
    const list = this.conversations.get(msg.conversationId) ?? [];
    list.push(msg);
    if (list.length > MAX_MESSAGES_PER_CONVERSATION) list.shift();
    this.conversations.set(msg.conversationId, list);
    this.emit({ type: 'message', message: msg });
    return msg;
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    const msg = this.conversations.get(ref.channelId)?.find((m) => m.id === ref.messageId);
    if (!msg) throw new ChatdeskError('chatdesk_adapter_error', `playground message ${ref.messageId} not found`, { platform: 'playground', permanent: true });
    msg.text = message.text;
    msg.card = message.card;
    msg.updatedAt = new Date().toISOString();
    this.emit({ type: 'message_updated', message: { ...msg } });
  }

  /** The playground page with that message focused (the page scrolls to it and highlights it). */
  async permalink(ref: MessageRef): Promise<string | undefined> {
    return `${this.opts.publicUrl ?? '/'}?${new URLSearchParams({ message: ref.messageId })}`;
  }

  async sendDirect(user: UserRef, message: OutboundMessage): Promise<MessageRef> {
    return this.post({ channelId: dmConversation(user.id) }, message);
  }

  private emit(event: PlaygroundEvent): void {
    for (const [listener, userId] of this.listeners) {
      if (this.canSee(userId, event.message.conversationId)) listener(event);
    }
  }
}
