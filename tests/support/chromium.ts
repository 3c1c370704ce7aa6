/** The Chromium the browser tests drive: CHROMIUM_PATH, else /usr/bin/chromium (scripts/ensure-chromium.sh installs one). */
import { accessSync, constants, statSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter((p): p is string => !!p);
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there or not executable: try the next one
    }
  }
  return undefined;
}

export const MISSING_CHROMIUM =
  'no Chromium for the browser tests: set CHROMIUM_PATH to a Chromium/Chrome binary or install /usr/bin/chromium (scripts/ensure-chromium.sh does it)';
export const inCI = !!process.env.CI && !/^(0|false)$/i.test(process.env.CI);

const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Chromium for a browser test. Starting it beside the app can take long
 * on a busy 2-core machine, and now and then a start hangs outright (seen in
 * CI: no window after 60 s): one more start is tried before the test fails.
 * This is setup, not what is tested.
 */
export async function launchChromium(executablePath: string): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath, timeout: 45_000, args: ARGS });
  } catch (err) {
    process.stderr.write(`Chromium did not start (${(err as Error).message.split('\n')[0]}); trying once more\n`);
    return chromium.launch({ executablePath, timeout: 60_000, args: ARGS });
  }
}

/**
 * `describe(name, …)` with the Chromium it needs (`body` gets its path); without
 * one it is skipped locally, and a failure in CI.
 */
export function describeInChromium(name: string, body: (executablePath: string) => void): void {
  const executablePath = findChromium();
  if (executablePath) {
    describe(name, () => body(executablePath));
    return;
  }
  if (inCI) {
    describe(name, () => {
      it('has a Chromium to run in', () => {
        throw new Error(`${MISSING_CHROMIUM} (CI is set, so this is a failure, not a skip)`);
      });
    });
    return;
  }
  console.warn(`[tests/browser] skipped: ${MISSING_CHROMIUM}`);
  describe.skip(`${name} (skipped: ${MISSING_CHROMIUM})`, () => {
    it('is skipped', () => undefined);
  });
}
