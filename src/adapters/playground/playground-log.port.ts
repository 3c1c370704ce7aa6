import type { Card } from '../../core/cards/card';

export interface PlaygroundMessage {
  id: string;
  conversationId: string;
  threadId?: string;
  text: string;
  card?: Card;
  at: string;
  /** When it was last edited in place (a card update); absent for a message never edited. */
  updatedAt?: string;
  /** The person who wrote it, for a message a user sent to the bot; absent for the bot's own messages. */
  from?: { id: string; name: string };
}

/** A stored message and when it last changed (posted or edited), for following other processes' changes. */
export interface LoggedMessage {
  message: PlaygroundMessage;
  changedAt: Date;
}

/**
 * Where the playground keeps its conversations: the database (src/store/playground-log.ts),
 * so every replica serves the same page and a restart loses nothing.
 */
export interface PlaygroundLog {
  /** Stores a new message; `dedupeKey` names the post so a retried post finds it (`byDedupeKey`). */
  add(message: PlaygroundMessage, changedAt: Date, dedupeKey?: string): Promise<void>;
  byDedupeKey(key: string): Promise<PlaygroundMessage | undefined>;
  /** Replaces a message's text and card; undefined when there is no such message. */
  edit(id: string, change: { text: string; card?: Card }, at: Date): Promise<PlaygroundMessage | undefined>;
  /** The newest `limit` messages of one conversation, oldest first. */
  conversation(id: string, limit: number): Promise<PlaygroundMessage[]>;
  /** Every conversation that is not a DM (the agent channels) that has a message. */
  channels(): Promise<string[]>;
  /** Messages posted or edited at or after `since`, oldest change first. */
  changedSince(since: Date, now: Date, limit: number): Promise<LoggedMessage[]>;
  /** Whether anything was ever stored (the first start after an upgrade rebuilds the page from the tickets). */
  isEmpty(): Promise<boolean>;
  seeUser(id: string, name: string): Promise<void>;
  users(): Promise<Array<{ id: string; name: string }>>;
}
