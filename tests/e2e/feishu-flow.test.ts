/**
 * Feishu specifics a person notices: Chinese commands answered in Chinese,
 * the bot menu's form card (type switch, date picker), group @mentions, and
 * user text that cannot mention everyone.
 */
import type { Chatdesk } from '../../src/app';
import { FeishuDriver } from '../contract/drivers/feishu.driver';
import type { FeishuEmulator } from '../emulators/feishu';
import { callbackValue, cardOf, cardText, findElement, formErrors, messageText } from '../emulators/feishu/card-view';
import { sendBotMenu, sendCardAction, sendTextMessage } from '../emulators/feishu/inbound';
import { waitFor } from '../emulators/shared';

describe('Feishu: what people see', () => {
  const driver = new FeishuDriver('feishu-e2e-flow');
  let app: Chatdesk;
  let emu: FeishuEmulator;
  let events: string;
  let cards: string;
  const alice = driver.requester;
  const dmTexts = () =>
    emu
      .messages(emu.p2pChatFor(alice.id))
      .filter((m) => m.sender.type === 'app')
      .map(messageText);

  beforeAll(async () => {
    app = await driver.start();
    emu = driver.emulator;
    events = `${app.url}/feishu/events`;
    cards = `${app.url}/feishu/card`;
  }, 60_000);
  afterAll(() => driver.stop());
  afterEach(() => expect(emu.schemaViolations).toEqual([]));

  it('answers `/工单 打印机坏了` in Chinese: the DM confirmation, and a card in the agent group', async () => {
    const res = await sendTextMessage(emu, events, { openId: alice.id, text: '/工单 打印机坏了' });
    expect(res.status).toBe(200);
    const ticket = await waitFor(async () => (await app.store.tickets.list({ limit: 50 })).find((t) => t.title === '打印机坏了' && t.agentCards.length === 1));
    expect(ticket.requester).toMatchObject({ platform: 'feishu', id: alice.id, name: 'Alice Wang' });
    await waitFor(() => dmTexts().some((t) => t.includes(`你的工单 ${ticket.key}「打印机坏了」已创建`)), { describe: () => dmTexts().join('\n') });
    expect(dmTexts().join('\n')).not.toMatch(/Your ticket/);
    expect((await driver.cards(ticket))[0]?.text).toContain(`${ticket.key} · 打印机坏了`);
  });

  it('answers an @mention in a group as a reply to it, in the writer’s language', async () => {
    const res = await sendTextMessage(emu, events, { openId: alice.id, text: '/工单 帮助', groupChatId: 'oc_lobby' });
    expect(res.status).toBe(200);
    const reply = await waitFor(() => emu.messages('oc_lobby').find((m) => m.parentId === res.message.messageId));
    expect(messageText(reply)).toContain('提交工单');
  });

  it('the bot menu opens the form card; the type switch re-renders it; a date comes back as a date', async () => {
    const chat = emu.p2pChatFor(alice.id);
    const before = emu.messages(chat).length;
    expect((await sendBotMenu(emu, events, { openId: alice.id, eventKey: 'new_ticket' })).status).toBe(200);
    const form = await waitFor(() =>
      emu
        .messages(chat)
        .slice(before)
        .find((m) => !!findElement(cardOf(m), (e) => e.tag === 'form')),
    );
    expect(cardText(cardOf(form))).toContain('New ticket');
    expect(findElement(cardOf(form), (e) => e.tag === 'date_picker')).toBeUndefined();

    const typeSwitch = findElement(cardOf(form), (e) => e.element_id === 'type_switch')!;
    const switched = await sendCardAction(emu, cards, {
      openId: alice.id,
      messageId: form.messageId,
      tag: 'select_static',
      value: callbackValue(typeSwitch)!,
      option: 'request',
    });
    expect(switched.status).toBe(200);
    const requestForm = cardOf(emu.message(form.messageId));
    expect(findElement(requestForm, (e) => e.tag === 'date_picker' && e.name === 'needed_by')).toBeDefined();

    const submit = findElement(requestForm, (e) => e.form_action_type === 'submit')!;
    const bad = await sendCardAction(emu, cards, {
      openId: alice.id,
      messageId: form.messageId,
      tag: 'button',
      value: callbackValue(submit)!,
      formValue: { title: 'New monitor', needed_by: 'next week' },
    });
    expect(bad.status).toBe(200);
    expect(formErrors(cardOf(emu.message(form.messageId)))).toEqual({ needed_by: expect.stringMatching(/date/) });
    // The refused form keeps what was typed.
    expect(findElement(cardOf(emu.message(form.messageId)), (e) => e.name === 'title')?.default_value).toBe('New monitor');

    const good = await sendCardAction(emu, cards, {
      openId: alice.id,
      messageId: form.messageId,
      tag: 'button',
      value: callbackValue(submit)!,
      formValue: { title: 'New monitor', needed_by: '2099-12-01 +0800' },
    });
    expect(good.json).toMatchObject({ toast: { type: 'success' } });
    const ticket = await waitFor(async () => (await app.store.tickets.list({ limit: 50 })).find((t) => t.title === 'New monitor'));
    expect(ticket).toMatchObject({ type: 'request', fields: { needed_by: '2099-12-01' } });
    expect(cardText(cardOf(emu.message(form.messageId)))).toContain(`Created ${ticket.key}`);
  });

  it('user text cannot mention everyone or inject markup, and still reads as typed', async () => {
    const title = 'VPN <at user_id="all">everyone</at> **now** [x](https://evil.example)';
    await sendTextMessage(emu, events, { openId: alice.id, text: `/ticket ${title}` });
    const ticket = await waitFor(async () => (await app.store.tickets.list({ limit: 50 })).find((t) => t.title === title && t.agentCards.length === 1));
    const [card] = await driver.cards(ticket);
    expect(card?.text).toContain(title);
    await waitFor(() => dmTexts().some((t) => t.includes(ticket.key)));
    expect(emu.schemaViolations).toEqual([]); // no <at … all> reached Feishu, in the card or the DM
    expect(
      dmTexts()
        .find((t) => t.includes(ticket.key))
        ?.replace(/\u200b/g, ''),
    ).toContain(title);

    // A form field lands in the card's markdown facts: escaped, so it shows as typed and pings nobody.
    const system = '<at id=all></at> *finance* [share](https://evil.example)';
    expect(await driver.submitForm(alice, { type: 'access', title: 'Finance share access', fields: { system } })).toEqual({});
    const access = await waitFor(async () =>
      (await app.store.tickets.list({ limit: 50 })).find((t) => t.title === 'Finance share access' && t.agentCards.length === 1),
    );
    const [accessCard] = await driver.cards(access);
    expect(accessCard?.text).toContain(`System: ${system}`);
    expect(JSON.stringify(cardOf(emu.message(access.agentCards[0]!.messageId)))).not.toMatch(/<at|\[share\]\(/);
  });

  it('a slow Feishu API still gets the click answered within 3 s (the card update is sent after); the card catches up in place', async () => {
    await sendTextMessage(emu, events, { openId: alice.id, text: '/ticket Docking station dead' });
    const ticket = await waitFor(async () =>
      (await app.store.tickets.list({ limit: 50 })).find((t) => t.title === 'Docking station dead' && t.agentCards.length === 1),
    );
    const messageId = ticket.agentCards[0]!.messageId;
    emu.failNext('im.message.patch', { delayMs: 3200 });
    const claim = findElement(cardOf(emu.message(messageId)), (e) => callbackValue(e)?.action === 'claim')!;
    const res = await sendCardAction(emu, cards, { openId: driver.agent.id, messageId, tag: 'button', value: callbackValue(claim)! });
    expect(res.ms).toBeLessThan(3000);
    // The claim is stored and answered at once, with the card as it now is; the slow patch goes out through the outbox afterwards.
    expect(res.json).toMatchObject({ toast: { type: 'success' } });
    expect(JSON.stringify(res.json)).toContain('Claimed by Bob Li');
    await waitFor(() => cardText(cardOf(emu.message(messageId))).includes('Claimed by Bob Li'), { timeoutMs: 6000 });
  }, 15_000);
});
