/**
 * Labelled ticket history → training examples for the LearningTicketClassifier.
 *
 * CSV (header row; RFC 4180 quoting, see ../offline/csv) or JSONL (one object
 * per line). Columns, matched case-insensitively (override with `columns`):
 *   text | title (or subject) [+ description (or body)]   required, at least one
 *   category (or label)                                    required
 *   priority                                               optional: P0-P3, or a word in `priorityWords`
 *   id                                                     optional: a later row with the same id replaces the earlier
 * Problems with the file as a whole (no header, a required column missing,
 * an unterminated quote) throw `chatdesk_classifier_input_invalid`; a bad row
 * is skipped and reported with its line number (the line it starts on).
 */
import { ChatdeskError } from '../../domain/errors';
import { PRIORITIES, UNKNOWN_CATEGORY, type Priority } from '../classifier.port';
import { CsvParseError, parseCsv } from '../offline/csv';
import type { TicketExample } from '../offline/ticket-classifier';

export type HistoryFormat = 'csv' | 'jsonl';
type Field = 'text' | 'title' | 'description' | 'category' | 'priority' | 'id';

export interface ImportOptions {
  format: HistoryFormat;
  /** Column names to use instead of the defaults, e.g. { category: 'queue', title: 'subject' }. */
  columns?: Partial<Record<Field, string>>;
  /** Words (lower case) accepted as priorities besides P0-P3. Default DEFAULT_PRIORITY_WORDS. */
  priorityWords?: Readonly<Record<string, Priority>>;
  /** When given, a category outside this list is a row error. */
  allowedCategories?: readonly string[];
  /** Errors listed at most (the rest are counted in `moreErrors`). Default 100. */
  maxErrors?: number;
}

export interface RowError {
  line: number;
  message: string;
}

export interface ImportedExample extends TicketExample {
  line: number;
}

export interface ImportResult {
  examples: ImportedExample[];
  errors: RowError[];
  moreErrors: number;
  /** Data rows read (blank lines not counted). */
  rows: number;
}

export const DEFAULT_PRIORITY_WORDS: Readonly<Record<string, Priority>> = {
  critical: 'P0',
  urgent: 'P0',
  highest: 'P0',
  high: 'P1',
  medium: 'P2',
  normal: 'P2',
  low: 'P3',
  lowest: 'P3',
  紧急: 'P0',
  高: 'P1',
  中: 'P2',
  低: 'P3',
};

const ALIASES: Record<Field, string[]> = {
  text: ['text'],
  title: ['title', 'subject'],
  description: ['description', 'body'],
  category: ['category', 'label'],
  priority: ['priority'],
  id: ['id'],
};

export const MAX_CATEGORY_CHARS = 60;

function fatal(message: string, details: Record<string, unknown> = {}): ChatdeskError {
  return new ChatdeskError('chatdesk_classifier_input_invalid', message, details);
}

