/** The files in manifests/ are exactly what the generator makes (run `write` after changing commands or scopes). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DISCORD_INTERACTIONS_PATH } from '../../src/adapters/discord/interactions-endpoint';
import { FEISHU_CARD_PATH, FEISHU_EVENTS_PATH } from '../../src/adapters/feishu/feishu-routes';
import { SLACK_EVENTS_PATH } from '../../src/adapters/slack/slack-app';
import { TEAMS_MESSAGES_PATH } from '../../src/adapters/teams/inbound-route';
import { committedOptions, runCli } from '../../src/manifests/cli-main';
import { ROUTES } from '../../src/manifests/endpoints';
import { manifestFiles, PLATFORMS } from '../../src/manifests/generate';
import { readPng } from './png-reader';

const ROOT = path.resolve(__dirname, '../..');
const REGENERATE = 'out of date: run `npm run build && node dist/src/manifests/cli.js write` (without PUBLIC_URL, TEAMS_APP_ID, CHATDESK_CONFIG set)';

describe('committed manifests', () => {
  const options = committedOptions(ROOT);

  it.each(PLATFORMS.flatMap((p) => manifestFiles(p, options).map((f) => [f.path, f] as const)))('%s equals the generator output', (file, generated) => {
    const committed = readFileSync(path.join(ROOT, file));
    if (file.endsWith('.png')) {
      // Compared by what the icon shows: compressed bytes may differ between zlib builds.
      expect({ ...readPng(committed), scanlines: readPng(committed).scanlines.toString('base64') }).toEqual({
        ...readPng(generated.data),
        scanlines: readPng(generated.data).scanlines.toString('base64'),
      });
    } else if (!committed.equals(generated.data)) {
      const [a, b] = [committed.toString('utf8').split('\n'), generated.data.toString('utf8').split('\n')];
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(`${file} is ${REGENERATE}\nfirst difference at line ${line + 1}:\n  committed: ${a[line]}\n  generated: ${b[line]}`);
    }
  });

  it('points every platform at the routes the adapters serve', () => {
    expect(ROUTES).toEqual({
      slack: SLACK_EVENTS_PATH,
      teams: TEAMS_MESSAGES_PATH,
      discord: DISCORD_INTERACTIONS_PATH,
      feishuEvents: FEISHU_EVENTS_PATH,
      feishuCard: FEISHU_CARD_PATH,
    });
  });

  it('prints a platform for another public URL, keeping its path prefix', async () => {
    const out: string[] = [];
    const code = await runCli(['print', 'slack', '--public-url', 'https://desk.acme.test/chatdesk/'], {
      env: {},
      out: (t) => out.push(t),
      err: () => undefined,
      root: ROOT,
    });
    expect(code).toBe(0);
    const printed = JSON.parse(out.join('')) as { features: { slash_commands: Array<{ url: string }> }; settings: { interactivity: { request_url: string } } };
    expect(printed.features.slash_commands[0]!.url).toBe('https://desk.acme.test/chatdesk/slack/events');
    expect(printed.settings.interactivity.request_url).toBe('https://desk.acme.test/chatdesk/slack/events');
  });

  it('answers a wrong command with the usage and exit code 2', async () => {
    const err: string[] = [];
    expect(await runCli(['print', 'myspace'], { env: {}, out: () => undefined, err: (t) => err.push(t), root: ROOT })).toBe(2);
    expect(err.join('')).toContain('usage:');
  });
});
