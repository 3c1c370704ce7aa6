/**
 * Singleton leases on the real database (the Discord Gateway session, the SLA
 * worker's schedule): one process runs the work; a release while the work is
 * still starting waits for the start and then stops it, and hands the lease on.
 */
import { silentLogger } from '../../src/logger';
import type { Store } from '../../src/store/database';
import { MongoSingletons } from '../../src/store/singleton-lease';
import { openTestStore } from '../support/test-db';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('singleton leases', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('singleton-lease');
  });
  afterAll(() => store?.close());

  it('released while its work is still starting: stops it once started, and the next process takes the lease at once', async () => {
    const events: string[] = [];
    const a = MongoSingletons.register(store.connection, { owner: 'proc-a', isDead: () => false, logger: silentLogger(), beatMs: 200 });
    const b = MongoSingletons.register(store.connection, { owner: 'proc-b', isDead: () => false, logger: silentLogger(), beatMs: 200 });
    const run = a.run(
      'gateway',
      async () => {
        events.push('a start');
        await sleep(1500); // a login that takes its time
        events.push('a started');
      },
      async () => {
        events.push('a stop');
      },
    );
    await sleep(300); // inside the start
    await run.release();
    await run.firstLook;
    expect(events).toEqual(['a start', 'a started', 'a stop']);

    // The lease was handed on: another process runs it on its first look.
    const other = b.run(
      'gateway',
      async () => {
        events.push('b start');
      },
      async () => {
        events.push('b stop');
      },
    );
    await other.firstLook;
    expect(events.at(-1)).toBe('b start');
    await sleep(500); // a few beats: a stays released
    expect(events.filter((e) => e === 'a start')).toHaveLength(1);
    await other.release();
    expect(events.at(-1)).toBe('b stop');
  });
});
