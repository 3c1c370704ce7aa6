import type { Collection, Connection } from 'mongoose';
import type { PeerProcesses } from '../core/peer-processes.port';
import type { Logger } from '../logger';
import { newWorkerName } from './worker-identity';

/** A process's row: `_id` its worker name, `at` when it last showed itself, `startedAt` its first time. */
interface PresenceDoc {
  _id: string;
  at: Date;
  startedAt: Date;
}

export const PRESENCE_BEAT_MS = 10_000;
/** Rows of processes unseen for this long are deleted (they changed nothing since). */
const FORGET_AFTER_MS = 86_400_000;

/**
 * Which chatdesk processes share the database (`processes`): each writes its
 * row when its store opens, before it changes anything, and again every
 * PRESENCE_BEAT_MS. A stopped process's row stays until it is a day old, so a
 * reader that looks later still learns that someone else wrote until then.
 */
export class MongoProcessPresence implements PeerProcesses {
  readonly beatMs = PRESENCE_BEAT_MS;
  readonly name = newWorkerName();
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly rows: Collection<PresenceDoc>,
    private readonly logger: Logger,
  ) {}

  /** Shows this process (the first time before returning) and keeps showing it until `stop`. */
  static async start(conn: Connection, logger: Logger): Promise<MongoProcessPresence> {
    const presence = new MongoProcessPresence(conn.db!.collection<PresenceDoc>('processes') as unknown as Collection<PresenceDoc>, logger);
    await presence.rows.deleteMany({ at: { $lt: new Date(Date.now() - FORGET_AFTER_MS) } });
    await presence.beat();
    presence.timer = setInterval(() => {
      presence.beat().catch((err: unknown) => presence.logger.warn({ err }, 'could not record that this process is running; trying again'));
    }, PRESENCE_BEAT_MS);
    presence.timer.unref();
    return presence;
  }

  async beat(now = new Date()): Promise<void> {
    await this.rows.updateOne({ _id: this.name }, { $set: { at: now }, $setOnInsert: { startedAt: now } }, { upsert: true });
  }

  async othersSince(since: Date): Promise<Date | undefined> {
    const seen = await this.rows.find({ at: { $gte: since } }, { projection: { at: 1 } }).toArray();
    const others = seen.filter((r) => r._id !== this.name).map((r) => r.at.getTime());
    return others.length > 0 ? new Date(Math.min(...others)) : undefined;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
