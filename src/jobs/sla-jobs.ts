import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import type { Connection } from 'mongoose';
import type { SlaRunner } from '../core/sla-runner';
import type { Logger } from '../logger';

export const SLA_SWEEP_JOB = 'sla-sweep';

export interface SlaJobs {
  stop(): Promise<void>;
}

/**
 * The SLA worker on Agenda 6 (MongoDB backend, polling; no change streams, so it
 * runs on FerretDB too). One recurring job, `sla-sweep`, runs every second and
 * hands the due tickets to SlaRunner. Agenda's lock keeps one sweep at a time
 * across workers; a worker killed mid-sweep loses its lock after `lockLifetime`
 * and another (or the restarted one) takes over. Exactly-once per reminder is
 * not Agenda's job: SlaRunner claims each notification key in a unique index.
 */
export async function startSlaJobs(opts: {
  db: NonNullable<Connection['db']>;
  runner: SlaRunner;
  logger: Logger;
  /** How often workers poll for due jobs; the sweep itself repeats every second. */
  processEveryMs?: number;
  lockLifetimeMs?: number;
}): Promise<SlaJobs> {
  const logger = opts.logger.child({ component: 'sla-jobs' });
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: opts.db, collection: 'agenda_jobs' }),
    name: `chatdesk-${process.pid}`,
    processEvery: opts.processEveryMs ?? 500,
    defaultLockLifetime: opts.lockLifetimeMs ?? 5_000,
  });
  agenda.on('error', (err: unknown) => logger.error({ err }, 'agenda error'));
  agenda.define(
    SLA_SWEEP_JOB,
    async (job) => {
      // Keep the lock while the sweep runs, however long one database call takes; otherwise
      // Agenda would consider the job dead and start a second sweep beside it.
      const alive = setInterval(() => {
        job.touch().catch((err: unknown) => logger.warn({ err }, 'could not extend the SLA job lock'));
      }, 1000);
      try {
        const r = await opts.runner.sweep();
        if (r.sent > 0 || r.failed > 0) logger.info(r, 'SLA sweep');
      } finally {
        clearInterval(alive);
      }
    },
    { concurrency: 1, lockLimit: 1, lockLifetime: opts.lockLifetimeMs ?? 5_000 },
  );
  await agenda.start();
  await agenda.every('1 second', SLA_SWEEP_JOB, undefined, { skipImmediate: false });
  logger.info({ job: SLA_SWEEP_JOB }, 'SLA worker started');
  return {
    stop: async () => {
      await agenda.stop(false);
    },
  };
}
