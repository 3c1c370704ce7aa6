/**
 * Two replicas in Discord Gateway mode on one database: one Gateway session
 * for the bot (two would both receive and answer every event). The replica
 * holding the lease connects; when it stops, the other takes the session over.
 */
import type { Chatdesk } from '../../src/app';
import { startDiscordEmulator, type DiscordEmulator } from '../emulators/discord';
import { waitFor } from '../emulators/shared';
import { AGENTS, discordEnv } from '../contract/drivers/discord.driver';
import { startTestApp } from '../support/test-app';
import { testMongoUri } from '../support/test-db';

describe('Discord Gateway across two replicas', () => {
  jest.setTimeout(120_000);
  let emu: DiscordEmulator;
  let a: Chatdesk | undefined;
  let b: Chatdesk | undefined;
  beforeAll(async () => {
    emu = await startDiscordEmulator();
    emu.addChannel(AGENTS, 'it-agents');
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await emu?.close();
  });

  it('keeps one Gateway session: the second replica waits, and takes over when the first stops', async () => {
    const env = {
      ...discordEnv(emu, 'gateway'),
      DISCORD_PUBLIC_KEY: '',
      CHATDESK_PLAYGROUND: 'false',
      CHATDESK_SLA_WORKER: 'false',
      MONGODB_URI: testMongoUri('discord_gw_replicas'),
    };
    a = await startTestApp(env, { label: 'gw-a' });
    b = await startTestApp(env, { label: 'gw-b' });
    await waitFor(() => emu.gateway.identifiedSessions() === 1, { timeoutMs: 20_000 });
    // Several beats later, still one.
    await new Promise((r) => setTimeout(r, 6000));
    expect(emu.gateway.identifiedSessions()).toBe(1);
    expect(emu.gateway.received.filter((e) => e.op === 2)).toHaveLength(1);
    await a.stop();
    a = undefined;
    // The lease was handed on: the other replica identifies within a beat or two.
    await waitFor(() => emu.gateway.received.filter((e) => e.op === 2).length === 2, { timeoutMs: 20_000 });
    await waitFor(() => emu.gateway.identifiedSessions() === 1, { timeoutMs: 20_000 });
  });
});
