import type { Connection, Model } from 'mongoose';

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === DUPLICATE_KEY;

/** A guard older than this, on a ticket still at the version before it, was left by a writer that died between its two writes. */
const STALE_MS = 15_000;

interface GuardRecord {
  /** `<ticket id>:<version>` */
  _id: string;
  ticketId: string;
  at: Date;
}

/**
 * Makes "write version v+1 only if the ticket is still at v" hold across
 * processes on FerretDB, whose conditional updates are a read, a change in
 * Go and a write, not atomic: two replicas saving the same version could both
 * succeed (two claims of one ticket both "win"). Each save first inserts
 * `<ticket>:<new version>` into `ticket_versions`; a unique insert is atomic on
 * FerretDB too, so exactly one writer gets each version. On MongoDB the
 * conditional update is atomic by itself and no guard is used. Cost: one
 * insert per ticket change on the embedded database.
 */
export class TicketVersionGuard {
  private constructor(private readonly Guard: Model<GuardRecord>) {}

  static register(conn: Connection): TicketVersionGuard {
    const existing = conn.models.TicketVersion as Model<GuardRecord> | undefined;
    if (existing) return new TicketVersionGuard(existing);
    const { Schema } = conn.base;
    const schema = new Schema<GuardRecord>(
      { _id: String, ticketId: String, at: Date },
      { collection: 'ticket_versions', versionKey: false, bufferCommands: false },
    );
    schema.index({ at: 1 });
    return new TicketVersionGuard(conn.model<GuardRecord>('TicketVersion', schema));
  }

  model(): Model<GuardRecord> {
    return this.Guard;
  }

  /**
   * Takes `version` of the ticket for this writer. False when another writer
   * has it. `currentVersion` reads the ticket's stored version, to recognise a
   * guard left by a writer that died before its update.
   */
  async take(ticketId: string, version: number, now: Date, currentVersion: () => Promise<number | undefined>): Promise<boolean> {
    const _id = `${ticketId}:${version}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.Guard.create({ _id, ticketId, at: now });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const held = await this.Guard.findById(_id).lean();
      if (!held) continue; // released meanwhile: try once more
      const stale = now.getTime() - held.at.getTime() > STALE_MS && (await currentVersion()) === version - 1;
      if (!stale) return false;
      // Its writer died between the guard and the update: free the version (only that guard) and contend again.
      await this.Guard.deleteOne({ _id, at: held.at });
    }
    return false;
  }

  /** Gives back a version taken and then not written (the write found the ticket otherwise than expected). */
  async release(ticketId: string, version: number): Promise<void> {
    await this.Guard.deleteOne({ _id: `${ticketId}:${version}` });
  }

  /** Guards of versions written long ago protect nothing any more. */
  async purge(before: Date): Promise<number> {
    return (await this.Guard.deleteMany({ at: { $lt: before } })).deletedCount ?? 0;
  }
}
