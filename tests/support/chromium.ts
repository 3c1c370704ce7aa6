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

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    // Starting Chromium beside the app can take long on a busy 2-core machine (setup, not what is tested).
    timeout: 60_000,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
