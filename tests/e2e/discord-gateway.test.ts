/**
 * Discord specifics over the Gateway (DISCORD_MODE=gateway): the real
 * discord.js Client logs in to the emulated Gateway at start, answers
 * interactions through the callback endpoint (204, no body), reads text
 * commands typed in a DM, and disconnects on stop. (Reconnects are not covered.)
 */
import type { Chatdesk } from '../../src/app';
import { eventually } from '../contract/adapter-contract';
import { GENERAL, PEOPLE, startDiscordSetup, visible } from '../contract/drivers/discord.driver';
import type { DiscordEmulator } from '../emulators/discord';
import { commandInteraction, sendDirectMessage, sendViaGateway } from '../emulators/discord/inbound';

describe('Discord over the Gateway', () => {
  let emu: DiscordEmulator;
  let app: Chatdesk;
  let stopped = false;

  beforeAll(async () => {
    // No public key: a Gateway bot needs none, and then no interactions endpoint is mounted.
    ({ emu, app } = await startDiscordSetup('gateway', 'discord-e2e-gateway', { DISCORD_PUBLIC_KEY: '' }));
  }, 60_000);
  afterAll(async () => {
    if (!stopped) await app?.stop();
    await emu?.close();
  });
  afterEach(() => expect(emu.schemaViolations).toEqual([]));

  it('logs in at start: gateway URL from REST, IDENTIFY with the bot token, one live session', () => {
    expect(emu.callsTo('getGatewayBot')).toHaveLength(1);
    expect(emu.gateway.received.filter((e) => e.op === 2)).toHaveLength(1);
    expect(emu.gateway.identifiedSessions()).toBe(1);
    expect(emu.callsTo('putGuildCommands')[0]?.status).toBe(200);
  });

  it('does not mount the interactions endpoint without a public key', async () => {
    const res = await fetch(`${app.url}/discord/interactions`, { method: 'POST', body: '{"type":1}' });
    expect(res.status).toBe(404);
  });

  it('answers /ticket alone with the modal through the callback endpoint, which answers 204 with no body', async () => {
    const call = await sendViaGateway(emu, commandInteraction(emu, { userId: PEOPLE.requester.id, channelId: GENERAL }));
    expect(call).toMatchObject({ status: 204, via: 'rest', body: { type: 9, data: { custom_id: 'cd:form:incident:en' } } });
    const earlier = emu.calls.filter((c) => c.at < call.at && c.params.includes(call.params[1] as string));
    expect(earlier).toEqual([]); // nothing (no deferral) before the modal
  });

  it('opens a ticket from a text command typed in a DM with the bot and answers there', async () => {
    const dm = emu.state.dmChannelFor(PEOPLE.requester.id);
    const { id } = sendDirectMessage(emu, { userId: PEOPLE.requester.id, content: 'ticket Projector in room 4 shows no signal' });
    await eventually(async () => {
      const ticket = (await app.store.tickets.list({ limit: 50 })).find((t) => t.title === 'Projector in room 4 shows no signal');
      expect(ticket?.agentCards).toHaveLength(1);
      const reply = emu.messages(dm.id).find((m) => m.message_reference?.message_id === id);
      expect(visible(reply?.content ?? '')).toBe(`Created ${ticket!.key}. Follow it in your DM with the bot.`);
    });
  });

  it('bound to its server (DISCORD_GUILD_ID): a DM from someone outside it is dropped, nothing stored, no answer', async () => {
    const outsider = '1200000000000000099';
    emu.addUser({ id: outsider, username: 'olga', globalName: 'Olga Outsider', outsideGuild: true });
    const posts = () => emu.callsTo('createMessage').length;
    const before = posts();
    sendDirectMessage(emu, { userId: outsider, content: 'ticket Printer in another company' });
    await eventually(() => expect(emu.callsTo('getGuildMember').some((c) => c.params.includes(outsider) && c.status === 404)).toBe(true));
    await new Promise((r) => setTimeout(r, 500));
    expect((await app.store.tickets.list({ limit: 50 })).some((t) => t.title === 'Printer in another company')).toBe(false);
    expect(await app.store.connection.db!.collection('inbox').countDocuments({ 'event.user.id': outsider })).toBe(0);
    expect(posts()).toBe(before);
  });

  it('closes the gateway session on stop', async () => {
    await app.stop();
    stopped = true;
    await eventually(() => expect(emu.gateway.identifiedSessions()).toBe(0));
  });
});
