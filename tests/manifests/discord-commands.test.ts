/** Discord command registration: valid against Discord's OpenAPI, the same command the adapter registers, and `register discord` PUTs it. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultDeskConfig } from '../../src/config/default-desk-config';
import { deskConfigSchema } from '../../src/config/desk-config.schema';
import { COMMANDS } from '../../src/core/commands';
import { runCli } from '../../src/manifests/cli-main';
import { discordCommands, discordSettings } from '../../src/manifests/discord-commands';
import { discordValidator } from './official-schemas';
import path from 'node:path';

const desk = deskConfigSchema.parse(defaultDeskConfig);
const ROOT = path.resolve(__dirname, '../..');

describe('Discord application commands', () => {
  const createRequest = discordValidator('/components/schemas/ApplicationCommandCreateRequest');
  const bulkBody = discordValidator('/paths/~1applications~1{application_id}~1commands/put/requestBody/content/application~1json/schema');

  it('each command validates against ApplicationCommandCreateRequest, and the list against the bulk PUT body', () => {
    for (const command of discordCommands(desk)) {
      const ok = createRequest(command);
      expect(createRequest.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
    expect(bulkBody(discordCommands(desk))).toBe(true);
  });

  it('is checked for real: a 33-character name or a 101-character description is refused', () => {
    const [command] = discordCommands(desk);
    expect(createRequest({ ...command, name: 'x'.repeat(33) })).toBe(false);
    expect(createRequest({ ...command, description: 'x'.repeat(101) })).toBe(false);
  });

  it('comes from the one command description (the Discord adapter registers exactly this at start)', () => {
    expect(discordCommands(desk)[0]).toMatchObject({ name: COMMANDS.name, description: COMMANDS.description.en });
  });

  it('names the interactions endpoint and an install link scope set', () => {
    expect(discordSettings({ publicUrl: 'https://desk.acme.test', desk })).toMatchObject({
      interactions_endpoint_url: 'https://desk.acme.test/discord/interactions',
      install: {
        scopes: ['bot', 'applications.commands'],
        permissions: String((1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 16n) | (1n << 35n) | (1n << 38n)),
      },
    });
  });

  describe('register discord', () => {
    let server: http.Server;
    let url = '';
    const seen: Array<{ method?: string; path?: string; auth?: string; body: unknown }> = [];
    let answer = 200;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c: Buffer) => (raw += c.toString()));
        req.on('end', () => {
          seen.push({ method: req.method, path: req.url, auth: req.headers.authorization, body: JSON.parse(raw || 'null') });
          res.writeHead(answer, { 'content-type': 'application/json' }).end(answer === 200 ? raw : JSON.stringify({ message: '401: Unauthorized', code: 0 }));
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    const run = async (env: Record<string, string>) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['register', 'discord'], { env, out: (t) => out.push(t), err: (t) => err.push(t), root: ROOT });
      return { code, out: out.join(''), err: err.join('') };
    };

    it('PUTs the commands to one server with the bot token, or globally without a server', async () => {
      const env = { DISCORD_API_URL: url, DISCORD_APPLICATION_ID: '1100000000000000001', DISCORD_BOT_TOKEN: 'bot-secret-token' };
      expect((await run({ ...env, DISCORD_GUILD_ID: '1200000000000000002' })).code).toBe(0);
      expect((await run(env)).code).toBe(0);
      expect(seen.map((s) => [s.method, s.path, s.auth])).toEqual([
        ['PUT', '/api/v10/applications/1100000000000000001/guilds/1200000000000000002/commands', 'Bot bot-secret-token'],
        ['PUT', '/api/v10/applications/1100000000000000001/commands', 'Bot bot-secret-token'],
      ]);
      expect(seen[0]!.body).toEqual(JSON.parse(JSON.stringify(discordCommands(desk))));
    });

    it('fails with Discord’s answer and never prints the token', async () => {
      answer = 401;
      const r = await run({ DISCORD_API_URL: url, DISCORD_APPLICATION_ID: '1100000000000000001', DISCORD_BOT_TOKEN: 'bot-secret-token' });
      answer = 200;
      expect(r.code).toBe(1);
      expect(r.err).toContain('401');
      expect(r.out + r.err).not.toContain('bot-secret-token');
      expect((await run({ DISCORD_API_URL: url })).code).toBe(2);
    });
  });
});
