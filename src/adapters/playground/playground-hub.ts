import { randomUUID } from 'node:crypto';
import type { OutboundMessage } from '../../core/cards/card';
import type { ChatAdapter, PostOptions, PostTarget } from '../../core/chat-adapter.port';
import type { TranscriptEntry } from '../../core/ticket-transcript';
import { ChatdeskError } from '../../domain/errors';
import type { MessageRef, UserRef } from '../../domain/ticket/ticket';
import type { Logger } from '../../logger';
import { type FeedEvent, PlaygroundFeed } from './playground-feed';
import type { PlaygroundLog, PlaygroundMessage } from './playground-log.port';

export type { PlaygroundMessage } from './playground-log.port';

export const AGENT_CHANNEL = 'agents';
const MAX_MESSAGES_PER_CONVERSATION = 500;

export type PlaygroundEvent = FeedEvent;

type Listener = (event: PlaygroundEvent) => void;

/** A direct conversation between the bot and one playground user. */
export const dmConversation = (userId: string) => `dm:${userId}`;
const isDm = (conversationId: string) => conversationId.startsWith('dm:');

/**
 * The local web playground's "messenger": conversations stored in the
 * database (PlaygroundLog), pushed to browsers over WebSocket: this process's
 * posts at once, other replicas' within about a second (PlaygroundFeed), so
 * any replica serves the same page. It implements the same ChatAdapter port as Slack.
 */
export class PlaygroundHub implements ChatAdapter {
  readonly platform = 'playground' as const;
  private readonly listeners = new Map<Listener, string>();
  private readonly feed: PlaygroundFeed;

  /** `publicUrl` (PUBLIC_URL) makes message links absolute; without it they are relative to the page. */
  constructor(
    private readonly log: PlaygroundLog,
    private readonly opts: { publicUrl?: string; logger: Logger; now?: () => Date; feedIntervalMs?: number },
  ) {
    this.feed = new PlaygroundFeed({
      log,
      emit: (event) => this.emit(event),
      watched: () => this.listeners.size > 0,
      logger: opts.logger,
      now: opts.now,
      intervalMs: opts.feedIntervalMs,
    });
  }

  private now(): Date {
    return (this.opts.now ?? (() => new Date()))();
  }

  /** Starts pushing other replicas' messages to the pages open here. */
  start(): void {
    this.feed.start();
  }

  stop(): void {
    this.feed.stop();
  }

  /** Pushes other replicas' messages now (tests); how many it pushed. */
  followOthers(): Promise<number> {
    return this.feed.catchUp();
  }

  /** Remembers a user who opened the playground, for the assign picker. */
  seeUser(user: UserRef): Promise<void> {
    return this.log.seeUser(user.id, user.name ?? user.id);
  }

  knownUsers(): Promise<Array<{ id: string; name: string }>> {
    return this.log.users();
  }

  /** Conversations a user can see: every agent channel (each team's) and their own DM with the bot. */
  async visibleTo(userId: string): Promise<Array<{ id: string; messages: PlaygroundMessage[] }>> {
    const ids = [...new Set([AGENT_CHANNEL, ...(await this.log.channels()), dmConversation(userId)])];
    return Promise.all(ids.map(async (id) => ({ id, messages: await this.log.conversation(id, MAX_MESSAGES_PER_CONVERSATION) })));
  }

  /** Channels are open to everyone on the page (like public channels); a DM only to its user. */
  canSee(userId: string, conversationId: string): boolean {
    return !isDm(conversationId) || conversationId === dmConversation(userId);
  }

  /** A message a user wrote to the bot, shown in their DM as theirs. */
  postFromUser(user: UserRef, text: string, threadId?: string): Promise<PlaygroundMessage> {
    const from = { id: user.id, name: user.name ?? user.id };
    return this.append({
      id: randomUUID(),
      conversationId: dmConversation(user.id),
      ...(threadId ? { threadId } : {}),
      text,
      at: this.now().toISOString(),
      from,
    });
  }

  /**
   * The first start on a database that has tickets but no stored playground
   * messages (an upgrade from a version that kept them in memory): the page is
   * rebuilt from the tickets, root messages under their stored ids (so cards
   * keep updating in place) and thread lines under ids made from their place,
   * so two replicas doing it at once store each message once.
   */
  async seed(entries: TranscriptEntry[]): Promise<number> {
    if (!(await this.log.isEmpty())) return 0;
    const lines = new Map<string, number>();
    let stored = 0;
    for (const e of [...entries].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      const root = e.where.threadId ?? e.where.messageId;
      const n = (lines.get(root) ?? 0) + 1;
      if (!e.root) lines.set(root, n);
      const message: PlaygroundMessage = {
        id: e.root ? e.where.messageId : `${root}~${n}`,
        conversationId: e.where.channelId,
        ...(e.root ? (e.where.threadId ? { threadId: e.where.threadId } : {}) : { threadId: root }),
        text: e.message.text,
        ...(e.message.card ? { card: e.message.card } : {}),
        at: e.at.toISOString(),
        ...(e.from ? { from: { id: e.from.id, name: e.from.name ?? e.from.id } } : {}),
      };
      try {
        await this.log.add(message, e.at);
        stored++;
      } catch (err) {
        // Another replica stored it first.
        if ((err as { code?: number }).code !== 11000) throw err;
      }
    }
    return stored;
  }

  subscribe(userId: string, listener: Listener): () => void {
    this.listeners.set(listener, userId);
    return () => this.listeners.delete(listener);
  }

  async post(target: PostTarget, message: OutboundMessage, opts?: PostOptions): Promise<MessageRef> {
    const existing = opts?.dedupeKey && opts.mayExist ? await this.log.byDedupeKey(opts.dedupeKey) : undefined;
    const msg =
      existing ??
      (await this.append(
        {
          id: randomUUID(),
          conversationId: target.channelId,
          ...(target.threadId ? { threadId: target.threadId } : {}),
          text: message.text,
          ...(message.card ? { card: message.card } : {}),
          at: this.now().toISOString(),
        },
        opts?.dedupeKey,
      ));
    return { platform: 'playground', channelId: target.channelId, messageId: msg.id, ...(target.threadId ? { threadId: target.threadId } : {}) };
  }

  private async append(msg: PlaygroundMessage, dedupeKey?: string): Promise<PlaygroundMessage> {
    const at = new Date(msg.at);
    await this.log.add(msg, at, dedupeKey);
    this.feed.seen(msg.id, at);
    this.emit({ type: 'message', message: msg });
    return msg;
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    const at = this.now();
    const msg = await this.log.edit(ref.messageId, { text: message.text, ...(message.card ? { card: message.card } : {}) }, at);
    if (!msg) throw new ChatdeskError('chatdesk_adapter_error', `playground message ${ref.messageId} not found`, { platform: 'playground', permanent: true });
    this.feed.seen(msg.id, at);
    this.emit({ type: 'message_updated', message: msg });
  }

  /** The playground page with that message focused (the page scrolls to it and highlights it). */
  async permalink(ref: MessageRef): Promise<string | undefined> {
    return `${this.opts.publicUrl ?? '/'}?${new URLSearchParams({ message: ref.messageId })}`;
  }

  async sendDirect(user: UserRef, message: OutboundMessage, opts?: PostOptions): Promise<MessageRef> {
    return this.post({ channelId: dmConversation(user.id) }, message, opts);
  }

  private emit(event: PlaygroundEvent): void {
    for (const [listener, userId] of this.listeners) {
      if (this.canSee(userId, event.message.conversationId)) listener(event);
    }
  }
}
