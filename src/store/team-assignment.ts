import { type Connection, type Model, Schema } from 'mongoose';
import { InProcessTeamAssignment, type TeamAssignment } from '../core/team-assignment.port';
import type { Logger } from '../logger';

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === DUPLICATE_KEY;
/** A lock older than this belongs to a process that died mid-pick: it is broken. */
const LOCK_TTL_MS = 10_000;
/** How long a pick waits for the team's lock before it picks anyway (logged): an intake is never held up for good. */
const WAIT_MS = 15_000;

interface LockRecord {
  _id: string;
  owner: string;
  until: Date;
}
interface StateRecord {
  _id: string;
  last: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Auto-assignment across replicas. The team's lock is a unique insert
 * (`team_assignment_locks`, `_id` = team): atomic on MongoDB and on FerretDB,
 * whose conditional updates are not. The round-robin position is the team's
 * row in `team_assignment`, read and written under the lock, so two intakes at
 * once on two replicas see each other's pick (load and position). Within a
 * process, picks for a team queue here first, so each process has one waiter
 * for the database lock.
 */
export class MongoTeamAssignment implements TeamAssignment {
  private readonly local = new InProcessTeamAssignment();

  private constructor(
    private readonly Locks: Model<LockRecord>,
    private readonly State: Model<StateRecord>,
    private readonly owner: string,
    private readonly log: Logger,
  ) {}

  static register(conn: Connection, owner: string, logger: Logger): MongoTeamAssignment {
    const Locks =
      (conn.models.TeamAssignmentLock as Model<LockRecord> | undefined) ??
      conn.model<LockRecord>(
        'TeamAssignmentLock',
        new Schema<LockRecord>({ _id: String, owner: String, until: Date }, { collection: 'team_assignment_locks', versionKey: false, bufferCommands: false }),
      );
    const State =
      (conn.models.TeamAssignment as Model<StateRecord> | undefined) ??
      conn.model<StateRecord>('TeamAssignment', new Schema<StateRecord>({ _id: String, last: Number }, { collection: 'team_assignment', versionKey: false }));
    return new MongoTeamAssignment(Locks, State, owner, logger.child({ component: 'auto-assign' }));
  }

  async decide<T>(team: string, pick: (lastIndex: number | undefined) => Promise<{ value: T; index?: number }>): Promise<T> {
    return this.local.decide(team, async () => ({ value: await this.decideLocked(team, pick) }));
  }

  private async decideLocked<T>(team: string, pick: (lastIndex: number | undefined) => Promise<{ value: T; index?: number }>): Promise<T> {
    const held = await this.lock(team);
    try {
      const state = await this.State.findById(team).lean();
      const { value, index } = await pick(state?.last);
      if (index !== undefined) await this.State.updateOne({ _id: team }, { $set: { last: index } }, { upsert: true });
      return value;
    } finally {
      if (held)
        await this.Locks.deleteOne({ _id: team, owner: held }).catch((err: unknown) => this.log.warn({ err, team }, 'could not release the lock; it runs out'));
    }
  }

  /** The lock's owner token, or undefined when it could not be had in time (the pick goes on without it). */
  private async lock(team: string): Promise<string | undefined> {
    const token = `${this.owner}:${Math.random().toString(36).slice(2, 10)}`;
    const deadline = Date.now() + WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.Locks.create({ _id: team, owner: token, until: new Date(Date.now() + LOCK_TTL_MS) });
        return token;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const current = await this.Locks.findById(team).lean();
      if (current && current.until.getTime() < Date.now()) {
        // Its holder died mid-pick: break it (only that lock: another breaker may have replaced it).
        await this.Locks.deleteOne({ _id: team, owner: current.owner });
        continue;
      }
      if (Date.now() > deadline) {
        this.log.warn({ team }, 'the auto-assign lock stayed taken; assigning without it');
        return undefined;
      }
      await sleep(Math.min(20, 2 * 2 ** Math.min(attempt, 4)) + Math.random() * 5);
    }
  }
}
