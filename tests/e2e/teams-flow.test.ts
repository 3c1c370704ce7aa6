/**
 * Teams specifics on real parts: the Teams SDK inside chatdesk, the Teams
 * emulator over HTTP (Bot Framework auth, Entra token endpoint, Bot Connector),
 * the embedded database.
 */
import jwt from 'jsonwebtoken';
import crypto from 'node:crypto';
import type { Chatdesk } from '../../src/app';
import { startTeamsEmulator, type TeamsEmulator, type TeamsUser } from '../emulators/teams';
import { adaptiveCardOf, cardActions, cardText, dialogErrors, fillInputs, findAction } from '../emulators/teams/client';
import { messageActivity, postActivity, sendCardAction, sendMessage, sendTaskFetch, sendTaskSubmit } from '../emulators/teams/inbound';
import { startTestApp } from '../support/test-app';
import { teamsEnv } from '../support/teams-env';
import { waitFor } from '../emulators/shared';

const AGENTS = '19:agents-e2e@thread.tacv2';
const GENERAL = '19:general-e2e@thread.tacv2';

describe('Teams: commands, cards and dialogs through the Teams SDK', () => {
  let emu: TeamsEmulator;
  let app: Chatdesk;
  let endpoint: string;
  let alice: TeamsUser;
  let bob: TeamsUser;
  let carol: TeamsUser;

  beforeAll(async () => {
    emu = await startTeamsEmulator();
    alice = emu.addUser({ id: '29:1alice', name: 'Alice Requester' });
    bob = emu.addUser({ id: '29:1bob', name: 'Bob Agent' });
    carol = emu.addUser({ id: '29:1carol', name: 'Carol Agent' });
    emu.addChannel(AGENTS, 'Agents');
    emu.addChannel(GENERAL, 'General');
    app = await startTestApp(teamsEnv(emu, AGENTS), { label: 'teams-e2e' });
    endpoint = `${app.url}/teams/messages`;
  });

  afterAll(async () => {
    await app?.stop();
    await emu?.close();
  });

  afterEach(() => {
    expect(emu.schemaViolations).toEqual([]);
  });

  const count = async (title: string) => (await app.store.tickets.list({ limit: 500 })).filter((t) => t.title === title).length;
  const cardFor = (key: string) => {
    const post = emu.rootPosts(AGENTS).find((a) => cardText(adaptiveCardOf(a.activity) ?? {}).startsWith(`${key} `));
    if (!post) throw new Error(`no card for ${key}`);
    return { id: post.id, card: adaptiveCardOf(post.activity)!, versions: post.history.length };
  };

  it('refuses an activity whose serviceUrl is not on the allowlist before doing anything', async () => {
    const activity = messageActivity(emu, alice, { channel: GENERAL }, 'ticket Phishing mail from the CEO');
    const callsBefore = emu.calls.length;
    // Correctly signed for that URL: only the allowlist stops it.
    const res = await postActivity(emu, endpoint, { ...activity, serviceUrl: 'https://attacker.example/amer/' });
    expect(res.status).toBe(403);
    await new Promise((r) => setTimeout(r, 200));
    expect(await count('Phishing mail from the CEO')).toBe(0);
    expect(emu.calls.length).toBe(callsBefore); // no token fetched, no reply sent anywhere
  });

  it("answers 401 to tokens that are not the Bot Framework's for this bot and this serviceUrl", async () => {
    const activity = messageActivity(emu, alice, { channel: GENERAL }, 'ticket Forged token');
    const send = (token: string) =>
      fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(activity) });
    const otherAudience = emu.keys.inboundToken({ appId: emu.appId, serviceUrl: emu.serviceUrl, audience: crypto.randomUUID() });
    const otherServiceUrl = emu.keys.inboundToken({ appId: emu.appId, serviceUrl: `${emu.url}/emea/` });
    const entraIssued = jwt.sign(
      { iss: `https://login.microsoftonline.com/${emu.tenantId}/v2.0`, aud: emu.appId, tid: emu.tenantId },
      crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      { algorithm: 'RS256' },
    );
    for (const token of [otherAudience, otherServiceUrl, entraIssued, 'not-a-jwt']) expect((await send(token)).status).toBe(401);
    expect(await count('Forged token')).toBe(0);
  });

  it('fetches its bot token with client credentials and calls the Bot Connector with it', async () => {
    const res = await sendMessage(emu, endpoint, alice, { channel: GENERAL }, 'ticket Keyboard is missing keys');
    await app.intake.idle(); // acknowledged first, worked on right after
    expect(res.status).toBe(200);
    const token = await emu.waitForCall('token');
    expect(token.args).toMatchObject({
      tenant: emu.tenantId,
      grant_type: 'client_credentials',
      client_id: emu.appId,
      scope: 'https://api.botframework.com/.default',
    });
    await emu.waitForCall('activities.create', (c) => c.args.conversationId === AGENTS && c.status === 201);
    expect(emu.callsTo('token')).toHaveLength(1); // cached, not fetched per call
    expect(emu.calls.filter((c) => c.status === 401)).toEqual([]);
  });

  it('answers a card click with the updated card, updates the channel card in place and tells a late clicker privately', async () => {
    await sendMessage(emu, endpoint, alice, { channel: GENERAL }, 'ticket Docking station flickers');
    await app.intake.idle(); // acknowledged first, worked on right after
    const ticket = (await app.store.tickets.list({ limit: 500 })).find((t) => t.title === 'Docking station flickers')!;
    const { id, card } = cardFor(ticket.key);
    const claim = findAction(card, (a) => a.verb === 'claim')!;
    const res = await sendCardAction(emu, endpoint, bob, { channel: AGENTS, messageId: id }, { verb: 'claim', data: claim.data });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(cardText(res.json!.value)).toContain('Claimed by Bob Agent');
    expect(cardActions(res.json!.value)).not.toContain('claim');
    await emu.waitForCall('activities.update', (c) => c.args.conversationId === AGENTS && c.args.id === id && c.status === 200);
    expect(cardText(cardFor(ticket.key).card)).toContain('Claimed by Bob Agent');
    expect(emu.rootPosts(AGENTS).filter((a) => cardText(adaptiveCardOf(a.activity) ?? {}).startsWith(`${ticket.key} `))).toHaveLength(1);

    const late = await sendCardAction(emu, endpoint, carol, { channel: AGENTS, messageId: id }, { verb: 'claim', data: claim.data });
    expect(late.json).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: `${ticket.key} is already claimed by Bob Agent.` });
    expect((await app.desk.findTicket(ticket.id)).assignee?.id).toBe(bob.id);
  });

  it('retries a 5xx on the card update and a 429 on the DM; nothing is lost', async () => {
    await sendMessage(emu, endpoint, alice, { channel: GENERAL }, 'ticket Projector in room 4 is dead');
    await app.intake.idle(); // acknowledged first, worked on right after
    const ticket = (await app.store.tickets.list({ limit: 500 })).find((t) => t.title === 'Projector in room 4 is dead')!;
    const { id, card } = cardFor(ticket.key);
    emu.failNext('activities.update', { status: 503 });
    emu.failNext('activities.create', { status: 429, retryAfterSec: 1 });
    const res = await sendCardAction(
      emu,
      endpoint,
      bob,
      { channel: AGENTS, messageId: id },
      { verb: 'escalate', data: findAction(card, (a) => a.verb === 'escalate')!.data },
    );
    // The clicker is told what the escalation did (this desk has no escalation contact); the card itself is updated in place.
    expect(res.json).toMatchObject({ type: 'application/vnd.microsoft.activity.message', value: expect.stringContaining(`Escalated ${ticket.key} to `) });
    expect(String(res.json?.value)).toContain('No one else was told');
    // The card update and the requester's line go out through the outbox after the click is answered.
    await emu.waitForCall('activities.update', (c) => c.args.id === id && c.status === 200);
    expect(
      emu
        .callsTo('activities.update')
        .filter((c) => c.args.id === id)
        .map((c) => c.status),
    ).toEqual([503, 200]);
    await waitFor(() => emu.privateTexts(alice.id).some((p) => p.text.includes('was escalated to priority')));
  });

  it('shows the dialog field errors next to the fields, keeps the typed values, stores nothing', async () => {
    const where = { channel: GENERAL };
    await sendMessage(emu, endpoint, alice, where, 'ticket');
    await app.intake.idle(); // acknowledged first, worked on right after
    const launcher = emu
      .activities(GENERAL)
      .reverse()
      .find((a) => a.targetedTo === alice.id && adaptiveCardOf(a.activity))!;
    expect(launcher).toBeDefined();
    const open = findAction(adaptiveCardOf(launcher.activity)!, (a) => a.data?.msteams?.type === 'task/fetch')!;
    const fetched = await sendTaskFetch(emu, endpoint, alice, where, open.data);
    expect(fetched.json?.task?.type).toBe('continue');
    let card = fetched.json!.task.value.card.content;
    expect(fillInputs(card, {})).toMatchObject({ type: 'incident', affected_service: '' });

    // Type switch: the dialog is re-rendered with the access type's own fields, the title kept.
    const refresh = findAction(card, (a) => a.data?.chatdesk_step === 'refresh')!;
    const switched = await sendTaskSubmit(emu, endpoint, alice, where, { ...fillInputs(card, { type: 'access', title: 'Finance share' }), ...refresh.data });
    card = switched.json!.task.value.card.content;
    expect(fillInputs(card, {})).toEqual({ type: 'access', title: 'Finance share', description: '', system: '', justification: '' });

    const submit = findAction(card, (a) => a.data?.chatdesk_step === 'submit')!;
    const bad = await sendTaskSubmit(emu, endpoint, alice, where, { ...fillInputs(card, { title: '   ', justification: 'Quarter close' }), ...submit.data });
    expect(bad.status).toBe(200);
    expect(bad.json?.task?.type).toBe('continue');
    const shown = bad.json!.task.value.card.content;
    expect(dialogErrors(shown)).toEqual({ title: 'required', system: 'required' });
    expect(fillInputs(shown, {})).toMatchObject({ type: 'access', justification: 'Quarter close' });
    expect((await app.store.tickets.list({ limit: 500 })).filter((t) => t.fields.justification === 'Quarter close')).toHaveLength(0);

    const ok = await sendTaskSubmit(emu, endpoint, alice, where, { ...fillInputs(shown, { title: 'Finance share', system: 'finance-share' }), ...submit.data });
    expect(ok.json?.task?.type).toBe('message');
    const ticket = (await app.store.tickets.list({ limit: 500 })).find((t) => t.fields.justification === 'Quarter close')!;
    expect(ticket).toMatchObject({ type: 'access', title: 'Finance share', fields: { system: 'finance-share' } });
    expect(ok.json!.task.value).toContain(ticket.key);
  });

  it('the dialog\'s "Needed by" date picker starts at today, and a past date is refused next to the field', async () => {
    const where = { channel: GENERAL };
    await sendMessage(emu, endpoint, alice, where, 'ticket');
    await app.intake.idle();
    const launcher = emu
      .activities(GENERAL)
      .reverse()
      .find((a) => a.targetedTo === alice.id && adaptiveCardOf(a.activity))!;
    const open = findAction(adaptiveCardOf(launcher.activity)!, (a) => a.data?.msteams?.type === 'task/fetch')!;
    let card = (await sendTaskFetch(emu, endpoint, alice, where, open.data)).json!.task.value.card.content;
    const refresh = findAction(card, (a) => a.data?.chatdesk_step === 'refresh')!;
    card = (await sendTaskSubmit(emu, endpoint, alice, where, { ...fillInputs(card, { type: 'request', title: 'Docking station' }), ...refresh.data })).json!
      .task.value.card.content;
    const today = app.desk.today();
    const picker = (card.body as Array<{ type: string; id?: string; min?: string }>).find((e) => e.id === 'needed_by');
    expect(picker).toMatchObject({ type: 'Input.Date', min: today });

    const submit = findAction(card, (a) => a.data?.chatdesk_step === 'submit')!;
    const past = new Date(Date.parse(`${today}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10);
    const bad = await sendTaskSubmit(emu, endpoint, alice, where, { ...fillInputs(card, { needed_by: past }), ...submit.data });
    expect(dialogErrors(bad.json!.task.value.card.content)).toEqual({ needed_by: `must be today (${today}) or later` });
    expect((await app.store.tickets.list({ limit: 500 })).filter((t) => t.title === 'Docking station')).toHaveLength(0);
  });

  it('escapes markdown in user text: a title cannot format or link on the card', async () => {
    await sendMessage(emu, endpoint, alice, { personal: true }, 'ticket **urgent** [click](https://evil.example) _now_');
    await app.intake.idle(); // acknowledged first, worked on right after
    const ticket = (await app.store.tickets.list({ limit: 500 })).find((t) => t.title.startsWith('**urgent**'))!;
    const title = (cardFor(ticket.key).card.body as Array<{ text?: string }>)[0]!.text;
    expect(title).toBe(`${ticket.key} · \\*\\*urgent\\*\\* \\[click\\]\\(https://evil.example\\) \\_now\\_`);
    // In the 1:1 chat the confirmation is an ordinary reply.
    expect(
      emu
        .privateTexts(alice.id)
        .filter((p) => p.via === 'dm')
        .map((p) => p.text)
        .join('\n'),
    ).toContain(`Created ${ticket.key}`);
  });

  it("answers help and escalations in the 1:1 chat; other text goes to the sender's ticket, or asks which one", async () => {
    const before = emu.privateTexts(alice.id).length;
    await sendMessage(emu, endpoint, alice, { personal: true }, 'ticket help');
    await app.intake.idle(); // acknowledged first, worked on right after
    await sendMessage(emu, endpoint, alice, { personal: true }, 'ticket escalations');
    await app.intake.idle(); // acknowledged first, worked on right after
    // Alice has several open tickets here: she is asked to name one rather than the text landing on a guess.
    await sendMessage(emu, endpoint, alice, { personal: true }, 'hello there');
    await app.intake.idle(); // acknowledged first, worked on right after
    const texts = emu
      .privateTexts(alice.id)
      .slice(before)
      .map((p) => p.text);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain('Open a ticket');
    expect(texts[1]).toBe('You have no open escalations.');
    expect(texts[2]).toMatch(/You have several open tickets \\\(T-\d+/);
  });
});
