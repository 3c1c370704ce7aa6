import type { Logger } from '../../logger';

/** The SDK's logger interface, written to our structured logger (its errors are retried or reported by us, so they log as warnings). */
export function larkLogger(logger: Logger): {
  error: (...m: unknown[]) => void;
  warn: (...m: unknown[]) => void;
  info: (...m: unknown[]) => void;
  debug: (...m: unknown[]) => void;
  trace: (...m: unknown[]) => void;
} {
  const log = logger.child({ component: 'lark-sdk' });
  const line = (args: unknown[]) =>
    args
      .flat()
      .map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : safeJson(a)))
      .join(' ');
  return {
    error: (...args) => log.warn({}, line(args)),
    warn: (...args) => log.warn({}, line(args)),
    info: (...args) => log.debug({}, line(args)),
    debug: (...args) => log.debug({}, line(args)),
    trace: (...args) => log.debug({}, line(args)),
  };
}

function safeJson(value: unknown): string {
  try {
    // Request configs can carry the Authorization header: never log it.
    return JSON.stringify(value, (k, v: unknown) => (/authorization|secret|token/i.test(k) ? '[redacted]' : v)).slice(0, 2000);
  } catch {
    return '[unserializable]';
  }
}
