import { CallLog, FaultQueue, findFreePort, readBody, sendJson, startHttpServer, waitFor, withTimeout } from './index';

describe('shared emulator building blocks', () => {
  it('FaultQueue applies faults per key, FIFO, `times` each', () => {
    const q = new FaultQueue();
    q.add('a', { status: 500 }, 2);
    q.add('a', { delayMs: 5 });
    q.add('b', { status: 429, retryAfterSec: 1 });
    expect(q.pending()).toBe(4);
    expect([q.take('a'), q.take('a'), q.take('a'), q.take('a')]).toEqual([{ status: 500 }, { status: 500 }, { delayMs: 5 }, undefined]);
    expect(q.take('b')).toEqual({ status: 429, retryAfterSec: 1 });
    expect(q.pending()).toBe(0);
    expect(() => q.add('a', { status: 500 }, 0)).toThrow(/positive integer/);
  });

  it('CallLog.waitFor sees past and future calls, times out with the log, rejects on close', async () => {
    const log = new CallLog<{ method: string; status: number; args: Record<string, unknown> }>('test emu');
    log.record({ method: 'x', status: 200, args: { n: 1 } });
    await expect(log.waitFor('x')).resolves.toMatchObject({ args: { n: 1 } });
    const future = log.waitFor('x', (c) => c.args.n === 2);
    log.record({ method: 'x', status: 200, args: { n: 2 } });
    await expect(future).resolves.toMatchObject({ args: { n: 2 } });
    await expect(log.waitFor('y', undefined, 20)).rejects.toThrow(/test emu: timed out after 20 ms[\s\S]*#1 x -> 200 \{"n":1\}/);
    const pending = log.waitFor('z', undefined, 1000);
    log.close();
    await expect(pending).rejects.toThrow(/closed while waiting/);
  });

  it('startHttpServer listens on 127.0.0.1:0 and closes despite keep-alive connections', async () => {
    const s = await startHttpServer(async (req, res) => sendJson(res, 200, { echo: (await readBody(req)).toString() }));
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    const res = await fetch(s.url, { method: 'POST', body: 'hi' });
    expect(await res.json()).toEqual({ echo: 'hi' });
    await withTimeout(s.close(), 1000, 'close');
    expect(await findFreePort()).toBeGreaterThan(0);
  });

  it('waitFor polls until truthy or times out with a message', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? n : undefined), { intervalMs: 1 })).resolves.toBe(3);
    await expect(waitFor(() => false, { timeoutMs: 20, message: 'never', describe: () => 'state: empty' })).rejects.toThrow(/never\nstate: empty/);
  });
});
