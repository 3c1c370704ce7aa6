/**
 * Email under a crash: chatdesk as its own process reads GreenMail's desk
 * mailbox while 30 mails arrive; it is killed (-9) after the first tickets and
 * started again. A mail is marked seen only after its event is stored, so the
 * restart fetches what was in flight again: every mail is one ticket, none is
 * lost, each requester gets a confirmation. SMTP has no idempotency key: a
 * confirmation sent just before the kill may be sent again, with the same
 * Message-ID (counted and bounded below, folded by mail programs).
 */
import mongoose, { type Connection } from 'mongoose';
import { type AppProcess, freePort, startAppProcess } from '../support/app-process';
import { greenmailJar, type GreenMail, startGreenMail } from '../support/greenmail';
import { testMongoUri } from '../support/test-db';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const found = greenmailJar();
const suite = 'jar' in found ? describe : describe.skip;
if ('skip' in found) test.skip(`email chaos test skipped: ${found.skip}`, () => undefined);

suite('chaos: kill -9 of chatdesk while mail arrives', () => {
  jest.setTimeout(240_000);
  let mail: GreenMail;
  let app: AppProcess | undefined;
  let db: Connection;
  const N = 30;
  const sender = (i: number) => `person${i}@example.test`;
  const uri = testMongoUri('chaos_email');

  beforeAll(async () => {
    mail = await startGreenMail((found as { jar: string }).jar);
    db = await mongoose.createConnection(uri).asPromise();
  }, 90_000);
  afterAll(async () => {
    await app?.kill9().catch(() => undefined);
    await db?.close();
    await mail?.stop();
  });

  it('every mail is one ticket, none is lost, each sender is confirmed', async () => {
    const env = { ...mail.env, MONGODB_URI: uri, CHATDESK_SLA_WORKER: 'false' };
    const port = await freePort();
    app = await startAppProcess(env, port);
    const tickets = async () =>
      (await db
        .collection('tickets')
        .find({}, { projection: { key: 1, title: 1, requester: 1 } })
        .toArray()) as unknown as Array<{ key: string; title: string; requester: { id: string } }>;
    let killed = false;
    for (let i = 0; i < N; i++) {
      await mail.send({ from: sender(i), subject: `chaos mail ${i}: the printer on desk ${i} is broken`, text: `Desk ${i}.` });
      if (i === 12) {
        // Killed once the first tickets are stored, with the rest of these mails in flight.
        for (let w = 0; w < 300 && (await tickets()).length < 3; w++) await sleep(100);
        killed = (await tickets()).length < 13;
        await app.kill9();
        app = await startAppProcess(env, port);
      }
      await sleep(50);
    }
    expect(killed).toBe(true);
    const deadline = Date.now() + 150_000;
    // The confirmation only (the desk may also offer a possible duplicate in the same thread).
    const confirmed = async (i: number, key: string) =>
      (await mail.inbox(sender(i))).filter((m) => m.subject?.includes(`[${key}]`) && m.text?.includes(`Your ticket ${key} `));
    let all = await tickets();
    while (Date.now() < deadline) {
      all = await tickets();
      if (all.length >= N && (await mail.unseen()) === 0) {
        const waiting = await Promise.all(all.map(async (t) => (await confirmed(Number(/\d+/.exec(t.requester.id)?.[0]), t.key)).length === 0));
        if (!waiting.some(Boolean)) break;
      }
      await sleep(500);
    }
    const titles = all.map((t) => t.title);
    expect(titles.length).toBe(new Set(titles).size); // no mail opened two tickets
    for (let i = 0; i < N; i++) expect(titles).toContain(`chaos mail ${i}: the printer on desk ${i} is broken`); // none lost
    let again = 0;
    for (const t of all) {
      const i = Number(/\d+/.exec(t.requester.id)?.[0]);
      const mails = await confirmed(i, t.key);
      expect({ key: t.key, confirmed: mails.length >= 1 }).toEqual({ key: t.key, confirmed: true });
      expect(new Set(mails.map((m) => m.messageId)).size).toBe(1); // a second send is the same mail (same Message-ID)
      again += mails.length - 1;
    }
    expect(again).toBeLessThanOrEqual(8); // at most the sends in flight at the kill
  });
});
