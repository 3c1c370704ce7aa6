/**
 * SIGTERM under load, as an orchestrator sends it: chatdesk stops taking
 * requests (503), finishes or hands back what is in flight, exits within 10 s,
 * and the next start finishes what was handed back. Nothing acknowledged is lost.
 */
import mongoose, { type Connection } from 'mongoose';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { sendSlashCommand } from '../emulators/slack/inbound';
import { type AppProcess, freePort, startAppProcess } from '../support/app-process';
import { slackEnv } from '../support/slack-env';
import { testMongoUri } from '../support/test-db';

const AGENTS = 'C0AGENTS';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chaos: SIGTERM under Slack load', () => {
  jest.setTimeout(180_000);
  let emu: SlackEmulator;
  let app: AppProcess | undefined;
  let db: Connection;

  beforeAll(async () => {
    emu = await startSlackEmulator();
    emu.addUser({ id: 'U0ANNA', name: 'anna', realName: 'Anna' });
  });

  afterAll(async () => {
    await app?.kill9().catch(() => undefined);
    await db?.close();
    await emu?.close();
  });

  it('exits within 10 s with code 0, and the next start finishes every acknowledged request', async () => {
    const uri = testMongoUri('chaos_sigterm');
    db = await mongoose.createConnection(uri).asPromise();
    const env = {
      ...slackEnv(emu, AGENTS),
      MONGODB_URI: uri,
    };
    const port = await freePort();
    app = await startAppProcess(env, port);
    const acked: string[] = [];
    const statuses: number[] = [];
    let stopped: Promise<{ code: number | null; ms: number }> | undefined;
    const sends: Array<Promise<void>> = [];
    // The signal goes once 25 requests are acknowledged (a loaded machine acknowledges fewer in a fixed time), then 50 more are sent.
    let sent = 0;
    let signalledAt = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 400 && i < signalledAt + 50; i++) {
      sent++;
      const text = `sigterm ${i}: the wifi in room ${i} is down`;
      sends.push(
        sendSlashCommand(emu, `${app.url}/slack/events`, { text, userId: 'U0ANNA' })
          .then((r) => {
            // Once stopping, Slack gets a visible "busy, try again" (200 with that text) or no connection: not taken.
            const taken = r.status === 200 && !r.body.includes('try again');
            statuses.push(taken ? 200 : r.status === 200 ? 503 : r.status);
            if (taken) acked.push(text);
          })
          .catch(() => undefined),
      );
      if (!stopped && acked.length >= 25) {
        stopped = app.terminate();
        signalledAt = i;
      }
      await sleep(50);
    }
    await Promise.all(sends);
    expect(stopped).toBeDefined();
    const { code, ms } = await stopped!;
    expect(code).toBe(0);
    expect(ms).toBeLessThanOrEqual(10_000);
    expect(acked.length).toBeGreaterThanOrEqual(25);
    expect(statuses.length).toBeLessThan(sent); // requests after the signal found the port closed or were told to try again
    expect(statuses.filter((x) => x === 200).length).toBe(acked.length);

    app = await startAppProcess(env, port);
    const titles = async () =>
      (await db
        .collection('tickets')
        .find({}, { projection: { title: 1, agentCards: 1 } })
        .toArray()) as unknown as Array<{ title: string; agentCards: unknown[] }>;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const all = await titles();
      if (acked.every((t) => all.some((x) => x.title === t && x.agentCards.length > 0))) break;
      await sleep(500);
    }
    const all = await titles();
    expect(acked.filter((t) => !all.some((x) => x.title === t && x.agentCards.length > 0))).toEqual([]);
    expect(all.length).toBe(new Set(all.map((t) => t.title)).size);
  });
});
