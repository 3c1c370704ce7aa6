/**
 * Discord specifics over the signed interactions endpoint (DISCORD_MODE=http):
 * PING, signatures, the modal as the first response, field errors, clicks
 * answered with "update message", escaping, DMs and rate limits. Real
 * discord.js REST inside chatdesk, the Discord emulator, the embedded database.
 */
import type { Chatdesk } from '../../src/app';
import { AGENTS, GENERAL, PEOPLE, startDiscordSetup, visible } from '../contract/drivers/discord.driver';
import type { DiscordEmulator } from '../emulators/discord';
import { messageText } from '../emulators/discord';
import { commandInteraction, componentInteraction, modalSubmitInteraction, sendViaHttp } from '../emulators/discord/inbound';
import { eventually } from '../contract/adapter-contract';

type Obj = Record<string, unknown>;
type Row = { components: Array<{ type: number; custom_id: string; label?: string; required?: boolean }> };

describe('Discord over the interactions endpoint', () => {
  let emu: DiscordEmulator;
  let app: Chatdesk;
  const endpoint = () => `${app.url}/discord/interactions`;
  const send = (payload: Obj) => sendViaHttp(emu, endpoint(), payload);
  const ticketTitled = async (title: string) => (await app.store.tickets.list({ limit: 500 })).find((t) => t.title === title);

  beforeAll(async () => {
    ({ emu, app } = await startDiscordSetup('http', 'discord-e2e-http'));
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await emu?.close();
  });
  afterEach(() => expect(emu.schemaViolations).toEqual([]));

  it('registers /ticket for the server at start, with the text option, the type choices and Chinese texts', () => {
    const put = emu.callsTo('putGuildCommands')[0];
    expect(put?.path).toBe(`/applications/${emu.applicationId}/guilds/${emu.guildId}/commands`);
    const [command] = (put?.body ?? []) as Array<{ name: string; description_localizations: Obj; options: Array<Obj & { choices?: Obj[] }> }>;
    expect(command?.name).toBe('ticket');
    expect(command?.description_localizations['zh-CN']).toBe('提交工单');
    expect(command?.options.map((o) => o.name)).toEqual(['text', 'type']);
    expect(command?.options[0]?.description_localizations).toMatchObject({ 'zh-CN': '一句话描述问题' });
    expect(command?.options[1]?.choices?.map((c) => c.value)).toEqual(['incident', 'request', 'access', 'question']);
  });

  it('answers a signed PING with PONG and refuses an unsigned one', async () => {
    const ping = { id: emu.state.snowflake(), application_id: emu.applicationId, type: 1, token: 'x', version: 1 };
    expect(await send(ping)).toEqual({ status: 200, body: { type: 1 } });
    expect((await sendViaHttp(emu, endpoint(), ping, 'unsigned')).status).toBe(401);
  });

  it('a stale but correctly signed command is refused before any handler runs', async () => {
    const before = emu.calls.length;
    const res = await sendViaHttp(
      emu,
      endpoint(),
      commandInteraction(emu, { userId: PEOPLE.requester.id, channelId: GENERAL, text: 'stale printer' }),
      'stale',
    );
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(emu.calls.slice(before)).toEqual([]);
    expect(await ticketTitled('stale printer')).toBeUndefined();
  });

  it('/ticket alone answers with the modal as its first response', async () => {
    const res = await send(commandInteraction(emu, { userId: PEOPLE.requester.id, channelId: GENERAL }));
    const body = res.body as { type: number; data: { custom_id: string; title: string; components: Row[] } };
    expect(body.type).toBe(9);
    expect(body.data.custom_id).toBe('cd:form:incident:en');
    const inputs = body.data.components.map((r) => r.components[0]!);
    expect(inputs.map((i) => i.custom_id)).toEqual(['title', 'description', 'affected_service', 'impact']);
    expect(inputs.every((i) => i.type === 4)).toBe(true);
  });

  it('a form with a bad value is refused with the field named in an ephemeral reply, and nothing is stored', async () => {
    const title = 'Payroll app shows a blank page';
    const submit = (impact: string) =>
      send(
        modalSubmitInteraction(emu, {
          userId: PEOPLE.requester.id,
          channelId: GENERAL,
          customId: 'cd:form:incident:en',
          values: { title, description: '', affected_service: 'payroll', impact },
        }),
      );
    const refused = await submit('the whole planet');
    expect(refused.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(visible(String((refused.body as { data: Obj }).data.content))).toContain('Who is affected: choose one of the listed options');
    await new Promise((r) => setTimeout(r, 200));
    expect(await ticketTitled(title)).toBeUndefined();

    const accepted = await submit('my team'); // an option typed by its label
    expect(accepted.body).toMatchObject({ type: 5, data: { flags: 64 } });
    await eventually(async () => expect((await ticketTitled(title))?.fields).toEqual({ affected_service: 'payroll', impact: 'team' }));
  });

  it('a click is answered with "update message" carrying the new card, with no separate edit', async () => {
    const title = 'Docking station has no video';
    await send(commandInteraction(emu, { userId: PEOPLE.requester.id, channelId: GENERAL, text: title }));
    let ticket = await ticketTitled(title);
    await eventually(async () => {
      ticket = await ticketTitled(title);
      expect(ticket?.agentCards).toHaveLength(1);
    });
    const card = emu.messages(AGENTS).find((m) => m.id === ticket!.agentCards[0]!.messageId)!;
    const edits = () => emu.callsTo('editMessage').filter((c) => c.params[1] === card.id).length;
    const editsBefore = edits();
    const res = await send(componentInteraction(emu, { userId: PEOPLE.agent.id, message: card, customId: `cd:claim:${ticket!.id}`, componentType: 2 }));
    const answeredInPlace = (res.body as { type?: number }).type === 7;
    if (answeredInPlace) expect(res.body).toMatchObject({ type: 7, data: { allowed_mentions: { parse: [] } } });
    // On a machine too busy to finish within the click budget the click is deferred (6) and the card is edited once instead.
    else expect(res.body).toMatchObject({ type: 6 });
    await eventually(async () => expect(visible(messageText(emu.messages(AGENTS).find((m) => m.id === card.id)!))).toContain('Claimed by Bob Agent'));
    const shown = emu.messages(AGENTS).find((m) => m.id === card.id)!;
    expect(shown.components.flatMap((r) => (r as Row).components.map((c) => c.custom_id))).not.toContain(`cd:claim:${ticket!.id}`);
    if (answeredInPlace) expect(edits()).toBe(editsBefore);
    else expect(edits()).toBeLessThanOrEqual(editsBefore + 1);

    // A second claim on the now claimed ticket: an ephemeral note to that agent only, the card untouched.
    const again = await send(componentInteraction(emu, { userId: PEOPLE.otherAgent.id, message: shown, customId: `cd:claim:${ticket!.id}`, componentType: 2 }));
    expect(again.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(visible(String((again.body as { data: Obj }).data.content))).toBe(`${ticket!.key} is already claimed by Bob Agent.`);
  });

  it('user text cannot format or ping: markdown escaped, mentions shown as text, allowed_mentions empty', async () => {
    const title = '**Urgent** @everyone <@1200000000000000002> _now_';
    await send(commandInteraction(emu, { userId: PEOPLE.requester.id, channelId: GENERAL, text: title }));
    let key = '';
    await eventually(async () => {
      const t = await ticketTitled(title);
      expect(t?.agentCards).toHaveLength(1);
      key = t!.key;
    });
    const post = emu.callsTo('createMessage').find((c) => c.params[0] === AGENTS && JSON.stringify(c.body).includes(key))!;
    const body = post.body as { embeds: Array<{ title: string }>; allowed_mentions: Obj };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0]!.title).toBe(`${key} · \\*\\*Urgent\\*\\* @everyone \\<@1200000000000000002> \\_now\\_`);
  });

  it('a requester with closed DMs gets the key in the ephemeral reply; later updates are replies in the DM thread', async () => {
    const title = 'Badge reader at door 2';
    emu.blockDirectMessages(PEOPLE.otherAgent.id);
    await send(commandInteraction(emu, { userId: PEOPLE.otherAgent.id, channelId: GENERAL, text: title }));
    await eventually(async () => {
      const t = await ticketTitled(title);
      expect(t?.agentCards).toHaveLength(1);
      expect(emu.privateTexts(PEOPLE.otherAgent.id).map(visible)).toContain(`Created ${t!.key}. Follow it in your DM with the bot.`);
    });
    expect(emu.calls.some((c) => c.method === 'createMessage' && c.status === 403)).toBe(true);

    // The requester who can get DMs: the claim note replies to the confirmation.
    const other = 'Keyboard missing keys';
    await send(commandInteraction(emu, { userId: PEOPLE.requester.id, channelId: GENERAL, text: other }));
    let ticket = await ticketTitled(other);
    await eventually(async () => {
      ticket = await ticketTitled(other);
      expect(ticket?.requesterThread).toBeDefined();
      expect(ticket?.agentCards).toHaveLength(1);
    });
    const card = emu.messages(AGENTS).find((m) => m.id === ticket!.agentCards[0]!.messageId)!;
    await send(componentInteraction(emu, { userId: PEOPLE.agent.id, message: card, customId: `cd:claim:${ticket!.id}`, componentType: 2 }));
    await eventually(() => {
      const dm = emu.messages(ticket!.requesterThread!.channelId);
      const note = dm.find((m) => visible(m.content).includes(`working on your ticket ${ticket!.key}`));
      expect(note?.message_reference).toMatchObject({ message_id: ticket!.requesterThread!.messageId });
    });
  });

  it('a 429 (Retry-After, X-RateLimit-*, retry_after) delays the card by the wait Discord asked for; it is posted once', async () => {
    const title = 'Teams calls drop after 10 minutes';
    emu.failNext('createMessage', { status: 429, retryAfterSec: 1 });
    const since = emu.calls.length;
    await send(commandInteraction(emu, { userId: PEOPLE.requester.id, channelId: GENERAL, text: title }));
    await eventually(async () => expect((await ticketTitled(title))?.agentCards).toHaveLength(1));
    const posts = emu.calls.slice(since).filter((c) => c.method === 'createMessage');
    const limited = posts.find((c) => c.status === 429)!;
    const retried = posts.find((c) => c.at > limited.at && JSON.stringify(c.body) === JSON.stringify(limited.body))!;
    expect(retried.status).toBe(200);
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(900);
    const key = (await ticketTitled(title))!.key;
    expect(emu.messages(AGENTS).filter((m) => visible(messageText(m)).includes(key))).toHaveLength(1);
  });
});
