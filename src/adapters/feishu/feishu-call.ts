import { ChatdeskError } from '../../domain/errors';

/** Feishu answers throttling with HTTP 429 and code 99991400. */
const RATE_LIMITED = 99991400;
/** The bot cannot write to this person: outside the app's availability (230013), or the user stopped the bot (230053). */
export const UNREACHABLE_CODES = new Set([230013, 230053]);

export interface LarkReply {
  code?: number;
  msg?: string;
  data?: unknown;
}

interface Failure {
  status?: number;
  code?: number;
  msg?: string;
  retryAfterMs?: number;
}

export interface RetryPolicy {
  attempts: number;
  /** First back-off; doubles per attempt unless Feishu says when to come back. */
  baseDelayMs: number;
}

const DEFAULT_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 500 };

function failureOf(err: unknown): Failure {
  const response = (err as { response?: { status?: number; data?: { code?: number; msg?: string }; headers?: Record<string, unknown> } }).response;
  if (!response) return { msg: (err as Error).message };
  const reset = Number(response.headers?.['x-ogw-ratelimit-reset']);
  return {
    status: response.status,
    code: response.data?.code,
    msg: response.data?.msg,
    ...(Number.isFinite(reset) && reset > 0 ? { retryAfterMs: reset * 1000 } : {}),
  };
}

const transient = (f: Failure) => f.status === 429 || f.code === RATE_LIMITED || (f.status !== undefined && f.status >= 500) || f.status === undefined;

/**
 * Runs one Open API call: retries throttling (429 / 99991400, after
 * x-ogw-ratelimit-reset when given) and 5xx with back-off, so a card is
 * delayed, never lost; callers pass an idempotency `uuid` so a retry is never
 * posted twice. What survives becomes a coded ChatdeskError.
 */
export async function callLark<T extends LarkReply>(method: string, fn: () => Promise<T>, policy: RetryPolicy = DEFAULT_POLICY): Promise<T> {
  let last: Failure = {};
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    let failure: Failure;
    try {
      const reply = await fn();
      if (!reply || reply.code === undefined || reply.code === 0) return reply;
      failure = { status: 200, code: reply.code, msg: reply.msg };
    } catch (err) {
      failure = failureOf(err);
    }
    last = failure;
    if (!transient(failure) || attempt === policy.attempts) break;
    const delay = failure.retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1);
    await new Promise((r) => setTimeout(r, delay));
  }
  // Feishu answers a refusal with HTTP 200 and a code (or a 4xx); throttling and 5xx were retried above.
  const details = { platform: 'feishu', method, status: last.status, code: last.code, permanent: !transient(last) };
  if (last.code !== undefined && UNREACHABLE_CODES.has(last.code)) {
    throw new ChatdeskError('chatdesk_recipient_unreachable', `Feishu ${method}: ${last.msg ?? 'recipient unreachable'}`, details);
  }
  throw new ChatdeskError('chatdesk_adapter_error', `Feishu ${method} failed: ${last.code ?? last.status ?? ''} ${last.msg ?? ''}`.trim(), details);
}
