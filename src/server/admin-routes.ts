/**
 * Admin endpoints on chatdesk's own server, behind a bearer token
 * (CHATDESK_ADMIN_TOKEN; without it the routes are not mounted and answer 404):
 *
 *   POST /admin/classifier/import?format=csv|jsonl[&text-col=..][&label-col=..][&priority-col=..][&id-col=..]
 *        body: the labelled history file (UTF-8). All or nothing: 200 with counts
 *        and the batch id, or 422 with every row error and its line number.
 *   GET  /admin/classifier   what the live model is trained on.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HistoryFormat, ImportOptions } from '../ai/import/labeled-history';
import type { LiveClassifier } from '../ai/learning/live-classifier';
import type { Logger } from '../logger';
import type { RouteHandler } from './http-server';
import { HttpError, sendJson } from './http-util';

export const ADMIN_CLASSIFIER_PATH = '/admin/classifier';
export const ADMIN_IMPORT_PATH = '/admin/classifier/import';
/** Largest history accepted in one import (about 50,000 tickets of 300 characters). */
export const ADMIN_IMPORT_LIMIT_BYTES = 16 * 1024 * 1024;

const IMPORT_PARAMS = new Set(['format', 'text-col', 'label-col', 'priority-col', 'id-col']);

export interface AdminRoutesOptions {
  token: string;
  classifier: Pick<LiveClassifier, 'importHistory' | 'status'>;
  logger: Logger;
  bodyLimitBytes?: number;
}

export function createAdminRoutes(opts: AdminRoutesOptions): RouteHandler {
  const log = opts.logger.child({ component: 'admin' });
  const expected = digest(opts.token);
  const limit = opts.bodyLimitBytes ?? ADMIN_IMPORT_LIMIT_BYTES;
  return async (req, res, url) => {
    if (url.pathname !== ADMIN_CLASSIFIER_PATH && !url.pathname.startsWith(`${ADMIN_CLASSIFIER_PATH}/`)) return false;
    if (!authorized(req, expected)) {
      log.warn({ path: url.pathname, remote: req.socket.remoteAddress }, 'admin request refused: missing or wrong token');
      refuse(req, res, 401, { error: 'unauthorized: send Authorization: Bearer <CHATDESK_ADMIN_TOKEN>' }, { 'www-authenticate': 'Bearer' });
      return true;
    }
    if (url.pathname === ADMIN_CLASSIFIER_PATH) {
      if (req.method !== 'GET') return methodNotAllowed(req, res, 'GET');
      sendJson(res, 200, opts.classifier.status());
      return true;
    }
    if (url.pathname !== ADMIN_IMPORT_PATH) {
      sendJson(res, 404, { error: 'not found' });
      return true;
    }
    if (req.method !== 'POST') return methodNotAllowed(req, res, 'POST');
    const unknown = [...url.searchParams.keys()].filter((k) => !IMPORT_PARAMS.has(k));
    if (unknown.length > 0) throw new HttpError(400, `unknown parameter ${unknown.join(', ')} (known: ${[...IMPORT_PARAMS].join(', ')})`);
    const format = formatOf(url.searchParams.get('format'), req.headers['content-type']);
    const columns = columnsOf(url.searchParams);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      refuse(req, res, 413, { error: `file over ${limit} bytes: split it into several imports` });
      return true;
    }
    const content = await readText(req, limit);
    const outcome = await opts.classifier.importHistory({ content, format, columns });
    if (!outcome.ok) {
      log.info({ rows: outcome.rows, errors: outcome.errors.length + outcome.moreErrors }, 'labelled history refused');
      sendJson(res, 422, outcome);
      return true;
    }
    sendJson(res, 200, outcome);
    return true;
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Compares digests of equal length in constant time (the token's length does not leak either). */
function authorized(req: IncomingMessage, expected: Buffer): boolean {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  const given = digest(m ? m[1]! : '');
  return timingSafeEqual(given, expected) && m !== null;
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  // Do not read a refused upload: answer and close the connection.
  res.setHeader('connection', 'close');
  sendJson(res, status, body);
  req.resume();
}

function methodNotAllowed(req: IncomingMessage, res: ServerResponse, allow: string): true {
  refuse(req, res, 405, { error: `use ${allow}` }, { allow });
  return true;
}

function formatOf(param: string | null, contentType: string | undefined): HistoryFormat {
  const wanted = param?.toLowerCase();
  if (wanted === 'csv' || wanted === 'jsonl') return wanted;
  if (wanted === 'ndjson') return 'jsonl';
  if (wanted) throw new HttpError(400, `format must be csv or jsonl, got "${param!.slice(0, 20)}"`);
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (['application/jsonl', 'application/x-ndjson', 'application/x-jsonlines', 'application/jsonlines'].includes(type)) return 'jsonl';
  throw new HttpError(400, 'say which format the file is: ?format=csv or ?format=jsonl (or Content-Type text/csv / application/x-ndjson)');
}

/** `text-col` names the text column, or "title,description" columns; the others name one column each. */
function columnsOf(params: URLSearchParams): ImportOptions['columns'] {
  const columns: NonNullable<ImportOptions['columns']> = {};
  const one = (name: string): string | undefined => {
    const v = params.get(name)?.trim();
    if (v === undefined) return undefined;
    if (v === '' || v.length > 100) throw new HttpError(400, `${name} must name a column`);
    return v;
  };
  const text = one('text-col');
  if (text !== undefined) {
    const parts = text.split(',').map((p) => p.trim());
    if (parts.length > 2 || parts.some((p) => p === '')) throw new HttpError(400, 'text-col is one column, or two (title,description) separated by a comma');
    if (parts.length === 1) columns.text = parts[0]!;
    else [columns.title, columns.description] = parts as [string, string];
  }
  const label = one('label-col');
  if (label !== undefined) columns.category = label;
  const priority = one('priority-col');
  if (priority !== undefined) columns.priority = priority;
  const id = one('id-col');
  if (id !== undefined) columns.id = id;
  return columns;
}

async function readText(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `file over ${limit} bytes: split it into several imports`);
    chunks.push(chunk as Buffer);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new HttpError(400, 'the file is not UTF-8 text (save it as CSV UTF-8 / UTF-8 JSONL)');
  }
}
