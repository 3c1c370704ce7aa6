import type { Connection, Model } from 'mongoose';
import type { ConversationState } from '../core/conversation-state.port';
import type { Platform } from '../domain/ticket/ticket';

interface StateRecord {
  /** `<platform>:<key>` */
  _id: string;
  value: string;
  updatedAt: Date;
}

/** `conversation_state`: one small document per learned value, looked up by `_id`. */
export class MongoConversationState implements ConversationState {
  private constructor(private readonly State: Model<StateRecord>) {}

  static register(conn: Connection): MongoConversationState {
    const existing = conn.models.ConversationState as Model<StateRecord> | undefined;
    if (existing) return new MongoConversationState(existing);
    const { Schema } = conn.base;
    const schema = new Schema<StateRecord>({ _id: String, value: String, updatedAt: Date }, { collection: 'conversation_state', versionKey: false });
    return new MongoConversationState(conn.model<StateRecord>('ConversationState', schema));
  }

  async get(platform: Platform, key: string): Promise<string | undefined> {
    return (await this.State.findById(`${platform}:${key}`).lean())?.value;
  }

  async set(platform: Platform, key: string, value: string): Promise<void> {
    await this.State.updateOne({ _id: `${platform}:${key}` }, { $set: { value, updatedAt: new Date() } }, { upsert: true });
  }
}
