import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main, defaultIo, type CliIo } from '../../../src/ai/cli';

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { ...defaultIo, stdout: (l) => out.push(l), stderr: (l) => err.push(l) }, out, err };
}

const TRAIN_CSV = [
  'id,text,label',
  ...[
    ['the vpn will not connect from home', 'network'],
    ['"wifi drops every few minutes, again"', 'network'],
    ['internet is very slow today', 'network'],
    ['"cannot reach the intranet, but google works"', 'network'],
    ['ethernet port at my desk is dead', 'network'],
    ['printer is jammed', 'hardware'],
    ['"laptop screen cracked, need repair"', 'hardware'],
    ['my keyboard is missing keys', 'hardware'],
    ['"docking station does not detect monitors\nwhen I plug it in"', 'hardware'],
    ['mouse stopped working', 'hardware'],
  ].map(([t, l], i) => `${i},${t},${l}`),
].join('\r\n');

describe('chatdesk classifier CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'chatdesk-cli-'));
    writeFileSync(path.join(dir, 'train.csv'), TRAIN_CSV);
    writeFileSync(
      path.join(dir, 'eval.jsonl'),
      `${[
        { text: 'wifi keeps disconnecting', label: 'network' },
        { text: 'the printer has a paper jam', label: 'hardware' },
        { text: 'vpn connection fails', label: 'network' },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n')}\n`,
    );
    writeFileSync(path.join(dir, 'empty.csv'), '');
    writeFileSync(path.join(dir, 'header-only.csv'), 'text,label\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains from CSV with quoted fields, then labels and reports on JSONL', async () => {
    const model = path.join(dir, 'model.json');
    const t = capture();
    expect(await main(['train', '--in', path.join(dir, 'train.csv'), '--out', model], t.io)).toBe(0);
    expect(t.out.join('\n')).toMatch(/trained on 10 examples, 2 labels/);
    expect(JSON.parse(readFileSync(model, 'utf8')).format).toBe('chatdesk-text-classifier');

    const l = capture();
    expect(await main(['label', '--model', model, '--in', path.join(dir, 'eval.jsonl')], l.io)).toBe(0);
    const lines = l.out.map((s) => JSON.parse(s) as { text: string; label: string; confidence: number });
    expect(lines.map((x) => x.label)).toEqual(['network', 'hardware', 'network']);
    expect(lines[0]).toEqual({ text: 'wifi keeps disconnecting', label: 'network', confidence: expect.any(Number) });

    const r = capture();
    expect(await main(['report', '--model', model, '--in', path.join(dir, 'eval.jsonl'), '--threshold', '0.99'], r.io)).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/accuracy: 100\.00%/);
    expect(text).toMatch(/macro-F1: 100\.00%/);
    expect(text).toMatch(/abstain rate: \d+\.\d\d%/);
    expect(text).toMatch(/network\s+1\.000\s+1\.000\s+1\.000\s+2/);

    const j = capture();
    expect(await main(['report', '--model', model, '--in', path.join(dir, 'eval.jsonl'), '--json'], j.io)).toBe(0);
    expect(JSON.parse(j.out[0]!)).toMatchObject({ n: 3, accuracy: 1, macroF1: 1 });
  });

  it.each([
    [['train', '--in', 'NOPE.csv', '--out', 'x.json'], 1, /NOPE\.csv: file not found/],
    [['train', '--in', '@DIR/train.csv', '--label-col', 'category', '--out', '@DIR/m.json'], 1, /column "category" not found \(columns: id, text, label\)/],
    [['train', '--in', '@DIR/empty.csv', '--out', '@DIR/m.json'], 1, /empty\.csv: file is empty/],
    [['train', '--in', '@DIR/header-only.csv', '--out', '@DIR/m.json'], 1, /no data rows/],
    [['train', '--in', '@DIR/train.txt', '--out', '@DIR/m.json'], 1, /unsupported file type/],
    [['train', '--in', '@DIR/train.csv'], 2, /missing --out/],
    [['label', '--model', '@DIR/missing-model.json', '--in', '@DIR/eval.jsonl'], 1, /model file not found/],
    [['label', '--model', '@DIR/train.csv', '--in', '@DIR/eval.jsonl'], 1, /model is not valid JSON/],
    [['report', '--model', '@DIR/model.json', '--in', '@DIR/eval.jsonl', '--threshold', 'high'], 2, /--threshold must be a number/],
    [['frobnicate'], 2, /unknown command "frobnicate"/],
    [[], 2, /missing command/],
    [['train', '--bogus'], 2, /unknown option --bogus/],
  ])('fails clearly for %j', async (args, code, message) => {
    const c = capture();
    const argv = (args as string[]).map((a) => a.replace('@DIR', dir));
    expect(await main(argv, c.io)).toBe(code);
    expect(c.err.join('\n')).toMatch(message as RegExp);
  });
});
