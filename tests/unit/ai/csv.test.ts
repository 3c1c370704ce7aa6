import { CsvParseError, parseCsv, parseCsvRecords } from '../../../src/ai/offline/csv';

describe('parseCsv (RFC 4180)', () => {
  it('splits simple rows and handles CRLF and LF line endings', () => {
    expect(parseCsv('a,b\r\n1,2\n3,4')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps commas, line breaks and escaped quotes inside quoted fields', () => {
    const csv = 'text,label\n"VPN down, again",network\n"line one\r\nline two",other\n"she said ""hi""",x\n';
    expect(parseCsv(csv)).toEqual([
      ['text', 'label'],
      ['VPN down, again', 'network'],
      ['line one\r\nline two', 'other'],
      ['she said "hi"', 'x'],
    ]);
  });

  it('does not add an empty record for a trailing newline, but keeps empty fields', () => {
    expect(parseCsv('a,b\n,\n')).toEqual([
      ['a', 'b'],
      ['', ''],
    ]);
    expect(parseCsv('a,,c')).toEqual([['a', '', 'c']]);
    expect(parseCsv('"",x')).toEqual([['', 'x']]);
  });

  it('skips a UTF-8 BOM and handles non-ASCII text', () => {
    expect(parseCsv('\uFEFFtext,label\n打印机卡纸了,hardware')).toEqual([
      ['text', 'label'],
      ['打印机卡纸了', 'hardware'],
    ]);
  });

  it('rejects an unterminated quoted field and reports where it started', () => {
    expect(() => parseCsv('a,b\n1,"oops\n2,3')).toThrow(CsvParseError);
    expect(() => parseCsv('a,b\n1,"oops\n2,3')).toThrow(/unterminated quoted field \(line 2\)/);
  });

  it('maps records by header, padding short rows', () => {
    const { header, records } = parseCsvRecords('text,label,extra\n"hello, world",greet\n');
    expect(header).toEqual(['text', 'label', 'extra']);
    expect(records).toEqual([{ text: 'hello, world', label: 'greet', extra: '' }]);
  });
});
