import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import type { Connection } from 'mongoose';
import type { SlaRunner } from '../core/sla-runner';
import type { Logger } from '../logger';
import { localLiveness, newWorkerName } from '../store/worker-identity';

export const SLA_SWEEP_JOB = 'sla-sweep';

export interface SlaJobs {
  stop(): Promise<void>;
}

/**
 * The SLA worker on Agenda 6 (MongoDB backend, polling; no change streams, so it
 * runs on FerretDB too). One recurring job, `sla-sweep`: the worker that holds
 * its lock runs SlaRunner's loop (reading the wake-ups every second, firing each
 * on its time) until it stops, touching the lock every 500 ms. Agenda's lock
 * keeps one loop at a time across workers; a worker killed mid-run loses its lock
 * after `lockLifetime` (3 s) and another (or the restarted one) takes over, at
 * once when the killed one ran on the same machine (worker-identity.ts). The job
 * is created once: re-saving it (Agenda's `every`) would clear a live worker's
 * lock and start a second loop.
 * Exactly-once per reminder is not Agenda's job: SlaRunner claims each
 * notification key in a unique index, so two loops at once are safe, only wasteful.
 */
export async function startSlaJobs(opts: {
  db: NonNullable<Connection['db']>;
  runner: SlaRunner;
  logger: Logger;
  /** How often standby workers poll for the job. */
  processEveryMs?: number;
  lockLifetimeMs?: number;
}): Promise<SlaJobs> {
  const logger = opts.logger.child({ component: 'sla-jobs' });
  const lockLifetime = opts.lockLifetimeMs ?? 3_000;
  const stopping = new AbortController();
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: opts.db, collection: 'agenda_jobs' }),
    // Stored as the job's `lastModifiedBy`, so a restarted worker can tell its predecessor is gone.
    name: newWorkerName(),
    processEvery: opts.processEveryMs ?? 500,
    defaultLockLifetime: lockLifetime,
  });
  agenda.on('error', (err: unknown) => logger.error({ err }, 'agenda error'));
  agenda.define(
    SLA_SWEEP_JOB,
    async (job) => {
      // Keep the lock while the loop runs; otherwise Agenda would consider the job dead and start a second loop elsewhere.
      const alive = setInterval(
        () => {
          job.touch().catch((err: unknown) => logger.warn({ err }, 'could not extend the SLA job lock'));
        },
        Math.min(500, lockLifetime / 4),
      );
      try {
        logger.info({ job: SLA_SWEEP_JOB }, 'SLA loop started');
        await opts.runner.run({ signal: stopping.signal });
      } finally {
        clearInterval(alive);
      }
    },
    { concurrency: 1, lockLimit: 1, lockLifetime },
  );
  const jobs = opts.db.collection<{ name: string; type?: string; lockedAt?: Date | null; lastModifiedBy?: string | null }>('agenda_jobs');
  const existing = await jobs.findOne({ name: SLA_SWEEP_JOB, type: 'single' });
  if (existing?.lockedAt && existing.lastModifiedBy && localLiveness(existing.lastModifiedBy) === 'dead') {
    // Locked by a worker whose process is gone from this machine (killed): no need to wait out its lock.
    await jobs.updateOne({ _id: existing._id, lockedAt: existing.lockedAt }, { $set: { lockedAt: null, nextRunAt: new Date() } });
    logger.info({ job: SLA_SWEEP_JOB, previous: existing.lastModifiedBy }, 'SLA job lock of a dead worker released');
  }
  await agenda.start();
  if (!existing) await agenda.every('1 second', SLA_SWEEP_JOB, undefined, { skipImmediate: false });
  logger.info({ job: SLA_SWEEP_JOB }, 'SLA worker started');
  return {
    stop: async () => {
      stopping.abort();
      await agenda.drain(10_000).catch(() => undefined);
      await agenda.stop(false);
    },
  };
}
