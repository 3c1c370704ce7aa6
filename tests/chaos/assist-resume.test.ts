/**
 * The assistant's work after intake belongs to the request: chatdesk runs as
 * its own process against the Slack and OpenAI emulators, opens a ticket, and
 * is killed with SIGKILL while the LLM is still writing the agents' draft. The
 * request stays in the inbox until that work is done, so the restarted
 * process resumes it: the draft reaches the card's thread, once.
 */
import mongoose, { type Connection } from 'mongoose';
import { startOpenAiEmulator, type OpenAiEmulator } from '../emulators/openai';
import { startSlackEmulator, type SlackEmulator } from '../emulators/slack';
import { sendSlashCommand } from '../emulators/slack/inbound';
import { type AppProcess, freePort, startAppProcess } from '../support/app-process';
import { slackEnv } from '../support/slack-env';
import { testMongoUri } from '../support/test-db';

const AGENTS = 'C0AGENTS';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chaos: kill -9 while the assistant drafts', () => {
  jest.setTimeout(240_000);
  let emu: SlackEmulator;
  let llm: OpenAiEmulator;
  let app: AppProcess | undefined;
  let db: Connection;
  let uri: string;

  beforeAll(async () => {
    emu = await startSlackEmulator();
    emu.addUser({ id: 'U0ANNA', name: 'anna', realName: 'Anna' });
    llm = await startOpenAiEmulator();
    uri = testMongoUri('chaos_assist');
    db = await mongoose.createConnection(uri).asPromise();
  });
  afterAll(async () => {
    await app?.kill9().catch(() => undefined);
    await db?.close();
    await llm?.close();
    await emu?.close();
  });

  it('resumes the draft on the next start and posts it under the card once', async () => {
    const env = {
      ...slackEnv(emu, AGENTS),
      MONGODB_URI: uri,
      CHATDESK_SLA_WORKER: 'false',
      OPENAI_API_KEY: llm.apiKey,
      OPENAI_BASE_URL: llm.baseUrl,
      OPENAI_MODEL: llm.model,
      OPENAI_TIMEOUT_MS: '120000',
    };
    // A published answer to ground the draft on (the LLM drafts only from the desk's own knowledge).
    const at = new Date();
    await db.collection('knowledge').insertOne({
      _id: 'kb-outlook' as never,
      ticketKey: 'T-900',
      question: 'Outlook keeps asking for my password',
      answer: 'Remove the saved Outlook credentials in Credential Manager, then sign in again.',
      category: 'software',
      status: 'published',
      locale: 'en',
      createdAt: at,
      updatedAt: at,
      uses: 0,
      deflections: 0,
    });
    const port = await freePort();
    app = await startAppProcess(env, port);
    // Triage answers at once; the draft's request hangs until the process is gone.
    llm.script({ kind: 'auto' }, { kind: 'slow', delayMs: 200_000 });
    const r = await sendSlashCommand(emu, `${app.url}/slack/events`, {
      text: 'Outlook keeps asking for my password',
      userId: 'U0ANNA',
      triggerId: emu.triggerId(),
    });
    expect(r.status).toBe(200);
    // The draft's request has taken the scripted slow reply (it is logged only when answered).
    const asked = Date.now() + 60_000;
    while (llm.pendingScript() > 0 && Date.now() < asked) await sleep(100);
    expect(llm.pendingScript()).toBe(0);
    const ticket = await db.collection('tickets').findOne({ title: 'Outlook keeps asking for my password' });
    expect(ticket?.agentCards).toHaveLength(1);
    const cardTs = (ticket!.agentCards as Array<{ messageId: string }>)[0]!.messageId;
    const underCard = () => emu.messages(AGENTS).filter((m) => m.thread_ts === cardTs);
    expect(underCard()).toHaveLength(0);
    // The request is answered (the card is out) but not done: its follow-up work is still running.
    expect((await db.collection('inbox').findOne({ _id: ticket!.intakeId }))?.state).toBe('pending');

    await app.kill9();
    llm.clearScript();
    app = await startAppProcess(env, port);
    const deadline = Date.now() + 90_000;
    while (underCard().length === 0 && Date.now() < deadline) await sleep(250);
    expect(underCard()).toHaveLength(1);
    await sleep(1500);
    expect(underCard()).toHaveLength(1);
    expect((await db.collection('inbox').findOne({ _id: ticket!.intakeId }))?.state).toBe('done');
    // One ticket, one card: the resumed request finished what was missing and nothing else.
    expect(await db.collection('tickets').countDocuments({ title: 'Outlook keeps asking for my password' })).toBe(1);
    expect(emu.messages(AGENTS).filter((m) => !m.thread_ts && m.text.startsWith(`${ticket!.key} `))).toHaveLength(1);
  });
});