export function parseLabeledHistory(content: string, options: ImportOptions): ImportResult {
  const records = options.format === 'csv' ? csvRecords(content) : jsonlRecords(content);
  const present = new Set(records.columns.map((c) => c.toLowerCase()));
  const col = (f: Field): string | undefined => {
    const wanted = options.columns?.[f];
    if (wanted !== undefined) {
      if (!present.has(wanted.toLowerCase()))
        throw fatal(`column "${wanted}" (for ${f}) not found; columns: ${records.columns.join(', ') || 'none'}`, { column: wanted });
      return wanted.toLowerCase();
    }
    return ALIASES[f].find((a) => present.has(a));
  };
  const cols = { text: col('text'), title: col('title'), description: col('description'), category: col('category'), priority: col('priority'), id: col('id') };
  if (!cols.text && !cols.title) throw fatal(`no text column: expected "text" or "title" (columns: ${records.columns.join(', ') || 'none'})`);
  if (!cols.category) throw fatal(`no category column: expected "category" or "label" (columns: ${records.columns.join(', ') || 'none'})`);

  const words = options.priorityWords ?? DEFAULT_PRIORITY_WORDS;
  const allowed = options.allowedCategories ? new Set(options.allowedCategories) : undefined;
  const maxErrors = options.maxErrors ?? 100;
  const result: ImportResult = { examples: [], errors: [], moreErrors: 0, rows: 0 };
  const fail = (line: number, message: string): void => {
    if (result.errors.length < maxErrors) result.errors.push({ line, message });
    else result.moreErrors++;
  };

  for (const rec of records.rows) {
    result.rows++;
    if (rec.problem) {
      fail(rec.line, rec.problem);
      continue;
    }
    const get = (c: string | undefined): string => (c ? (rec.values[c] ?? '').replace(/\r\n?/g, '\n').trim() : '');
    const title = get(cols.title) || get(cols.text);
    const description = cols.title && cols.text ? [get(cols.text), get(cols.description)].filter(Boolean).join('\n') : get(cols.description);
    if (title === '' && description === '') {
      fail(rec.line, 'no text');
      continue;
    }
    const category = get(cols.category);
    if (category === '') {
      fail(rec.line, 'no category');
      continue;
    }
    if (category === UNKNOWN_CATEGORY) {
      fail(rec.line, `"${UNKNOWN_CATEGORY}" is not a category to learn`);
      continue;
    }
    if (category.length > MAX_CATEGORY_CHARS || /[\p{C}]/u.test(category)) {
      fail(rec.line, `category is longer than ${MAX_CATEGORY_CHARS} characters or has control characters`);
      continue;
    }
    if (allowed && !allowed.has(category)) {
      fail(rec.line, `unknown category "${category}" (known: ${[...allowed].join(', ')})`);
      continue;
    }
    let priority: Priority | undefined;
    const rawPriority = get(cols.priority);
    if (rawPriority !== '') {
      priority = (PRIORITIES as readonly string[]).includes(rawPriority.toUpperCase())
        ? (rawPriority.toUpperCase() as Priority)
        : words[rawPriority.toLowerCase()];
      if (!priority) {
        fail(rec.line, `unknown priority "${rawPriority.slice(0, 40)}" (use P0-P3 or ${Object.keys(words).join(', ')})`);
        continue;
      }
    }
    const id = get(cols.id);
    result.examples.push({
      line: rec.line,
      title: title || description,
      ...(title && description ? { description } : {}),
      category,
      ...(priority ? { priority } : {}),
      ...(id ? { id } : {}),
    });
  }
  return result;
}

interface RawRecord {
  line: number;
  values: Record<string, string>;
  problem?: string;
}

function csvRecords(content: string): { columns: string[]; rows: RawRecord[] } {
  let table: string[][];
  try {
    table = parseCsv(content);
  } catch (err) {
    if (err instanceof CsvParseError) throw new ChatdeskError('chatdesk_classifier_input_invalid', `CSV: ${err.message}`, { line: err.line }, { cause: err });
    throw err;
  }
  const header = table[0];
  if (!header || header.every((h) => h.trim() === '')) throw fatal('CSV has no header row');
  const columns = header.map((h) => h.trim().toLowerCase());
  const rows: RawRecord[] = [];
  // Each parsed row ended with one line break; quoted fields may hold more.
  let line = 1 + 1 + newlines(header);
  for (const cells of table.slice(1)) {
    const start = line;
    line += 1 + newlines(cells);
    if (cells.length === 1 && cells[0]!.trim() === '') continue;
    if (cells.length !== columns.length) {
      rows.push({ line: start, values: {}, problem: `has ${cells.length} field${cells.length === 1 ? '' : 's'}, the header has ${columns.length}` });
      continue;
    }
    const values: Record<string, string> = {};
    for (const [i, c] of columns.entries()) values[c] = cells[i]!;
    rows.push({ line: start, values });
  }
  return { columns, rows };
}

function newlines(cells: readonly string[]): number {
  let n = 0;
  for (const c of cells) for (const ch of c) if (ch === '\n') n++;
  return n;
}

function jsonlRecords(content: string): { columns: string[]; rows: RawRecord[] } {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const columns = new Set<string>();
  const rows: RawRecord[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch {
      rows.push({ line, values: {}, problem: 'is not valid JSON' });
      return;
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
      rows.push({ line, values: {}, problem: 'is not a JSON object' });
      return;
    }
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj)) {
      const key = k.toLowerCase();
      columns.add(key);
      if (v === null || v === undefined) continue;
      if (typeof v === 'string' || typeof v === 'number') values[key] = String(v);
      else {
        rows.push({ line, values: {}, problem: `field "${k}" must be a string` });
        return;
      }
    }
    rows.push({ line, values });
  });
  if (rows.length === 0) throw fatal('JSONL file has no records');
  return { columns: [...columns], rows };
}

/** Format from a file name: .csv, or .jsonl / .ndjson. */
export function historyFormatOf(path: string): HistoryFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  throw fatal(`${path}: unsupported file type (use .csv or .jsonl)`, { path });
}
