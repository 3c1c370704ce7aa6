/**
 * Message → ticket and the ticket emoji on Slack, the cases the contract does
 * not cover: a message the bot cannot read, a message inside a thread, a form
 * emptied before it is submitted, a redelivered reaction event.
 */
import type { Chatdesk } from '../../src/app';
import { eventually } from '../contract/adapter-contract';
import { slackDriver } from '../contract/drivers/slack.driver';
import { sendEvent, sendMessageShortcut, sendViewSubmission } from '../emulators/slack/inbound';
import { waitFor } from '../emulators/shared';

describe('Slack: message → ticket, bad input', () => {
  const driver = slackDriver();
  let app: Chatdesk;
  const GENERAL = 'C0GENERAL';
  const events = () => `${app.url}/slack/events`;
  const ticketsMentioning = async (text: string) => (await app.store.tickets.list({ limit: 200 })).filter((x) => x.title.includes(text));

  beforeAll(async () => {
    app = await driver.start();
  }, 60_000);
  afterAll(async () => {
    await driver.stop();
  });

  it('the ticket emoji on a message the bot cannot read (deleted) opens nothing and tells the reactor why', async () => {
    const emu = driver.emulator();
    const gone = emu.nextTs(); // never posted: as a deleted message
    await driver.react!(driver.stranger, gone);
    await eventually(async () => {
      expect((await driver.privateTexts(driver.stranger)).join('\n')).toContain('I cannot read that message');
    });
    expect((await app.store.tickets.list({ limit: 200 })).some((x) => x.description.includes(gone))).toBe(false);
  });

  it('a reaction event delivered twice (Slack retries) opens one ticket', async () => {
    const emu = driver.emulator();
    const text = `Printer queue stuck on floor 2 ${Date.now()}`;
    const ts = await driver.channelMessage!(driver.requester, text);
    const event = {
      type: 'reaction_added',
      user: driver.agent.id,
      reaction: 'ticket',
      item: { type: 'message', channel: GENERAL, ts },
      item_user: driver.requester.id,
    };
    await sendEvent(emu, events(), event, { eventId: 'EvREACT1' });
    await sendEvent(emu, events(), event, { eventId: 'EvREACT1', retryNum: 1, retryReason: 'http_timeout' });
    await eventually(async () => expect(await ticketsMentioning(text)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 500));
    await app.intake.idle();
    expect(await ticketsMentioning(text)).toHaveLength(1);
  });

  it('a message inside a thread: the ticket is its author’s and the thread (not the channel) hears of it', async () => {
    const emu = driver.emulator();
    const root = emu.addUserMessage({ channel: GENERAL, user: driver.otherAgent.id, text: 'Anyone else without VPN today?' });
    const text = `Me too, the VPN client says certificate invalid ${Date.now()}`;
    const reply = emu.addUserMessage({ channel: GENERAL, user: driver.requester.id, text, thread_ts: root.ts });
    const triggerId = emu.triggerId();
    await sendMessageShortcut(emu, events(), {
      userId: driver.agent.id,
      callbackId: 'chatdesk_ticket_from_message',
      channelId: GENERAL,
      messageTs: reply.ts,
      triggerId,
    });
    await emu.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    const view = emu.lastView('chatdesk_new_ticket')!;
    const state = {
      type: { 'chatdesk:form_type': { type: 'static_select', selected_option: { value: 'incident' } } },
      title: { value: { type: 'plain_text_input', value: text } },
    };
    const res = await sendViewSubmission(emu, events(), {
      userId: driver.agent.id,
      view: { id: view.id, callback_id: 'chatdesk_new_ticket', private_metadata: String(view.private_metadata), state: { values: state } },
    });
    expect(res.status).toBe(200);
    let key = '';
    await eventually(async () => {
      const [ticket] = await ticketsMentioning(text);
      expect(ticket?.requester.id).toBe(driver.requester.id);
      key = ticket!.key;
      const inThread = emu.messages(GENERAL).filter((m) => m.bot_id && m.thread_ts === root.ts);
      expect(inThread.map((m) => m.text).join('\n')).toContain(`${key} was opened from this message`);
    });
    // Nothing about it at the channel's top level.
    expect(emu.messages(GENERAL).filter((m) => m.bot_id && !m.thread_ts && m.text.includes(key))).toEqual([]);
  });

  it('the shortcut form with its title emptied is refused in place; nothing is stored', async () => {
    const emu = driver.emulator();
    const text = `Keyboard types double letters ${Date.now()}`;
    const ts = await driver.channelMessage!(driver.requester, text);
    const triggerId = emu.triggerId();
    await sendMessageShortcut(emu, events(), {
      userId: driver.agent.id,
      callbackId: 'chatdesk_ticket_from_message',
      channelId: GENERAL,
      messageTs: ts,
      triggerId,
    });
    await waitFor(() => emu.callsTo('views.open').some((c) => c.args.trigger_id === triggerId));
    const view = emu.lastView('chatdesk_new_ticket')!;
    const state = {
      type: { 'chatdesk:form_type': { type: 'static_select', selected_option: { value: 'incident' } } },
      title: { value: { type: 'plain_text_input', value: '' } },
    };
    const res = await sendViewSubmission(emu, events(), {
      userId: driver.agent.id,
      view: { id: view.id, callback_id: 'chatdesk_new_ticket', private_metadata: String(view.private_metadata), state: { values: state } },
    });
    expect(res.json).toMatchObject({ response_action: 'errors', errors: { title: expect.any(String) } });
    await new Promise((r) => setTimeout(r, 300));
    expect((await app.store.tickets.list({ limit: 200 })).filter((x) => x.description.includes(text))).toEqual([]);
  });
});
