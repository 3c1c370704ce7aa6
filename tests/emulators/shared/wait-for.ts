/**
 * Polls `check` until it returns a value other than undefined/false, or times
 * out with `describe()` in the error message.
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  opts: { timeoutMs?: number; intervalMs?: number; message?: string; describe?: () => string } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const intervalMs = opts.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const parts = [`waitFor: timed out after ${timeoutMs} ms${opts.message ? `: ${opts.message}` : ''}`];
      if (lastError) parts.push(`last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
      if (opts.describe) parts.push(opts.describe());
      throw new Error(parts.join('\n'));
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Rejects if `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
