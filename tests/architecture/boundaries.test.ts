/** Platform SDKs stay inside src/adapters/<platform>; the core never reaches for a messenger or the database driver. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');
const PLATFORM_SDK = /from ['"](@slack\/|@microsoft\/teams|botbuilder|discord\.js|@discordjs\/|@larksuiteoapi\/|imapflow|mailparser|nodemailer)/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const rel = (p: string) => path.relative(SRC, p);

describe('architecture boundaries', () => {
  const all = files(SRC);

  it('imports platform SDKs only under src/adapters/', () => {
    const leaks = all.filter((f) => !rel(f).startsWith('adapters/') && PLATFORM_SDK.test(readFileSync(f, 'utf8')));
    expect(leaks.map(rel)).toEqual([]);
  });

  it('keeps each adapter to itself (no adapter imports another)', () => {
    const crossing = all.filter((f) => {
      const m = rel(f).match(/^adapters\/([^/]+)\//);
      if (!m) return false;
      return [...readFileSync(f, 'utf8').matchAll(/from ['"]\.\.\/([a-z-]+)\//g)].some((x) => x[1] !== m[1] && x[1] !== '..');
    });
    expect(crossing.map(rel)).toEqual([]);
  });

  it('keeps domain and ai free of I/O layers (store, adapters, mongoose, http)', () => {
    const bad = all.filter(
      (f) =>
        /^(domain|ai)\//.test(rel(f)) &&
        !rel(f).startsWith('ai/cli') &&
        /from ['"](mongoose|node:http|ws|.*\/(store|adapters|server)\/)/.test(readFileSync(f, 'utf8')),
    );
    expect(bad.map(rel)).toEqual([]);
  });

  it('ships no console.* calls (the injected logger is used)', () => {
    const offenders = all.filter((f) => !rel(f).startsWith('ai/cli') && /console\.(log|error|warn|info)\(/.test(readFileSync(f, 'utf8')));
    expect(offenders.map(rel)).toEqual([]);
  });
});
