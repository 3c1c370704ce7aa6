/**
 * The knowledge entry drafted when a ticket is resolved is outbox work, not a
 * task of the process that resolved it: two chatdesk processes share one
 * database and the Slack emulator; A takes the resolve while Slack refuses
 * every post, and is killed with SIGKILL before the entry reaches the card's
 * thread. B, the survivor, finishes it once Slack is back: the entry is posted
 * under the card once and recorded on the ticket.
 */
import mongoose, { type Connection } from 'mongoose';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { sendSlashCommand } from '../emulators/slack/inbound';
import { type AppProcess, freePort, startAppProcess } from '../support/app-process';
import { slackEnv } from '../support/slack-env';
import { testMongoUri } from '../support/test-db';

const AGENTS = 'C0AGENTS';
const ANSWER = 'Restart the print spooler service from Services, then send the job again.';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async <T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 90_000): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
};

describe('chaos: kill -9 while the knowledge entry of a resolved ticket is being posted', () => {
  jest.setTimeout(240_000);
  let emu: SlackEmulator;
  let a: AppProcess | undefined;
  let b: AppProcess | undefined;
  let db: Connection;

  beforeAll(async () => {
    emu = await startSlackEmulator();
    emu.addUser({ id: 'U0ANNA', name: 'anna', realName: 'Anna' });
    emu.addUser({ id: 'U0BOB', name: 'bob', realName: 'Bob' });
  });
  afterAll(async () => {
    await a?.kill9().catch(() => undefined);
    await b?.kill9().catch(() => undefined);
    await db?.close();
    await emu?.close();
  });

  it('a survivor posts the entry under the card, once', async () => {
    const uri = testMongoUri('chaos_knowledge');
    const env = { ...slackEnv(emu, AGENTS), MONGODB_URI: uri, CHATDESK_SLA_WORKER: 'false', CHATDESK_PLAYGROUND: 'false' };
    // One after the other: the first start on a new database sets it up.
    a = await startAppProcess(env, await freePort());
    b = await startAppProcess(env, await freePort());
    db = await mongoose.createConnection(uri).asPromise();

    const opened = await sendSlashCommand(emu, `${a.url}/slack/events`, {
      text: 'The printer on floor 2 prints blank pages',
      userId: 'U0ANNA',
      triggerId: emu.triggerId(),
    });
    expect(opened.status).toBe(200);
    const ticket = await until('the ticket and its card', async () => {
      const t = await db.collection('tickets').findOne({ title: 'The printer on floor 2 prints blank pages' });
      return (t?.agentCards as unknown[] | undefined)?.length ? t! : undefined;
    });
    const cardTs = (ticket.agentCards as Array<{ messageId: string }>)[0]!.messageId;
    const knowledgeUnderCard = () => emu.messages(AGENTS).filter((m) => m.thread_ts === cardTs && m.text.includes(ANSWER));

    // Slack refuses every post from now on; A takes the resolve, and dies with the entry not posted.
    emu.failNext('chat.postMessage', { status: 500 }, 10_000);
    const resolved = await sendSlashCommand(emu, `${a.url}/slack/events`, {
      text: `resolve ${ticket.key} ${ANSWER}`,
      userId: 'U0BOB',
      triggerId: emu.triggerId(),
    });
    expect(resolved.status).toBe(200);
    await until('the resolve to be stored', async () =>
      (await db.collection('tickets').findOne({ _id: ticket._id }))?.status === 'resolved' ? true : undefined,
    );
    await until('the knowledge work to be in the outbox', async () =>
      (await db.collection('outbox').findOne({ 'job.kind': 'knowledge_from_resolved', 'job.ticketId': String(ticket._id) })) ? true : undefined,
    );
    await a.kill9();
    a = undefined;
    expect(knowledgeUnderCard()).toHaveLength(0);

    // Slack is back: B finishes A's work.
    emu.clearFaults();
    await until('the entry under the card', () => (knowledgeUnderCard().length > 0 ? true : undefined));
    await sleep(2000);
    expect(knowledgeUnderCard()).toHaveLength(1);
    const stored = await db.collection('tickets').findOne({ _id: ticket._id });
    expect(stored?.assist?.knowledge?.entryId).toBe(`kb-${String(ticket._id)}`);
    expect(stored?.assist?.knowledge?.refs).toHaveLength(1);
    expect(((stored?.activity ?? []) as Array<{ action: string }>).filter((e) => e.action === 'knowledge_published')).toHaveLength(1);
    expect(await db.collection('knowledge').countDocuments({ ticketKey: ticket.key })).toBe(1);
  });
});
