/** Debounced, one-at-a-time retraining (a fake clock; no timing assertions). */
import { RetrainScheduler, type SchedulerClock } from '../../../../src/ai/learning/retrain-scheduler';

function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: SchedulerClock = {
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id as number),
    now: () => now,
  };
  /** Moves time forward, firing due timers in order. */
  const advance = async (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
      await flush();
    }
    now = end;
    await flush();
  };
  return { clock, advance, pending: () => timers.size };
}

const fail = (err: unknown) => {
  throw err;
};

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** A training the test finishes by hand; records how many run at once. */
function trainings() {
  const started: Array<() => void> = [];
  let active = 0;
  let maxActive = 0;
  const train = () =>
    new Promise<void>((resolve) => {
      active++;
      maxActive = Math.max(maxActive, active);
      started.push(() => {
        active--;
        resolve();
      });
    });
  return {
    train,
    started,
    finish: async (i: number) => {
      started[i]!();
      await flush();
    },
    maxActive: () => maxActive,
  };
}

describe('retrain scheduler', () => {
  it('turns a burst of requests into one training, after the last request', async () => {
    const { clock, advance } = fakeClock();
    const t = trainings();
    const s = new RetrainScheduler({ train: t.train, onError: fail, debounceMs: 1000, maxWaitMs: 10_000, clock });
    for (let i = 0; i < 5; i++) {
      s.request();
      await advance(500);
    }
    expect(t.started).toHaveLength(0); // still within the debounce of the last request
    await advance(1000);
    expect(t.started).toHaveLength(1);
    await t.finish(0);
    await advance(60_000);
    expect(t.started).toHaveLength(1);
  });

  it('does not postpone a training forever under a steady stream of requests', async () => {
    const { clock, advance } = fakeClock();
    const t = trainings();
    const s = new RetrainScheduler({ train: t.train, onError: fail, debounceMs: 1000, maxWaitMs: 3000, clock });
    for (let i = 0; i < 10; i++) {
      s.request();
      await advance(500);
    }
    expect(t.started.length).toBeGreaterThanOrEqual(1);
  });

  it('runs one training at a time: requests during a training give exactly one more, afterwards', async () => {
    const { clock, advance } = fakeClock();
    const t = trainings();
    const s = new RetrainScheduler({ train: t.train, onError: fail, debounceMs: 100, maxWaitMs: 1000, clock });
    s.request({ immediate: true });
    await advance(0);
    expect(t.started).toHaveLength(1);
    s.request();
    s.request({ immediate: true });
    s.request();
    await advance(5000);
    expect(t.started).toHaveLength(1); // the first one is still running
    await t.finish(0);
    await advance(0);
    expect(t.started).toHaveLength(2);
    await t.finish(1);
    await advance(5000);
    expect(t.started).toHaveLength(2);
    expect(t.maxActive()).toBe(1);
  });

  it('retrainNow resolves only after a training that started after the call', async () => {
    const { clock, advance } = fakeClock();
    const t = trainings();
    const s = new RetrainScheduler({ train: t.train, onError: fail, debounceMs: 100, maxWaitMs: 1000, clock });
    s.request({ immediate: true });
    await advance(0);
    let done = false;
    void s.retrainNow().then(() => (done = true));
    await t.finish(0); // the training that was already running does not count
    expect(done).toBe(false);
    await advance(0);
    expect(t.started).toHaveLength(2);
    await t.finish(1);
    expect(done).toBe(true);
    await s.idle();
  });

  it('keeps going after a failed training, reporting the error', async () => {
    const { clock, advance } = fakeClock();
    const errors: unknown[] = [];
    let calls = 0;
    const s = new RetrainScheduler({
      train: async () => {
        if (++calls === 1) throw new Error('disk full');
      },
      onError: (e) => errors.push(e),
      debounceMs: 100,
      maxWaitMs: 1000,
      clock,
    });
    s.request();
    await advance(100);
    s.request();
    await advance(100);
    expect(calls).toBe(2);
    expect(errors).toEqual([new Error('disk full')]);
  });

  it('stop clears the timer, waits for the running training and ignores later requests', async () => {
    const { clock, advance, pending } = fakeClock();
    const t = trainings();
    const s = new RetrainScheduler({ train: t.train, onError: fail, debounceMs: 100, maxWaitMs: 1000, clock });
    s.request({ immediate: true });
    await advance(0);
    s.request();
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false); // a training is still running
    await t.finish(0);
    await stopping;
    s.request({ immediate: true });
    await advance(10_000);
    expect(t.started).toHaveLength(1);
    expect(pending()).toBe(0);
    await expect(s.retrainNow()).resolves.toBeUndefined();
  });
});
