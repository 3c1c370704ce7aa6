/**
 * chatdesk-classifier: train, apply and evaluate the offline text classifier.
 *
 *   train  --in FILE [--text-col text] [--label-col label] --out model.json [--seed N]
 *   label  --model model.json --in FILE [--text-col text] [--threshold T]
 *   report --model model.json --in FILE [--text-col text] [--label-col label] [--threshold T] [--json]
 *   import --in FILE --url http://host:port [--text-col ..] [--label-col ..] [--priority-col ..] [--id-col ..] [--json]
 *
 * `import` sends a labelled history to a running chatdesk (POST /admin/classifier/import,
 * token from CHATDESK_ADMIN_TOKEN); the desk stores it all or nothing and retrains.
 * There --text-col is one column, or two (title,description); the defaults are the
 * columns text / title, description, category or label, priority, id.
 *
 * FILE is .csv (header row, RFC 4180 quoting) or .jsonl (one object per line).
 * --text-col may list several columns separated by commas (joined by newlines),
 * e.g. --text-col subject,body. With --threshold, predictions whose confidence
 * is below T are "triage" (abstained).
 *
 * Exit codes: 0 ok, 1 bad input (file, column, model; rows refused by the server), 2 usage error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isChatdeskError } from '../domain/errors';
import { UNKNOWN_CATEGORY, type LabeledExample } from './classifier.port';
import { historyFormatOf } from './import/labeled-history';
import { readRows, requireColumns, rowText, type FileReader } from './offline/dataset';
import { classificationReport } from './offline/metrics';
import { OfflineTextClassifier } from './offline/text-classifier';

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  readFile: FileReader;
  writeFile(path: string, data: string): void;
  /** For `import` (default: global fetch and process.env). */
  fetch?: typeof fetch;
  env?: Record<string, string | undefined>;
}

export const defaultIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  readFile: (path) => readFileSync(path, 'utf8'),
  writeFile: (path, data) => writeFileSync(path, data),
  fetch: (...args) => fetch(...args),
  env: process.env,
};

const USAGE = `usage:
  chatdesk-classifier train  --in FILE [--text-col text] [--label-col label] --out model.json [--seed N]
  chatdesk-classifier label  --model model.json --in FILE [--text-col text] [--threshold T]
  chatdesk-classifier report --model model.json --in FILE [--text-col text] [--label-col label] [--threshold T] [--json]
  chatdesk-classifier import --in FILE --url http://host:port [--text-col ..] [--label-col ..] [--priority-col ..] [--id-col ..] [--json]
FILE: .csv with a header row, or .jsonl with one JSON object per line.
import: sends FILE to a running chatdesk, which learns its categories (token from CHATDESK_ADMIN_TOKEN).`;

class UsageError extends Error {}

const FLAGS: Record<string, 'value' | 'bool'> = {
  in: 'value',
  out: 'value',
  model: 'value',
  'text-col': 'value',
  'label-col': 'value',
  threshold: 'value',
  seed: 'value',
  url: 'value',
  'priority-col': 'value',
  'id-col': 'value',
  json: 'bool',
  help: 'bool',
};

function parseArgs(argv: readonly string[]): { command: string | undefined; flags: Map<string, string> } {
  const flags = new Map<string, string>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h') {
      flags.set('help', 'true');
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      const kind = FLAGS[name];
      if (!kind) throw new UsageError(`unknown option --${name}`);
      if (kind === 'bool') {
        flags.set(name, 'true');
        continue;
      }
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
      continue;
    }
    if (command === undefined) command = arg;
    else throw new UsageError(`unexpected argument "${arg}"`);
  }
  return { command, flags };
}

function required(flags: Map<string, string>, name: string): string {
  const v = flags.get(name);
  if (v === undefined || v === '') throw new UsageError(`missing --${name}`);
  return v;
}

function threshold(flags: Map<string, string>): number | undefined {
  const raw = flags.get('threshold');
  if (raw === undefined) return undefined;
  const t = Number(raw);
  if (!Number.isFinite(t) || t < 0 || t > 1) throw new UsageError(`--threshold must be a number between 0 and 1, got "${raw}"`);
  return t;
}

function textCols(flags: Map<string, string>): string[] {
  const cols = (flags.get('text-col') ?? 'text')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (cols.length === 0) throw new UsageError('--text-col is empty');
  return cols;
}

