import { type Connection, type Model, Schema } from 'mongoose';
import type { Singletons } from '../core/singleton.port';
import type { Logger } from '../logger';

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === DUPLICATE_KEY;
/** A lease not renewed for this long belongs to a process that is gone (or stalled): another one takes over. */
export const SINGLETON_LEASE_MS = 15_000;
/** How often the owner renews its lease, and how often the others look whether it is free. */
const BEAT_MS = 5_000;

interface LeaseRecord {
  _id: string;
  owner: string;
  until: Date;
}

/**
 * Leases in `singleton_leases`, one row per name. Taking a free lease is a
 * unique insert (atomic on MongoDB and FerretDB alike); an expired one, or one
 * whose owner is known dead (a process of this machine that is gone), is
 * deleted by its old owner's name and taken the same way. The owner renews
 * every 5 s; a renewal that finds another owner stops the work.
 */
export class MongoSingletons implements Singletons {
  private constructor(
    private readonly Leases: Model<LeaseRecord>,
    private readonly owner: string,
    private readonly isDead: (owner: string) => boolean,
    private readonly log: Logger,
    private readonly beatMs: number,
  ) {}

  static register(conn: Connection, opts: { owner: string; isDead: (owner: string) => boolean; logger: Logger; beatMs?: number }): MongoSingletons {
    const Leases =
      (conn.models.SingletonLease as Model<LeaseRecord> | undefined) ??
      conn.model<LeaseRecord>(
        'SingletonLease',
        new Schema<LeaseRecord>({ _id: String, owner: String, until: Date }, { collection: 'singleton_leases', versionKey: false, bufferCommands: false }),
      );
    return new MongoSingletons(Leases, opts.owner, opts.isDead, opts.logger.child({ component: 'singleton' }), opts.beatMs ?? BEAT_MS);
  }

  run(name: string, start: () => Promise<void>, stop: () => Promise<void>): { firstLook: Promise<void>; release(): Promise<void> } {
    let held = false;
    let released = false;
    let timer: NodeJS.Timeout | undefined;
    let first = true;
    // The look running now: a release waits for it, so a start under way (a Gateway login, say) is not stopped half-way.
    let current: Promise<void> | undefined;
    const beat = (): Promise<void> => {
      const run = look();
      current = run.catch(() => undefined);
      return run;
    };
    const look = async () => {
      const isFirst = first;
      first = false;
      try {
        if (held) {
          const res = await this.Leases.updateOne({ _id: name, owner: this.owner }, { $set: { until: new Date(Date.now() + SINGLETON_LEASE_MS) } });
          if (res.matchedCount === 0) {
            held = false;
            this.log.warn({ name }, 'another process took this over; stopping it here');
            await stop();
          }
        } else if (await this.take(name)) {
          held = true;
          this.log.info({ name }, 'this process runs it now');
          try {
            await start();
          } catch (err) {
            // It could not start here (a bad token, the platform away): hand the lease on; the first failure is the caller's.
            held = false;
            await this.Leases.deleteOne({ _id: name, owner: this.owner }).catch(() => undefined);
            if (isFirst) throw err;
            this.log.error({ err, name }, 'could not start it; trying again');
          }
        }
      } catch (err) {
        if (isFirst && !held) {
          released = true;
          throw err;
        }
        this.log.warn({ err, name }, 'the lease could not be checked; trying again');
      } finally {
        if (!released) {
          timer = setTimeout(() => void beat(), this.beatMs);
          timer.unref();
        }
      }
    };
    const firstLook = beat();
    return {
      firstLook,
      release: async () => {
        released = true;
        clearTimeout(timer);
        await current;
        if (!held) return;
        held = false;
        await stop();
        await this.Leases.deleteOne({ _id: name, owner: this.owner }).catch((err: unknown) =>
          this.log.warn({ err, name }, 'could not hand the lease on; it runs out'),
        );
      },
    };
  }

  private async take(name: string): Promise<boolean> {
    const current = await this.Leases.findById(name).lean();
    if (current && current.owner !== this.owner && current.until.getTime() > Date.now() && !this.isDead(current.owner)) return false;
    if (current) await this.Leases.deleteOne({ _id: name, owner: current.owner });
    try {
      await this.Leases.create({ _id: name, owner: this.owner, until: new Date(Date.now() + SINGLETON_LEASE_MS) });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
}
