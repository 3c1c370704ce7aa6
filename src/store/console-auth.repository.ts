import { type Connection, type Model, Schema } from 'mongoose';
import type { ConsoleAuthStore, ConsoleSession, OidcPending } from '../console/console-auth.port';
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
/** A sign-in at the identity provider not back yet, by the digest of its state; used once, like a link. */
interface OidcStateRecord extends OidcPending {
  _id: string;
  usedAt: Date | null;
}
/** One use of a link or a sign-in, claimed by a unique insert (`link:<digest>`, `oidc:<digest>`). */
interface SpentRecord {
  _id: string;
  at: Date;
}
const DUPLICATE_KEY = 11000;
const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === DUPLICATE_KEY;
/** A use's claim outlives the window in which two uses can race (its row says `usedAt` by then). */
const SPENT_KEEP_MS = 60 * 60 * 1000;
/** An expired link is kept this long, so using it says "expired" rather than "not valid". */
const LINK_KEEP_MS = 24 * 60 * 60 * 1000;
const userRef = new Schema({ platform: String, id: String, name: String }, { _id: false });
const linkSchema = new Schema<LinkRecord>(
  { _id: String, user: userRef, expiresAt: Date, usedAt: { type: Date, default: null } },
  { collection: 'console_links', versionKey: false },
);
const sessionSchema = new Schema<SessionRecord>(
  { _id: String, user: userRef, csrf: String, expiresAt: Date },
  { collection: 'console_sessions', versionKey: false },
);
const oidcStateSchema = new Schema<OidcStateRecord>(
  { _id: String, browser: String, nonce: String, verifier: String, expiresAt: Date, usedAt: { type: Date, default: null } },
  { collection: 'console_oidc_states', versionKey: false },
);
const spentSchema = new Schema<SpentRecord>({ _id: String, at: Date }, { collection: 'console_spent', versionKey: false });

const plainUser = (u: { platform: string; id: string; name?: string }): UserRef =>
  ({ platform: u.platform, id: u.id, ...(u.name ? { name: u.name } : {}) }) as UserRef;

export class MongoConsoleAuthStore implements ConsoleAuthStore {
  private constructor(
    private readonly Links: Model<LinkRecord>,
    private readonly Sessions: Model<SessionRecord>,
    private readonly OidcStates: Model<OidcStateRecord>,
    private readonly Spent: Model<SpentRecord>,
  ) {}

  static register(conn: Connection): MongoConsoleAuthStore {
    return new MongoConsoleAuthStore(
      conn.model<LinkRecord>('ConsoleLink', linkSchema),
      conn.model<SessionRecord>('ConsoleSession', sessionSchema),
      conn.model<OidcStateRecord>('ConsoleOidcState', oidcStateSchema),
      conn.model<SpentRecord>('ConsoleSpent', spentSchema),
    );
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
    const won = await this.useOnce(this.Links, 'link', digest, now);
    return won && won !== 'used' ? { user: plainUser(won.user), expiresAt: won.expiresAt } : won;
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

  async saveOidcState(digest: string, p: OidcPending): Promise<void> {
    await this.OidcStates.create({ _id: String(digest), browser: p.browser, nonce: p.nonce, verifier: p.verifier, expiresAt: p.expiresAt, usedAt: null });
  }

  async useOidcState(digest: string, now: Date): Promise<OidcPending | 'used' | null> {
    const won = await this.useOnce(this.OidcStates, 'oidc', digest, now);
    return won && won !== 'used' ? { browser: won.browser, nonce: won.nonce, verifier: won.verifier, expiresAt: won.expiresAt } : won;
  }

  async purgeExpired(now: Date): Promise<number> {
    const before = (ms: number) => new Date(now.getTime() - ms);
    const gone = await Promise.all([
      this.OidcStates.deleteMany({ expiresAt: { $lt: now } }),
      this.Sessions.deleteMany({ expiresAt: { $lt: now } }),
      this.Links.deleteMany({ expiresAt: { $lt: before(LINK_KEEP_MS) } }),
      this.Spent.deleteMany({ at: { $lt: before(SPENT_KEEP_MS) } }),
    ]);
    return gone.reduce((n, r) => n + r.deletedCount, 0);
  }

  /**
   * Marks the row used and answers it as it was, once: then 'used'; an unknown
   * digest null. The use is claimed by a unique insert, which FerretDB keeps
   * to one winner; a conditional update (`usedAt: null` → now) does not: two
   * replicas' simultaneous updates both matched.
   */
  private async useOnce<T extends { _id: string; usedAt: Date | null }>(model: Model<T>, kind: string, digest: string, now: Date): Promise<T | 'used' | null> {
    const found = await model.findOne({ _id: String(digest) }).lean<T>();
    if (!found) return null;
    if (found.usedAt) return 'used';
    try {
      await this.Spent.create({ _id: `${kind}:${digest}`, at: now });
    } catch (err) {
      if (isDuplicateKey(err)) return 'used';
      throw err;
    }
    await model.updateOne({ _id: String(digest) }, { $set: { usedAt: now } });
    return found;
  }
}
