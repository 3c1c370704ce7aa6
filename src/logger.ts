import pino from 'pino';

/**
 * The structured logger every part receives by injection. It is pino's shape,
 * narrowed to what the code uses, so tests can pass a silent or capturing one.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Paths never written to the log, whatever a caller passes. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'signingSecret',
  '*.signingSecret',
  'apiKey',
  '*.apiKey',
  'clientSecret',
  '*.clientSecret',
  'authorization',
  '*.authorization',
  'password',
  '*.password',
  'pass',
  '*.pass',
  'headers.authorization',
  'req.headers.authorization',
  'headers["x-slack-signature"]',
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino({ level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'chatdesk' } }, options.destination);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