function loadModel(path: string, io: CliIo): OfflineTextClassifier {
  let raw: string;
  try {
    raw = io.readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: ${code === 'ENOENT' ? 'model file not found' : (err as Error).message}`);
  }
  try {
    return OfflineTextClassifier.fromJSON(raw);
  } catch (err) {
    throw new InputError(`${path}: ${(err as Error).message}`);
  }
}

class InputError extends Error {}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  try {
    const { command, flags } = parseArgs(argv);
    if (flags.has('help') || command === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (command === undefined) throw new UsageError('missing command (train, label, report or import)');
    switch (command) {
      case 'train': {
        const inPath = required(flags, 'in');
        const outPath = required(flags, 'out');
        const cols = textCols(flags);
        const labelCol = flags.get('label-col') ?? 'label';
        const seedRaw = flags.get('seed');
        const seed = seedRaw === undefined ? undefined : Number(seedRaw);
        if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${seedRaw}"`);
        const { columns, rows } = readRows(inPath, io.readFile);
        requireColumns(inPath, columns, [...cols, labelCol]);
        const examples: LabeledExample[] = [];
        let skipped = 0;
        for (const row of rows) {
          const text = rowText(row, cols);
          const label = (row[labelCol] ?? '').trim();
          if (text.trim() === '' || label === '') skipped++;
          else examples.push({ text, label });
        }
        if (examples.length === 0) throw new InputError(`${inPath}: no rows with both text and label`);
        const labels = new Set(examples.map((e) => e.label));
        if (labels.size < 2) throw new InputError(`${inPath}: column "${labelCol}" has only one label (${[...labels].join('')}); need at least 2`);
        const t0 = performance.now();
        const model = OfflineTextClassifier.train(examples, seed === undefined ? {} : { seed });
        const ms = performance.now() - t0;
        const json = JSON.stringify(model.toJSON());
        io.writeFile(outPath, json);
        if (skipped > 0) io.stderr(`skipped ${skipped} row(s) with empty text or label`);
        io.stdout(
          `trained on ${examples.length} examples, ${labels.size} labels, ${model.featureCount} features in ${(ms / 1000).toFixed(2)} s; wrote ${outPath} (${(json.length / 1024).toFixed(0)} KiB)`,
        );
        return 0;
      }
      case 'label': {
        const model = loadModel(required(flags, 'model'), io);
        const inPath = required(flags, 'in');
        const cols = textCols(flags);
        const t = threshold(flags);
        const { columns, rows } = readRows(inPath, io.readFile);
        requireColumns(inPath, columns, cols);
        for (const row of rows) {
          const text = rowText(row, cols);
          const p = model.predict(text);
          const label = t !== undefined && p.confidence < t ? UNKNOWN_CATEGORY : p.label;
          io.stdout(JSON.stringify({ text, label, confidence: Number(p.confidence.toFixed(4)) }));
        }
        return 0;
      }
      case 'report': {
        const model = loadModel(required(flags, 'model'), io);
        const inPath = required(flags, 'in');
        const cols = textCols(flags);
        const labelCol = flags.get('label-col') ?? 'label';
        const t = threshold(flags);
        const { columns, rows } = readRows(inPath, io.readFile);
        requireColumns(inPath, columns, [...cols, labelCol]);
        const gold: string[] = [];
        const pred: string[] = [];
        const confident: boolean[] = [];
        for (const row of rows) {
          const label = (row[labelCol] ?? '').trim();
          if (label === '') continue;
          const p = model.predict(rowText(row, cols));
          gold.push(label);
          pred.push(p.label);
          confident.push(t === undefined || p.confidence >= t);
        }
        if (gold.length === 0) throw new InputError(`${inPath}: no rows with a label in column "${labelCol}"`);
        const rep = classificationReport(gold, pred);
        const answered = confident.filter(Boolean).length;
        const selective =
          t === undefined
            ? undefined
            : {
                threshold: t,
                abstainRate: 1 - answered / gold.length,
                accuracyWhenAnswered: answered > 0 ? gold.filter((g, i) => confident[i] && g === pred[i]).length / answered : 0,
              };
        const unknown = [...new Set(gold)].filter((g) => !model.labels.includes(g));
        if (flags.has('json')) {
          io.stdout(JSON.stringify({ ...rep, ...(selective ? { selective } : {}), labelsNotInModel: unknown }));
          return 0;
        }
        io.stdout(`examples: ${rep.n}`);
        io.stdout(`accuracy: ${pct(rep.accuracy)}`);
        io.stdout(`macro-F1: ${pct(rep.macroF1)}`);
        if (selective) {
          io.stdout(`threshold: ${t}  abstain rate: ${pct(selective.abstainRate)}  accuracy when answered: ${pct(selective.accuracyWhenAnswered)}`);
        }
        if (unknown.length > 0) io.stdout(`labels in file but not in model: ${unknown.join(', ')}`);
        const width = Math.max(5, ...rep.perLabel.map((m) => m.label.length));
        io.stdout(`${'label'.padEnd(width)}  precision  recall     f1  support`);
        for (const m of rep.perLabel) {
          io.stdout(
            `${m.label.padEnd(width)}  ${m.precision.toFixed(3).padStart(9)}  ${m.recall.toFixed(3).padStart(6)}  ${m.f1.toFixed(3).padStart(5)}  ${String(m.support).padStart(7)}`,
          );
        }
        return 0;
      }
      case 'import':
        return await importHistory(flags, io);
      default:
        throw new UsageError(`unknown command "${command}" (expected train, label, report or import)`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`error: ${err.message}`);
      io.stderr(USAGE);
      return 2;
    }
    if (err instanceof InputError || isChatdeskError(err)) {
      io.stderr(`error: ${(err as Error).message}`);
      return 1;
    }
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && typeof e.path === 'string') {
      io.stderr(`error: cannot write ${e.path}: ${e.code}`);
      return 1;
    }
    throw err;
  }
}

