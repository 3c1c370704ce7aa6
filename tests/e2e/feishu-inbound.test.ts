/**
 * Feishu's inbound edge on real parts: chatdesk's routes, the real SDK's
 * dispatcher, the Feishu emulator signing and encrypting like Feishu.
 */
import crypto from 'node:crypto';
import type { Chatdesk } from '../../src/app';
import { FeishuDriver } from '../contract/drivers/feishu.driver';
import type { FeishuEmulator } from '../emulators/feishu';
import { waitFor } from '../emulators/shared';
import { encryptLark, envelope, postLark, sendTextMessage, sendUrlVerification, signLark, textMessageEvent } from '../emulators/feishu/inbound';

describe('Feishu inbound: verification before the SDK sees anything', () => {
  const driver = new FeishuDriver('feishu-e2e-inbound');
  let app: Chatdesk;
  let emu: FeishuEmulator;
  let events: string;
  const titled = async (title: string) => (await app.store.tickets.list({ limit: 500 })).filter((t) => t.title === title);

  beforeAll(async () => {
    app = await driver.start();
    emu = driver.emulator;
    events = `${app.url}/feishu/events`;
  }, 60_000);
  afterAll(() => driver.stop());
  afterEach(() => expect(emu.schemaViolations).toEqual([]));

  it('answers the console’s url_verification (encrypted, unsigned) on both routes, and only with our token', async () => {
    const challenge = crypto.randomUUID();
    for (const path of ['/feishu/events', '/feishu/card']) {
      const res = await sendUrlVerification(emu, `${app.url}${path}`, { challenge });
      expect(res).toMatchObject({ status: 200, json: { challenge } });
    }
    const foreign = await sendUrlVerification(emu, events, { challenge, token: 'another-apps-token' });
    expect(foreign.status).toBe(401);
    expect(foreign.json).not.toHaveProperty('challenge');
  });

  it('verifies the signature over the raw bytes: a pretty-printed body signed as sent is accepted', async () => {
    const title = `Badge reader at door 2 ${Date.now()}`;
    const res = await sendTextMessage(emu, events, { openId: driver.requester.id, text: `/ticket ${title}`, spaced: true });
    expect(res.status).toBe(200);
    await waitFor(async () => (await titled(title)).length === 1, { message: 'the ticket from the spaced body' });
  });

  it('refuses a signed event whose Verification Token is not ours, and runs no handler', async () => {
    const title = `Token mismatch ${Date.now()}`;
    const { payload } = textMessageEvent(emu, { openId: driver.requester.id, text: `/ticket ${title}` });
    (payload.header as Record<string, unknown>).token = 'token-of-another-app';
    const res = await postLark(emu, events, payload);
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await titled(title)).toHaveLength(0);
  });

  it('refuses a replay of a captured request once its timestamp is 5 minutes old', async () => {
    const title = `Replayed ${Date.now()}`;
    const { payload } = textMessageEvent(emu, { openId: driver.requester.id, text: `/ticket ${title}` });
    const body = JSON.stringify({ encrypt: encryptLark(emu.encryptKey, JSON.stringify(payload)) });
    const timestamp = String(Math.floor(Date.now() / 1000) - 301);
    const nonce = 'n0nce';
    const res = await fetch(events, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-lark-request-timestamp': timestamp,
        'x-lark-request-nonce': nonce,
        'x-lark-signature': signLark(timestamp, nonce, emu.encryptKey, body),
      },
      body,
    });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await titled(title)).toHaveLength(0);
  });

  it('ignores group messages that do not @mention the bot, and other events', async () => {
    const title = `Said in passing ${Date.now()}`;
    const { payload } = textMessageEvent(emu, { openId: driver.requester.id, text: `/ticket ${title}`, groupChatId: 'oc_lobby' });
    const event = payload.event as { message: Record<string, unknown> };
    event.message.content = JSON.stringify({ text: `/ticket ${title}` });
    delete event.message.mentions;
    expect((await postLark(emu, events, payload)).status).toBe(200);
    expect((await postLark(emu, events, envelope(emu, 'im.chat.member.user.added_v1', { chat_id: 'oc_lobby' }))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await titled(title)).toHaveLength(0);
    expect(emu.messages('oc_lobby').filter((m) => m.sender.type === 'app')).toHaveLength(0);
  });
});
