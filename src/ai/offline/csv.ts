/**
 * Small RFC 4180 CSV parser: comma-separated, fields optionally enclosed in
 * double quotes, `""` is an escaped quote inside a quoted field, quoted fields
 * may contain commas and line breaks, records end with CRLF or LF (a lone CR
 * is accepted too). A leading UTF-8 BOM is skipped; a final line break does
 * not create an empty record. Lenient where the RFC is silent: rows may have
 * different lengths (the caller checks), and a quote inside an unquoted field
 * is kept literally. An unterminated quoted field is an error.
 */

export class CsvParseError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(`${message} (line ${line})`);
    this.name = 'CsvParseError';
    this.line = line;
  }
}

export function parseCsv(input: string, delimiter = ','): string[][] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let line = 1;
  let quotedStartLine = 0;
  let inQuotes = false;
  let fieldWasQuoted = false;
  const n = text.length;

  const endField = (): void => {
    row.push(field);
    field = '';
    fieldWasQuoted = false;
  };
  const endRow = (): void => {
    endField();
    rows.push(row);
    row = [];
  };

  while (i < n) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '' && !fieldWasQuoted) {
      inQuotes = true;
      fieldWasQuoted = true;
      quotedStartLine = line;
      i++;
      continue;
    }
    if (c === delimiter) {
      endField();
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    // Characters after a closing quote ("ab"c) are appended leniently.
    field += c;
    i++;
  }
  if (inQuotes) throw new CsvParseError('unterminated quoted field', quotedStartLine);
  if (field !== '' || fieldWasQuoted || row.length > 0) endRow();
  return rows;
}

/** Parses CSV with a header row into records keyed by column name. */
export function parseCsvRecords(input: string, delimiter = ','): { header: string[]; records: Record<string, string>[] } {
  const rows = parseCsv(input, delimiter);
  const header = (rows[0] ?? []).map((h) => h.trim());
  const records = rows
    .slice(1)
    .filter((r) => !(r.length === 1 && r[0] === ''))
    .map((r) => {
      const rec: Record<string, string> = {};
      header.forEach((h, idx) => {
        rec[h] = r[idx] ?? '';
      });
      return rec;
    });
  return { header, records };
}
