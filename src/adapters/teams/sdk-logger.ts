import type { ILogger, LogLevel } from '@microsoft/teams.common';
import type { Logger } from '../../logger';

const SECRET_KEYS = /^(authorization|token|access_token|client_secret|password|secret)$/i;

function line(args: unknown[]): string {
  return args
    .map((a) => {
      if (a instanceof Error) return a.message;
      if (typeof a === 'string') return a;
      try {
        // Axios errors and configs carry the bearer token in headers: never write those.
        return JSON.stringify(a, (k, v: unknown) => (SECRET_KEYS.test(k) ? '[redacted]' : v))?.slice(0, 2000);
      } catch {
        return '[unserializable]';
      }
    })
    .join(' ');
}

/** The Teams SDK's logger interface, written to our structured logger. */
export function sdkLogger(logger: Logger, name = 'teams-sdk'): ILogger {
  const log = logger.child({ component: name });
  const self: ILogger = {
    debug: (...args: unknown[]) => log.debug({}, line(args)),
    info: (...args: unknown[]) => log.info({}, line(args)),
    warn: (...args: unknown[]) => log.warn({}, line(args)),
    error: (...args: unknown[]) => log.error({}, line(args)),
    trace: (...args: unknown[]) => log.debug({}, line(args)),
    log: (level: LogLevel, ...args: unknown[]) =>
      level === 'error' ? log.error({}, line(args)) : level === 'warn' ? log.warn({}, line(args)) : log.debug({}, line(args)),
    child: (childName: string) => sdkLogger(logger, `${name}/${childName}`),
  };
  return self;
}
