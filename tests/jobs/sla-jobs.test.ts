/**
 * The Agenda job that runs the SLA loop, on the run's database: one loop at a
 * time across workers, and a worker restarted after kill -9 on the same machine
 * takes the job without waiting out the dead worker's lock.
 */
import { spawnSync } from 'node:child_process';
import mongoose, { type Connection } from 'mongoose';
import type { SlaRunner } from '../../src/core/sla-runner';
import { SLA_SWEEP_JOB, type SlaJobs, startSlaJobs } from '../../src/jobs/sla-jobs';
import { silentLogger } from '../../src/logger';
import { newWorkerName } from '../../src/store/worker-identity';
import { testMongoUri } from '../support/test-db';

/** A stand-in for SlaRunner that counts the loops started (the loop itself is tested elsewhere). */
function countingRunner() {
  const loops = { started: 0 };
  const runner = {
    warm: () => undefined,
    run: async ({ signal }: { signal: AbortSignal }) => {
      loops.started += 1;
      await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve())));
    },
  } as unknown as SlaRunner;
  return { runner, loops };
}

const until = async (check: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
};

describe('SLA job', () => {
  let conn: Connection;
  const started: SlaJobs[] = [];
  beforeEach(async () => {
    conn = await mongoose.createConnection(testMongoUri('sla-jobs')).asPromise();
  });
  afterEach(async () => {
    for (const jobs of started.splice(0)) await jobs.stop();
    await conn.close();
  });
  // Ten minutes: within a test, a lock is only ever released on purpose.
  const start = async (runner: SlaRunner) => {
    const jobs = await startSlaJobs({ db: conn.db!, runner, logger: silentLogger(), lockLifetimeMs: 600_000, processEveryMs: 100 });
    started.push(jobs);
    return jobs;
  };

  it('runs one loop however many workers start; the next takes over when the first stops', async () => {
    const a = countingRunner();
    const b = countingRunner();
    const first = await start(a.runner);
    await until(() => a.loops.started === 1, 5000);
    await start(b.runner);
    // Ten polls of the second worker.
    await new Promise((r) => setTimeout(r, 1000));
    expect([a.loops.started, b.loops.started]).toEqual([1, 0]);
    await first.stop();
    await until(() => b.loops.started === 1, 5000);
    expect(b.loops.started).toBe(1);
  });

  it('a restarted worker takes the job locked by a worker whose process is gone from this machine', async () => {
    const exited = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const killed = newWorkerName()
      .split('/')
      .map((part, i) => (i === 3 ? String(exited) : part))
      .join('/');
    await conn.db!.collection('agenda_jobs').insertOne({
      name: SLA_SWEEP_JOB,
      type: 'single',
      repeatInterval: '1 second',
      nextRunAt: new Date(),
      lockedAt: new Date(),
      lastModifiedBy: killed,
      data: null,
      priority: 0,
    });
    const restarted = countingRunner();
    await start(restarted.runner);
    await until(() => restarted.loops.started === 1, 5000);
    expect(restarted.loops.started).toBe(1);
  });

  it('leaves the job locked by a worker it cannot tell is gone (another machine) until its lock ends', async () => {
    await conn.db!.collection('agenda_jobs').insertOne({
      name: SLA_SWEEP_JOB,
      type: 'single',
      repeatInterval: '1 second',
      nextRunAt: new Date(),
      lockedAt: new Date(),
      lastModifiedBy: 'other-host/x/y/1234/abcd',
      data: null,
      priority: 0,
    });
    const standby = countingRunner();
    await start(standby.runner);
    await new Promise((r) => setTimeout(r, 1000));
    expect(standby.loops.started).toBe(0);
  });
});
