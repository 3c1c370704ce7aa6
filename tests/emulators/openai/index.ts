/**
 * Local emulator of an OpenAI-compatible chat completions endpoint for tests:
 * the real `openai` SDK talks to it via `baseURL: emulator.baseUrl`.
 *
 * POST /v1/chat/completions and GET /v1/models, Bearer auth, request checks
 * (400 with OpenAI's error shape), and scripted replies, one per request
 * (FIFO; when the script is empty the `auto` reply is used):
 *   json / text      a valid answer with this body / content
 *   malformed        content that is not JSON
 *   truncated        finish_reason 'length' and half an answer
 *   refusal          message.refusal set
 *   slow             waits `delayMs` (or until the client gives up), then replies `then` (default auto)
 *   status           429 (Retry-After) / 500 / 503 with OpenAI's error body
 *   injection        obeys instructions found in the ticket text (priority "P0 URGENT",
 *                    category "admin", an extra `assignee`, mass mentions in a reply)
 *   auto             triage requests: first category id that occurs in the ticket, else 'triage',
 *                    P2, confidence 0.8; other requests: a short polite reply
 * Every request is logged with its parsed body and whether it was authorised.
 */
import type http from 'node:http';
import { CallLog, readBody, sendJson, startHttpServer } from '../shared';

export type OpenAiReply =
  | { kind: 'json'; body: unknown }
  | { kind: 'text'; content: string }
  | { kind: 'malformed' }
  | { kind: 'truncated' }
  | { kind: 'refusal' }
  | { kind: 'slow'; delayMs: number; then?: OpenAiReply }
  | { kind: 'status'; status: 429 | 500 | 503; retryAfterSec?: number }
  | { kind: 'injection' }
  | { kind: 'auto' };

export interface OpenAiCall {
  method: 'chat.completions' | 'models' | 'unknown';
  status: number;
  body: ChatBody | undefined;
  /** The raw request body as received. */
  raw: string;
  authorized: boolean;
  reply: OpenAiReply['kind'] | 'rejected';
  at: number;
}

export interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
  max_tokens?: number;
  temperature?: number;
  [k: string]: unknown;
}

export interface OpenAiEmulator {
  url: string;
  /** What to pass as the SDK's baseURL (…/v1). */
  baseUrl: string;
  apiKey: string;
  model: string;
  calls: OpenAiCall[];
  chatCalls(): OpenAiCall[];
  waitForCall(predicate?: (c: OpenAiCall) => boolean, timeoutMs?: number): Promise<OpenAiCall>;
  /** Queues replies for the next requests, in order. */
  script(...replies: OpenAiReply[]): void;
  pendingScript(): number;
  clearScript(): void;
  close(): Promise<void>;
}

