import type { Middleware, MiddlewareContext, MiddlewareNext } from '@microsoft/teams.common';
import type { Logger } from '../../logger';
import { retryDelayMs } from './bot-token';

const MAX_RETRIES = 5;

function statusOf(err: unknown): { status?: number; retryAfter?: string } {
  const res = (err as { response?: { status?: number; headers?: Record<string, unknown> } }).response;
  const header = res?.headers?.['retry-after'];
  return { status: res?.status, retryAfter: typeof header === 'string' ? header : undefined };
}

/**
 * Retries the SDK's Bot Connector calls on 429 (after Retry-After) and 5xx,
 * so a throttled card is delayed, not lost. Runs inside the SDK's own http
 * client, so replies made through the turn context are covered too.
 */
export function retryMiddleware(logger: Logger): Middleware {
  return {
    async invoke<R, D>(context: MiddlewareContext<D>, next: MiddlewareNext<R>): Promise<R> {
      for (let attempt = 0; ; attempt++) {
        try {
          return await next();
        } catch (err) {
          const { status, retryAfter } = statusOf(err);
          const transient = status === 429 || (status !== undefined && status >= 500);
          if (!transient || attempt >= MAX_RETRIES) throw err;
          const delay = retryDelayMs(retryAfter, attempt);
          logger.warn(
            { status, attempt: attempt + 1, delayMs: delay, method: context.config.method, path: pathOf(context.config.url) },
            'Teams API call throttled or failed; retrying',
          );
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    },
  };
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).pathname : undefined;
  } catch {
    return undefined;
  }
}
