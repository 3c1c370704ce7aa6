import { TicketNumbers } from '../../../src/store/ticket-numbers';

/** A counter whose increments resolve only when the test lets them (so requests pile up behind one). */
function slowCounter() {
  let seq = 0;
  const calls: number[] = [];
  const pending: Array<() => void> = [];
  let failNext = false;
  const increment = (n: number) =>
    new Promise<number>((resolve, reject) => {
      calls.push(n);
      pending.push(() => {
        if (failNext) {
          failNext = false;
          reject(new Error('database down'));
          return;
        }
        seq += n;
        resolve(seq);
      });
    });
  const release = async () => {
    while (pending.length === 0) await new Promise((r) => setImmediate(r));
    pending.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { increment, calls, release, failOnce: () => (failNext = true) };
}

describe('ticket numbers', () => {
  it('takes numbers for every request waiting in one increment, each number once and in request order', async () => {
    const counter = slowCounter();
    const numbers = new TicketNumbers(counter.increment);
    const first = numbers.next();
    const rest = Array.from({ length: 9 }, () => numbers.next());
    await counter.release();
    await counter.release();
    expect(await first).toBe(1);
    expect(await Promise.all(rest)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(counter.calls).toEqual([1, 9]);
  });

  it('fails the requests of a failed increment, takes no number for them, and serves the next ones', async () => {
    const counter = slowCounter();
    const numbers = new TicketNumbers(counter.increment);
    counter.failOnce();
    const failed = numbers.next().catch((err: Error) => err.message);
    const queued = [numbers.next(), numbers.next()];
    await counter.release();
    expect(await failed).toBe('database down');
    await counter.release();
    expect(await Promise.all(queued)).toEqual([1, 2]);
    expect(counter.calls).toEqual([1, 2]);
  });

  it('never asks for more than its batch bound at once', async () => {
    const counter = slowCounter();
    const numbers = new TicketNumbers(counter.increment, 4);
    const all = Array.from({ length: 10 }, () => numbers.next());
    for (let i = 0; i < 4; i++) await counter.release();
    expect(counter.calls).toEqual([1, 4, 4, 1]);
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
