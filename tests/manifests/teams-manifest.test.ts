/** The Teams app package: valid against Microsoft's manifest schema, commands the bot understands, the icons Teams wants. */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { parseTextCommand } from '../../src/core/commands';
import { TEAMS_MANIFEST_VERSION, teamsManifest } from '../../src/manifests/teams-manifest';
import { colorIcon, outlineIcon } from '../../src/manifests/teams-icons';
import { teamsManifestValidator } from './official-schemas';
import { readPng } from './png-reader';

const APP_ID = '6f1c2b9e-3d4a-4b5c-8d7e-0a1b2c3d4e5f';
const manifest = (publicUrl = 'https://desk.acme.test') => teamsManifest({ publicUrl, appId: APP_ID, version: '1.2.3' }) as Record<string, any>;

describe('Teams app manifest', () => {
  const validate = teamsManifestValidator(TEAMS_MANIFEST_VERSION);

  it('validates against the official schema of the manifestVersion it declares', () => {
    const m = manifest();
    expect(m.manifestVersion).toBe(TEAMS_MANIFEST_VERSION);
    const ok = validate(m);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is checked for real: a too-long command title, a second bot or another manifestVersion are refused', () => {
    const m = manifest();
    const longTitle = structuredClone(m);
    longTitle.bots[0].commandLists[0].commands[0].title = 'x'.repeat(33);
    expect(validate(longTitle)).toBe(false);
    expect(validate({ ...m, bots: [m.bots[0], m.bots[0]] })).toBe(false);
    expect(validate({ ...m, manifestVersion: '1.19' })).toBe(false);
  });

  it('lists ticket, help, escalations, console, mine, search and stats as texts the bot parses to those commands', () => {
    const commands = manifest().bots[0].commandLists[0].commands as Array<{ title: string }>;
    expect(commands.map((c) => parseTextCommand(c.title)?.kind)).toEqual(['form', 'escalations', 'console', 'help', 'mine', 'search', 'stats']);
  });

  it('is the bot the app id names, in personal chats, teams and group chats, on the public host', () => {
    const m = manifest('https://desk.acme.test/chatdesk');
    expect(m.id).toBe(APP_ID);
    expect(m.bots[0].botId).toBe(APP_ID);
    expect(m.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(m.validDomains).toEqual(['desk.acme.test']);
  });

  it('refuses what Teams would refuse: a non-GUID app id or a plain-http URL', () => {
    expect(() => teamsManifest({ publicUrl: 'https://desk.acme.test', appId: 'my-bot', version: '1.0.0' })).toThrow(/GUID/);
    expect(() => teamsManifest({ publicUrl: 'http://localhost:3000', appId: APP_ID, version: '1.0.0' })).toThrow(/https/);
  });

  it('ships a 192x192 colour icon and a 32x32 outline icon that is white on transparent', () => {
    const dir = path.resolve(__dirname, '../../manifests/teams');
    const color = readPng(readFileSync(path.join(dir, 'color.png')));
    const outline = readPng(readFileSync(path.join(dir, 'outline.png')));
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    const pixels = outlineIcon().rgba;
    const colours = new Set<string>();
    for (let i = 0; i < pixels.length; i += 4) colours.add(pixels[i + 3] === 0 ? 'transparent' : pixels.subarray(i, i + 4).join(','));
    expect([...colours].sort()).toEqual(['255,255,255,255', 'transparent']);
    expect(new Set(colorIcon().rgba.filter((_, i) => i % 4 === 3))).toEqual(new Set([255])); // opaque
  });
});