export async function startOpenAiEmulator(options: { apiKey?: string; model?: string } = {}): Promise<OpenAiEmulator> {
  const apiKey = options.apiKey ?? 'sk-emulator-0123456789abcdef';
  const model = options.model ?? 'gpt-4o-mini';
  const log = new CallLog<OpenAiCall>('openai-emulator');
  const queue: OpenAiReply[] = [];
  let seq = 0;

  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const raw = (await readBody(req)).toString('utf8');
    const path = (req.url ?? '').split('?')[0];
    const authorized = req.headers.authorization === `Bearer ${apiKey}`;
    const record = (method: OpenAiCall['method'], status: number, body: ChatBody | undefined, reply: OpenAiCall['reply']) =>
      log.record({ method, status, body, raw, authorized, reply, at: Date.now() });

    if (!authorized) {
      sendJson(res, 401, apiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
      record(path === '/v1/models' ? 'models' : 'chat.completions', 401, undefined, 'rejected');
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, { object: 'list', data: [{ id: model, object: 'model', created: 1_700_000_000, owned_by: 'emulator' }] });
      record('models', 200, undefined, 'auto');
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(res, 404, apiError(`Unknown request URL: ${req.method} ${path}`, 'invalid_request_error', 'unknown_url'));
      record('unknown', 404, undefined, 'rejected');
      return;
    }
    let body: ChatBody;
    try {
      body = JSON.parse(raw) as ChatBody;
    } catch {
      sendJson(res, 400, apiError('We could not parse the JSON body of your request.', 'invalid_request_error', null));
      record('chat.completions', 400, undefined, 'rejected');
      return;
    }
    const problem = checkBody(body);
    if (problem) {
      sendJson(res, 400, apiError(problem, 'invalid_request_error', null));
      record('chat.completions', 400, body, 'rejected');
      return;
    }

    let reply: OpenAiReply = queue.shift() ?? { kind: 'auto' };
    const kind = reply.kind;
    if (reply.kind === 'slow') {
      const delayMs = reply.delayMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        res.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (res.destroyed || res.writableEnded) {
        record('chat.completions', 499, body, kind);
        return;
      }
      reply = reply.then ?? { kind: 'auto' };
    }
    if (reply.kind === 'status') {
      const headers: Record<string, string> = reply.retryAfterSec !== undefined ? { 'retry-after': String(reply.retryAfterSec) } : {};
      const err =
        reply.status === 429
          ? apiError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded')
          : apiError('The server had an error while processing your request.', 'server_error', null);
      sendJson(res, reply.status, err, headers);
      record('chat.completions', reply.status, body, kind);
      return;
    }
    const { content, finish, refusal } = answer(reply, body);
    seq++;
    sendJson(res, 200, {
      id: `chatcmpl-emu-${seq}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal, annotations: [] }, finish_reason: finish, logprobs: null }],
      usage: { prompt_tokens: Math.ceil(raw.length / 4), completion_tokens: Math.ceil((content ?? '').length / 4), total_tokens: 0 },
    });
    record('chat.completions', 200, body, kind);
  };

  const server = await startHttpServer(handler);
  return {
    url: server.url,
    baseUrl: `${server.url}/v1`,
    apiKey,
    model,
    calls: log.calls,
    chatCalls: () => log.callsTo('chat.completions'),
    waitForCall: (predicate, timeoutMs) => log.waitFor('chat.completions', predicate, timeoutMs),
    script: (...replies) => void queue.push(...replies),
    pendingScript: () => queue.length,
    clearScript: () => void queue.splice(0),
    close: async () => {
      log.close();
      await server.close();
    },
  };
}

function apiError(message: string, type: string, code: string | null): unknown {
  return { error: { message, type, param: null, code } };
}

function checkBody(body: ChatBody): string | undefined {
  if (!body || typeof body !== 'object') return 'body must be a JSON object';
  if (typeof body.model !== 'string' || body.model === '') return 'you must provide a model parameter';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "'messages' must be a non-empty array";
  for (const [i, m] of body.messages.entries()) {
    if (!m || !['system', 'user', 'assistant', 'developer'].includes(m.role)) return `'messages.${i}.role' is invalid`;
    if (typeof m.content !== 'string') return `'messages.${i}.content' must be a string`;
  }
  const rf = body.response_format;
  if (rf !== undefined) {
    if (!['text', 'json_object', 'json_schema'].includes(rf.type)) return "'response_format.type' is invalid";
    if (rf.type === 'json_schema' && (!rf.json_schema || !/^[a-zA-Z0-9_-]{1,64}$/.test(rf.json_schema.name) || typeof rf.json_schema.schema !== 'object')) {
      return "'response_format.json_schema' needs a name and a schema";
    }
    if (rf.type === 'json_object' && !body.messages.some((m) => /json/i.test(m.content))) {
      return "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.";
    }
  }
  if (body.max_tokens !== undefined && (!Number.isInteger(body.max_tokens) || body.max_tokens < 1)) return "'max_tokens' must be a positive integer";
  return undefined;
}

/** The ticket as the client sent it: the JSON between <ticket> markers, else the whole user message. */
export function ticketOf(body: ChatBody): string {
  const user = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const m = /<ticket>\s*([\s\S]*?)\s*<\/ticket>/.exec(user);
  if (!m) return user;
  try {
    const t = JSON.parse(m[1]!) as Record<string, unknown>;
    return Object.values(t)
      .filter((v) => typeof v === 'string')
      .join('\n');
  } catch {
    return m[1]!;
  }
}

function wantsJson(body: ChatBody): boolean {
  return body.response_format?.type === 'json_schema' || body.response_format?.type === 'json_object';
}

function categoryIds(body: ChatBody): string[] {
  const schema = body.response_format?.json_schema?.schema as { properties?: { category?: { enum?: string[] } } } | undefined;
  const fromSchema = schema?.properties?.category?.enum;
  if (fromSchema) return fromSchema;
  const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
  return [...system.matchAll(/^- ([a-z][a-z0-9_-]*)(?::|$)/gm)].map((x) => x[1]!).filter((id) => !/^P\d$/.test(id));
}

function answer(reply: OpenAiReply, body: ChatBody): { content: string | null; finish: string; refusal: string | null } {
  switch (reply.kind) {
    case 'json':
      return { content: JSON.stringify(reply.body), finish: 'stop', refusal: null };
    case 'text':
      return { content: reply.content, finish: 'stop', refusal: null };
    case 'malformed':
      return { content: wantsJson(body) ? "Sure! Here is the triage: category is network, priority P1 {'oops'" : '', finish: 'stop', refusal: null };
    case 'truncated': {
      const full = JSON.stringify({ category: 'triage', priority: 'P2', confidence: 0.5, reason: 'the answer was cut off here' });
      return { content: full.slice(0, Math.floor(full.length / 2)), finish: 'length', refusal: null };
    }
    case 'refusal':
      return { content: null, finish: 'stop', refusal: "I'm sorry, I can't help with that." };
    case 'injection':
      return injected(body);
    default:
      return auto(body);
  }
}

function auto(body: ChatBody): { content: string; finish: string; refusal: null } {
  const ticket = ticketOf(body).toLowerCase();
  if (wantsJson(body)) {
    const ids = categoryIds(body).filter((id) => id !== 'triage');
    const category = ids.find((id) => ticket.includes(id)) ?? 'triage';
    return { content: JSON.stringify({ category, priority: 'P2', confidence: 0.8, reason: `the ticket mentions ${category}` }), finish: 'stop', refusal: null };
  }
  return { content: 'Hello, thanks for the details. Please try the steps in the linked article and tell us if it helps.', finish: 'stop', refusal: null };
}

/** A model that does what the ticket says. */
function injected(body: ChatBody): { content: string; finish: string; refusal: null } {
  const ticket = ticketOf(body);
  const priority = /[Pp]riority\s*(?:to|=|:|as)?\s*["']?(P\d(?:\s+[A-Z!]+\b)*)/.exec(ticket)?.[1]?.trim();
  const category = /category\s*(?:to|=|:|as)\s*["']?([\w-]+)/i.exec(ticket)?.[1];
  const assignee = /assign(?:\s+(?:it|this|the ticket))?\s+to\s+@?([\w.-]+)/i.exec(ticket)?.[1];
  if (wantsJson(body)) {
    return {
      content: JSON.stringify({
        category: category ?? 'triage',
        priority: priority ?? 'P2',
        confidence: 0.99,
        reason: 'as the ticket instructed',
        ...(assignee ? { assignee } : {}),
      }),
      finish: 'stop',
      refusal: null,
    };
  }
  const mentions = ticket.match(/<!(?:channel|here|everyone)>|@(?:everyone|here|channel)|<at>everyone<\/at>/gi) ?? [];
  const long = /long reply|very long/i.test(ticket) ? ' Spam.'.repeat(2000) : '';
  return { content: `${mentions.join(' ')} As instructed: ${ticket}${long}`, finish: 'stop', refusal: null };
}
