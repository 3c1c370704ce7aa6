/** The Discord emulator against the real @discordjs/rest client (as re-exported by discord.js). */
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { type DiscordEmulator, startDiscordEmulator } from './index';
import { commandInteraction } from './inbound';

describe('Discord emulator', () => {
  let emu: DiscordEmulator;
  let rest: REST;
  const CHANNEL = '1300000000000000009';

  beforeAll(async () => {
    emu = await startDiscordEmulator();
    emu.addUser({ id: '1200000000000000009', username: 'dana', globalName: 'Dana' });
    emu.addChannel(CHANNEL, 'general');
    rest = new REST({ api: emu.apiUrl, retries: 1 }).setToken(emu.botToken);
  });
  afterAll(async () => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await emu.close();
  });

  it('answers a 429 the way Discord does; the client waits Retry-After and the message is posted once', async () => {
    emu.failNext('createMessage', { status: 429, retryAfterSec: 1 });
    const started = Date.now();
    await rest.post(Routes.channelMessages(CHANNEL), { body: { content: 'hello', allowed_mentions: { parse: [] } } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const [limited, posted] = emu.callsTo('createMessage');
    expect([limited?.status, posted?.status]).toEqual([429, 200]);
    expect(emu.messages(CHANNEL).map((m) => m.content)).toEqual(['hello']);
  });

  it('refuses a bot token it did not issue with 401', async () => {
    const other = new REST({ api: emu.apiUrl, retries: 0 }).setToken('not.the.token');
    await expect(other.get(Routes.user('@me'))).rejects.toMatchObject({ status: 401 });
    other.clearHashSweeper();
    other.clearHandlerSweeper();
  });

  it('answers an interaction callback with 204 and no content type, and refuses a second with 40060', async () => {
    const i = commandInteraction(emu, { userId: '1200000000000000009', channelId: CHANNEL, text: 'x' });
    const res = await fetch(`${emu.apiUrl}/v10/interactions/${String(i.id)}/${String(i.token)}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 5, data: { flags: 64 } }),
    });
    expect([res.status, res.headers.get('content-type')]).toEqual([204, null]);
    const again = rest.post(Routes.interactionCallback(String(i.id), String(i.token)), { body: { type: 5 }, auth: false });
    await expect(again).rejects.toMatchObject({ code: 40060, status: 400 });
  });

  it('fails a DM to someone who blocks DMs with 50007 (403), after opening the DM channel', async () => {
    emu.blockDirectMessages('1200000000000000009');
    const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: '1200000000000000009' } })) as { id: string; type: number };
    expect(dm.type).toBe(1);
    const err = await rest.post(Routes.channelMessages(dm.id), { body: { content: 'hi', allowed_mentions: { parse: [] } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect(err).toMatchObject({ code: 50007, status: 403 });
  });

  it('reports payloads that break the official spec or the documented limits', async () => {
    emu.schemaViolations.length = 0;
    await rest.post(Routes.channelMessages(CHANNEL), {
      body: {
        content: 'bad',
        components: [{ type: 1, components: [{ type: 2, style: 'primary', label: 'Claim', custom_id: 'x'.repeat(101) }] }],
      },
    });
    expect(emu.schemaViolations.join('\n')).toMatch(/official spec/);
    expect(emu.schemaViolations.join('\n')).toMatch(/custom_id of 101 chars/);
    expect(emu.schemaViolations.join('\n')).toMatch(/allowed_mentions/);
    emu.schemaViolations.length = 0;
  });
});
