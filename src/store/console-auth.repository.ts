import { type Connection, type Model, Schema } from 'mongoose';
import type { ConsoleAuthStore, ConsoleSession } from '../console/console-auth.port';
import type { UserRef } from '../domain/ticket/ticket';

/** The console's sign-in links and sessions: one row each, by the digest of its secret (an equality lookup on _id). */
interface LinkRecord {
  _id: string;
  user: { platform: string; id: string; name?: string };
  expiresAt: Date;
  usedAt: Date | null;
}
interface SessionRecord {
  _id: string;
  user: { platform: string; id: string; name?: string };
  csrf: string;
  expiresAt: Date;
}
const userRef = new Schema({ platform: String, id: String, name: String }, { _id: false });
const linkSchema = new Schema<LinkRecord>(
  { _id: String, user: userRef, expiresAt: Date, usedAt: { type: Date, default: null } },
  { collection: 'console_links', versionKey: false },
);
const sessionSchema = new Schema<SessionRecord>(
  { _id: String, user: userRef, csrf: String, expiresAt: Date },
  { collection: 'console_sessions', versionKey: false },
);

const plainUser = (u: { platform: string; id: string; name?: string }): UserRef =>
  ({ platform: u.platform, id: u.id, ...(u.name ? { name: u.name } : {}) }) as UserRef;

export class MongoConsoleAuthStore implements ConsoleAuthStore {
  private constructor(
    private readonly Links: Model<LinkRecord>,
    private readonly Sessions: Model<SessionRecord>,
  ) {}

  static register(conn: Connection): MongoConsoleAuthStore {
    return new MongoConsoleAuthStore(conn.model<LinkRecord>('ConsoleLink', linkSchema), conn.model<SessionRecord>('ConsoleSession', sessionSchema));
  }

  async saveLink(digest: string, user: UserRef, expiresAt: Date): Promise<void> {
    await this.Links.create({
      _id: String(digest),
      user: { platform: user.platform, id: user.id, ...(user.name ? { name: user.name } : {}) },
      expiresAt,
      usedAt: null,
    });
  }

  async useLink(digest: string, now: Date): Promise<{ user: UserRef; expiresAt: Date } | 'used' | null> {
    // One conditional write: of two simultaneous uses exactly one finds it unused.
    const won = await this.Links.findOneAndUpdate({ _id: String(digest), usedAt: null }, { $set: { usedAt: now } }, { returnDocument: 'before' }).lean();
    if (won) return { user: plainUser(won.user), expiresAt: won.expiresAt };
    return (await this.Links.findOne({ _id: String(digest) }).lean()) ? 'used' : null;
  }

  async saveSession(digest: string, s: ConsoleSession): Promise<void> {
    await this.Sessions.create({
      _id: String(digest),
      user: { platform: s.user.platform, id: s.user.id, ...(s.user.name ? { name: s.user.name } : {}) },
      csrf: s.csrf,
      expiresAt: s.expiresAt,
    });
  }

  async findSession(digest: string): Promise<ConsoleSession | null> {
    const r = await this.Sessions.findOne({ _id: String(digest) }).lean();
    return r ? { user: plainUser(r.user), csrf: r.csrf, expiresAt: r.expiresAt } : null;
  }

  async deleteSession(digest: string): Promise<void> {
    await this.Sessions.deleteOne({ _id: String(digest) });
  }
}
