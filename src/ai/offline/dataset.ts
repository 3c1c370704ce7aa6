/**
 * Reading labelled text files for the CLI and the bench: CSV (with a header
 * row) or JSONL (one JSON object per line); `.json` holding an array of
 * objects is accepted too. Errors are ChatdeskError('chatdesk_classifier_input_invalid')
 * with a message that names the file and the problem.
 */
import { readFileSync } from 'node:fs';
import { ChatdeskError } from '../../domain/errors';
import { CsvParseError, parseCsvRecords } from './csv';

export interface ReadRowsResult {
  columns: string[];
  rows: Record<string, string>[];
}

export type FileReader = (path: string) => string;

export const defaultFileReader: FileReader = (path) => readFileSync(path, 'utf8');

function invalid(message: string, details: Record<string, unknown> = {}): ChatdeskError {
  return new ChatdeskError('chatdesk_classifier_input_invalid', message, details);
}

export function formatOf(path: string): 'csv' | 'jsonl' | 'json' {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.json')) return 'json';
  throw invalid(`${path}: unsupported file type (use .csv, .jsonl or .json)`, { path });
}

export function readRows(path: string, read: FileReader = defaultFileReader): ReadRowsResult {
  const format = formatOf(path);
  let content: string;
  try {
    content = read(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new ChatdeskError('chatdesk_classifier_input_invalid', `${path}: ${why}`, { path }, { cause: err });
  }
  if (content.trim() === '') throw invalid(`${path}: file is empty`, { path });
  if (format === 'csv') {
    try {
      const { header, records } = parseCsvRecords(content);
      if (records.length === 0) throw invalid(`${path}: no data rows after the header`, { path });
      return { columns: header, rows: records };
    } catch (err) {
      if (err instanceof CsvParseError) throw new ChatdeskError('chatdesk_classifier_input_invalid', `${path}: ${err.message}`, { path }, { cause: err });
      throw err;
    }
  }
  const objects: unknown[] = [];
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (err) {
      throw new ChatdeskError('chatdesk_classifier_input_invalid', `${path}: invalid JSON (${(err as Error).message})`, { path }, { cause: err });
    }
    if (!Array.isArray(parsed)) throw invalid(`${path}: expected a JSON array of objects`, { path });
    objects.push(...parsed);
  } else {
    content.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        objects.push(JSON.parse(line));
      } catch {
        throw invalid(`${path}: line ${i + 1} is not valid JSON`, { path, line: i + 1 });
      }
    });
  }
  const columns = new Set<string>();
  const rows = objects.map((o, i) => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) throw invalid(`${path}: record ${i + 1} is not a JSON object`, { path, record: i + 1 });
    const rec: Record<string, string> = {};
    for (const [k, v] of Object.entries(o)) {
      columns.add(k);
      rec[k] = v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    return rec;
  });
  if (rows.length === 0) throw invalid(`${path}: no records`, { path });
  return { columns: [...columns], rows };
}

/** Checks that every named column exists; `textCols` may name several (joined with newlines). */
export function requireColumns(path: string, columns: readonly string[], wanted: readonly string[]): void {
  const missing = wanted.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    const plural = missing.length > 1 ? 's' : '';
    throw invalid(`${path}: column${plural} ${missing.map((m) => `"${m}"`).join(', ')} not found (columns: ${columns.join(', ') || 'none'})`, {
      path,
      missing,
      columns,
    });
  }
}

export function rowText(row: Record<string, string>, textCols: readonly string[]): string {
  return textCols
    .map((c) => row[c] ?? '')
    .filter((s) => s !== '')
    .join('\n');
}
