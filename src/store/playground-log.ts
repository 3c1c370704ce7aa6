import type { Connection, Model } from 'mongoose';
import type { LoggedMessage, PlaygroundLog, PlaygroundMessage } from '../adapters/playground/playground-log.port';
import type { Card } from '../core/cards/card';
import { mapLimit } from '../core/map-limit';
import { changedSinceBySecond, secondOf } from './second-slots';

type Message = PlaygroundMessage;

interface MessageRecord {
  _id: string;
  /** `dm:<user>` or an agent channel: every read of a conversation is this one equality. */
  conversationId: string;
  threadId?: string;
  text: string;
  card?: Card;
  at: Date;
  /** Set when edited in place (a card update). */
  editedAt?: Date;
  /** Posted or last edited, and its second (read by equality by the other replicas, see second-slots.ts). */
  changedAt: Date;
  changedSec: number;
  from?: { id: string; name: string };
  /** The post's idempotency key (PostOptions.dedupeKey), when it had one. */
  dedupeKey?: string;
}

/** `channel:<id>` or `user:<id>`: the agent channels that have messages and the people who opened the page. */
interface DirectoryRecord {
  _id: string;
  kind: 'channel' | 'user';
  ref: string;
  name?: string;
}

/** Older messages of a conversation than this many past its limit are deleted when it is read. */
const PRUNE_SLACK = 100;

function toMessage(r: MessageRecord): Message {
  return {
    id: r._id,
    conversationId: r.conversationId,
    ...(r.threadId ? { threadId: r.threadId } : {}),
    text: r.text,
    ...(r.card ? { card: r.card } : {}),
    at: r.at.toISOString(),
    ...(r.editedAt ? { updatedAt: r.editedAt.toISOString() } : {}),
    ...(r.from ? { from: { id: r.from.id, name: r.from.name } } : {}),
  };
}

/**
 * The playground's conversations in the database (`playground_messages`, and
 * `playground_directory` for its channels and users), so any replica serves
 * the page. Every read is a top-level equality (conversation, second of the
 * change, id), the only filters FerretDB 1.24 pushes down.
 */
export class MongoPlaygroundLog implements PlaygroundLog {
  /** Directory entries this process has written (or read) already: each is written once. */
  private readonly known = new Map<string, string | undefined>();

  private constructor(
    private readonly Messages: Model<MessageRecord>,
    private readonly Directory: Model<DirectoryRecord>,
  ) {}

  static async open(conn: Connection): Promise<MongoPlaygroundLog> {
    const { Schema } = conn.base;
    const messages =
      (conn.models.PlaygroundMessage as Model<MessageRecord> | undefined) ??
      conn.model<MessageRecord>(
        'PlaygroundMessage',
        new Schema<MessageRecord>(
          {
            _id: String,
            conversationId: { type: String, required: true, index: true },
            threadId: String,
            text: String,
            card: Schema.Types.Mixed,
            at: Date,
            editedAt: Date,
            changedAt: Date,
            changedSec: { type: Number, index: true },
            from: { _id: false, id: String, name: String },
            dedupeKey: { type: String, index: true, sparse: true },
          },
          { collection: 'playground_messages', versionKey: false, minimize: false },
        ),
      );
    const directory =
      (conn.models.PlaygroundDirectory as Model<DirectoryRecord> | undefined) ??
      conn.model<DirectoryRecord>(
        'PlaygroundDirectory',
        new Schema<DirectoryRecord>(
          { _id: String, kind: { type: String, required: true, index: true }, ref: String, name: String },
          { collection: 'playground_directory', versionKey: false },
        ),
      );
    await Promise.all([messages.syncIndexes(), directory.syncIndexes()]);
    return new MongoPlaygroundLog(messages, directory);
  }

  async add(message: Message, changedAt: Date, dedupeKey?: string): Promise<void> {
    const record: MessageRecord = {
      _id: message.id,
      conversationId: message.conversationId,
      ...(message.threadId ? { threadId: message.threadId } : {}),
      text: message.text,
      ...(message.card ? { card: message.card } : {}),
      at: new Date(message.at),
      changedAt,
      changedSec: secondOf(changedAt),
      ...(message.from ? { from: message.from } : {}),
      ...(dedupeKey ? { dedupeKey } : {}),
    };
    await this.Messages.collection.insertOne(record as never);
    if (!message.conversationId.startsWith('dm:')) await this.remember('channel', message.conversationId);
  }

  async byDedupeKey(key: string): Promise<Message | undefined> {
    const r = await this.Messages.findOne({ dedupeKey: key }).lean<MessageRecord>();
    return r ? toMessage(r) : undefined;
  }

  async edit(id: string, change: { text: string; card?: Card }, at: Date): Promise<Message | undefined> {
    const set = { text: change.text, editedAt: at, changedAt: at, changedSec: secondOf(at), ...(change.card ? { card: change.card } : {}) };
    const r = await this.Messages.findOneAndUpdate(
      { _id: id },
      { $set: set, ...(change.card ? {} : { $unset: { card: 1 } }) },
      { returnDocument: 'after' },
    ).lean<MessageRecord>();
    return r ? toMessage(r) : undefined;
  }

  async conversation(id: string, limit: number): Promise<Message[]> {
    const rows = (await this.Messages.find({ conversationId: id }).lean<MessageRecord[]>()).sort(
      (a, b) => a.at.getTime() - b.at.getTime() || a._id.localeCompare(b._id),
    );
    if (rows.length > limit + PRUNE_SLACK) {
      // By id, one at a time: a delete by a list of ids ($in) would decode every message on FerretDB.
      await mapLimit(rows.slice(0, rows.length - limit), 4, (r) => this.Messages.deleteOne({ _id: r._id }));
    }
    return rows.slice(-limit).map(toMessage);
  }

  async channels(): Promise<string[]> {
    return (await this.Directory.find({ kind: 'channel' }).lean<DirectoryRecord[]>()).map((r) => r.ref);
  }

  async changedSince(since: Date, now: Date, limit: number): Promise<LoggedMessage[]> {
    const rows = await changedSinceBySecond(
      since,
      now,
      limit,
      async (changedSec) => (await this.Messages.find({ changedSec }).lean<MessageRecord[]>()).map((r) => ({ ...r, updatedAt: r.changedAt })),
      async () =>
        (
          await this.Messages.find({ changedAt: { $gte: since } })
            .sort({ changedAt: 1 })
            .limit(limit)
            .lean<MessageRecord[]>()
        ).map((r) => ({ ...r, updatedAt: r.changedAt })),
    );
    return rows.map((r) => ({ message: toMessage(r), changedAt: r.changedAt }));
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.Messages.findOne({}, { _id: 1 }).lean());
  }

  async seeUser(id: string, name: string): Promise<void> {
    await this.remember('user', id, name);
  }

  async users(): Promise<Array<{ id: string; name: string }>> {
    return (await this.Directory.find({ kind: 'user' }).lean<DirectoryRecord[]>()).map((r) => ({ id: r.ref, name: r.name ?? r.ref }));
  }

  private async remember(kind: DirectoryRecord['kind'], ref: string, name?: string): Promise<void> {
    const id = `${kind}:${ref}`;
    if (this.known.has(id) && this.known.get(id) === name) return;
    await this.Directory.updateOne({ _id: id }, { $set: { kind, ref, ...(name ? { name } : {}) } }, { upsert: true });
    this.known.set(id, name);
  }
}
