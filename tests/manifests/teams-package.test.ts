/** `zip teams`: the Teams app package as Teams takes it (a zip with manifest.json and its two icons at the root). */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { runCli } from '../../src/manifests/cli-main';
import { TEAMS_MANIFEST_VERSION } from '../../src/manifests/teams-manifest';
import { teamsManifestValidator } from './official-schemas';
import { readPng } from './png-reader';

const ROOT = path.resolve(__dirname, '../..');
const APP_ID = '6f1c2b9e-3d4a-4b5c-8d7e-0a1b2c3d4e5f';

/**
 * Opens a zip the way an unzipper does (APPNOTE 4.3): the end record, then the
 * central directory, then each local header and its data, checking that both
 * headers agree and that every file's CRC-32 matches.
 */
function openZip(zip: Buffer): Map<string, Buffer> {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0 || endAt !== zip.length - 22) throw new Error('no end of central directory record at the end');
  const count = zip.readUInt16LE(endAt + 10);
  const dirSize = zip.readUInt32LE(endAt + 12);
  let at = zip.readUInt32LE(endAt + 16);
  if (at + dirSize !== endAt) throw new Error('the central directory does not end where the end record starts');
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`entry ${i}: no central directory header`);
    const [method, crc, size, rawSize] = [zip.readUInt16LE(at + 10), zip.readUInt32LE(at + 16), zip.readUInt32LE(at + 20), zip.readUInt32LE(at + 24)];
    const [nameLength, extraLength, commentLength] = [zip.readUInt16LE(at + 28), zip.readUInt16LE(at + 30), zip.readUInt16LE(at + 32)];
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`${name}: no local header where the directory says`);
    if (zip.toString('utf8', local + 30, local + 30 + zip.readUInt16LE(local + 26)) !== name) throw new Error(`${name}: the local header names another file`);
    if (zip.readUInt32LE(local + 14) !== crc || zip.readUInt32LE(local + 18) !== size) throw new Error(`${name}: local header and directory disagree`);
    if (method !== 0 || size !== rawSize) throw new Error(`${name}: expected a stored entry`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC-32 does not match`);
    files.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

describe('Teams app package (zip teams)', () => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'chatdesk-teams-zip-')), 'chatdesk.zip');
  const said: string[] = [];

  beforeAll(async () => {
    const code = await runCli(['zip', 'teams', '--out', out, '--public-url', 'https://desk.acme.test', '--app-id', APP_ID], {
      env: {},
      out: (t) => said.push(t),
      err: (t) => said.push(t),
      root: ROOT,
    });
    expect(code).toBe(0);
  });

  it('holds manifest.json and the two icons it names, at the root of the zip', () => {
    const files = openZip(readFileSync(out));
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { icons: { color: string; outline: string } };
    expect(files.has(manifest.icons.color) && files.has(manifest.icons.outline)).toBe(true);
    const [color, outline] = [readPng(files.get(manifest.icons.color)!), readPng(files.get(manifest.icons.outline)!)];
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    expect(said.join('')).toContain(`wrote ${out}`);
  });

  it("carries a manifest valid against Microsoft's schema, for the given bot and host", () => {
    const manifest = JSON.parse(openZip(readFileSync(out)).get('manifest.json')!.toString('utf8')) as Record<string, any>;
    const validate = teamsManifestValidator(TEAMS_MANIFEST_VERSION);
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.validDomains).toEqual(['desk.acme.test']);
  });

  it('warns when the bot id is still the placeholder', async () => {
    const err: string[] = [];
    const code = await runCli(['zip', 'teams', '--out', `${out}.placeholder`], { env: {}, out: () => undefined, err: (t) => err.push(t), root: ROOT });
    expect(code).toBe(0);
    expect(err.join('')).toContain('the bot id is a placeholder');
  });
});
