import { readFileSync } from 'node:fs';
import { historyFormatOf, parseLabeledHistory } from '../../../../src/ai/import/labeled-history';
import { LearningTicketClassifier } from '../../../../src/ai/offline/ticket-classifier';
import { fixturePath } from '../../../support/fixtures';

const CSV = [
  'ID,Title,Description,Category,Priority', // line 1
  '1,VPN down,"cannot connect, error 809",network,P1', // 2
  '2,"Printer jammed', // 3: quoted title spanning two lines
  'on floor 2",,hardware,high', // 4
  '3,,,network,P2', // 5: no text
  '', // 6: blank, skipped
  '4,Need a laptop,,,P3', // 7: no category
  '5,Payroll question,,hr,P9', // 8: bad priority
  '6,Too,many,fields,here,P2', // 9
  '7,Where is the triage queue,,triage,', // 10
  '8,打印机卡纸了,,hardware,紧急', // 11
].join('\r\n');

describe('parseLabeledHistory (CSV)', () => {
  it('turns good rows into examples and reports bad rows by the line they start on', () => {
    const r = parseLabeledHistory(CSV, { format: 'csv' });
    expect(r.examples).toEqual([
      { line: 2, id: '1', title: 'VPN down', description: 'cannot connect, error 809', category: 'network', priority: 'P1' },
      { line: 3, id: '2', title: 'Printer jammed\non floor 2', category: 'hardware', priority: 'P1' },
      { line: 11, id: '8', title: '打印机卡纸了', category: 'hardware', priority: 'P0' },
    ]);
    expect(r.errors).toEqual([
      { line: 5, message: 'no text' },
      { line: 7, message: 'no category' },
      { line: 8, message: expect.stringMatching(/^unknown priority "P9"/) },
      { line: 9, message: 'has 6 fields, the header has 5' },
      { line: 10, message: '"triage" is not a category to learn' },
    ]);
    expect(r.rows).toBe(8);
  });

  it('checks categories against the configured ones and caps the error list', () => {
    const r = parseLabeledHistory(CSV, { format: 'csv', allowedCategories: ['network'], maxErrors: 2 });
    expect(r.examples.map((e) => e.line)).toEqual([2]);
    expect(r.errors).toHaveLength(2);
    expect(r.moreErrors).toBe(5);
    expect(parseLabeledHistory(CSV, { format: 'csv', allowedCategories: ['network'] }).errors).toContainEqual({
      line: 3,
      message: 'unknown category "hardware" (known: network)',
    });
  });

  it('fails the whole file for a missing column or an unterminated quote, naming the line', () => {
    expect(() => parseLabeledHistory('text,priority\nhello,P1\n', { format: 'csv' })).toThrow(/no category column/);
    expect(() => parseLabeledHistory('category\nnetwork\n', { format: 'csv' })).toThrow(/no text column/);
    expect(() => parseLabeledHistory('text,category\nok,a\n"broken,b\n', { format: 'csv' })).toThrow(/unterminated quoted field \(line 3\)/);
    expect(() => parseLabeledHistory('text,category\nx,y\n', { format: 'csv', columns: { category: 'queue' } })).toThrow(
      /column "queue" \(for category\) not found/,
    );
  });
});

describe('parseLabeledHistory (JSONL)', () => {
  it('reads one object per line with line-numbered errors', () => {
    const jsonl = [
      '{"text":"wifi drops","category":"network","priority":"low"}',
      '',
      '{"text":"x"',
      '["not","an","object"]',
      '{"text":"mouse broken","category":"hardware","priority":2}',
      '{"text":{"nested":1},"category":"hr"}',
    ].join('\n');
    const r = parseLabeledHistory(jsonl, { format: 'jsonl' });
    expect(r.examples).toEqual([{ line: 1, title: 'wifi drops', category: 'network', priority: 'P3' }]);
    expect(r.errors).toEqual([
      { line: 3, message: 'is not valid JSON' },
      { line: 4, message: 'is not a JSON object' },
      { line: 5, message: expect.stringMatching(/^unknown priority "2"/) },
      { line: 6, message: 'field "text" must be a string' },
    ]);
  });

  it('picks the format from the file name', () => {
    expect(historyFormatOf('a/b.CSV')).toBe('csv');
    expect(historyFormatOf('x.ndjson')).toBe('jsonl');
    expect(() => historyFormatOf('x.xlsx')).toThrow(/unsupported file type/);
  });
});

describe('parseLabeledHistory on real files', () => {
  it('imports Banking77 train.csv whole and the examples train a classifier', () => {
    const r = parseLabeledHistory(readFileSync(fixturePath('data', 'banking77', 'train.csv'), 'utf8'), { format: 'csv' });
    expect(r.errors).toEqual([]);
    expect(r.examples).toHaveLength(10003);
    expect(new Set(r.examples.map((e) => e.category)).size).toBe(77);
    expect(r.examples[0]).toEqual({ line: 2, title: 'I am still waiting on my card?', category: 'card_arrival' });
  });

  it('imports synthetic German tickets (first 200 rows) with mapped columns and priority words', async () => {
    const content = readFileSync(fixturePath('data', 'support-tickets-synthetic', 'dataset-tickets-german_normalized.first-200.csv'), 'utf8');
    const r = parseLabeledHistory(content, { format: 'csv', columns: { category: 'queue' } });
    expect(r.errors).toEqual([]);
    expect(r.rows).toBe(200);
    expect(r.examples).toHaveLength(200);
    expect(r.examples[1]).toEqual({
      line: 3,
      title: 'Build-Fehler aufgetreten',
      description: expect.stringMatching(/^Hallo Support-Team, wir haben gelegentlich Build-Fehler in der GCC 11\.1 CI-Pipeline/),
      category: 'Software Development', // the "queue" column
      priority: 'P2', // "medium"
    });
    expect(new Set(r.examples.map((e) => e.category)).size).toBe(10);
    expect(new Set(r.examples.map((e) => e.priority))).toEqual(new Set(['P1', 'P2', 'P3']));
    const learner = new LearningTicketClassifier(r.examples);
    const out = await learner.classify({ title: r.examples[0]!.title, description: r.examples[0]!.description });
    expect(out.source).toBe('offline');
  });
});