interface ImportAnswer {
  ok?: boolean;
  error?: string;
  errors?: Array<{ line: number; message: string }>;
  moreErrors?: number;
  batchId?: string;
  imported?: number;
  rows?: number;
  categories?: Record<string, number>;
  priorities?: Record<string, number>;
  withoutPriority?: number;
  unroutedCategories?: string[];
  defaultTeam?: string;
  model?: { state: string; taxonomy: string; priorities: string; categories: string[]; examples: { category: number }; trainingMs: number; lastError?: string };
}

async function importHistory(flags: Map<string, string>, io: CliIo): Promise<number> {
  const inPath = required(flags, 'in');
  const base = required(flags, 'url');
  const token = (io.env ?? process.env).CHATDESK_ADMIN_TOKEN;
  if (!token) throw new UsageError('set CHATDESK_ADMIN_TOKEN to the token the server was started with');
  let url: URL;
  try {
    url = new URL('admin/classifier/import', base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new UsageError(`--url must be the desk's address, e.g. http://127.0.0.1:3000, got "${base}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be http(s), got "${base}"`);
  url.searchParams.set('format', historyFormatOf(inPath));
  for (const flag of ['text-col', 'label-col', 'priority-col', 'id-col']) {
    const v = flags.get(flag);
    if (v !== undefined) url.searchParams.set(flag, v);
  }
  let body: string;
  try {
    body = io.readFile(inPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${inPath}: ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
  const doFetch = io.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain; charset=utf-8' }, body });
  } catch (err) {
    throw new InputError(`cannot reach ${url.origin}: ${(err as Error).message}`);
  }
  const text = await res.text();
  let answer: ImportAnswer;
  try {
    answer = JSON.parse(text) as ImportAnswer;
  } catch {
    throw new InputError(`${url.origin} answered ${res.status} with something that is not chatdesk's JSON`);
  }
  if (flags.has('json')) io.stdout(JSON.stringify(answer));
  if (res.status === 401) throw new InputError('the server refused the token (401): CHATDESK_ADMIN_TOKEN must be the one the server was started with');
  if (res.status === 404) throw new InputError(`${url.origin} has no import endpoint: start chatdesk with CHATDESK_ADMIN_TOKEN set`);
  if (res.status === 422) {
    io.stderr(`error: ${answer.error ?? 'the file was refused'}`);
    for (const e of answer.errors ?? []) io.stderr(`  line ${e.line}: ${e.message}`);
    if (answer.moreErrors) io.stderr(`  … and ${answer.moreErrors} more`);
    return 1;
  }
  if (res.status !== 200 || !answer.ok) throw new InputError(`${url.origin} answered ${res.status}: ${answer.error ?? text.slice(0, 200)}`);
  if (flags.has('json')) return 0;
  const list = (counts: Record<string, number> | undefined) =>
    Object.entries(counts ?? {})
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  io.stdout(`imported ${answer.imported} examples from ${answer.rows} rows (batch ${answer.batchId})`);
  io.stdout(`categories: ${list(answer.categories)}`);
  io.stdout(`priorities: ${list(answer.priorities)}${answer.withoutPriority ? `, without priority ${answer.withoutPriority}` : ''}`);
  if (answer.unroutedCategories?.length) {
    io.stdout(`not listed by any team (their tickets go to team ${answer.defaultTeam}): ${answer.unroutedCategories.join(', ')}`);
  }
  const m = answer.model;
  if (m) {
    const state =
      m.state === 'trained'
        ? `trained in ${(m.trainingMs / 1000).toFixed(2)} s; new tickets use it`
        : m.state === 'training'
          ? 'still training'
          : `training failed: ${m.lastError ?? 'see the server log'}`;
    io.stdout(`model: ${m.taxonomy === 'team' ? 'your categories' : 'seed categories'} (${m.categories.length}), priorities from ${m.priorities}; ${state}`);
  }
  return 0;
}

if (require.main === module) {
  // `... | head` closes the pipe early: stop quietly instead of crashing with EPIPE.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`internal error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 70;
    },
  );
}
