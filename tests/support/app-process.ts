import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The compiled app (scripts/test.sh compiles it before jest runs); found from tests/support or from its compiled copy in dist/. */
export const MAIN_JS = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../src/main.js' : '../../dist/src/main.js');

/** A free TCP port on 127.0.0.1 (so a restarted app comes back at the same URL). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  url: string;
  child: ChildProcess;
  /** JSON log lines seen so far. */
  logs: Array<Record<string, unknown>>;
  /** The last 4,000 characters the process wrote to stderr. */
  stderr(): string;
  /** SIGKILL: no shutdown code runs. */
  kill9(): Promise<void>;
  /** SIGTERM, resolving with the exit code and how long it took. */
  terminate(): Promise<{ code: number | null; ms: number }>;
}

/**
 * Starts chatdesk as its own process (`node dist/src/main.js`), the way an
 * operator runs it, and resolves once it logs that it is running.
 */
export async function startAppProcess(env: Record<string, string>, port: number, timeoutMs = 60_000, mainJs = MAIN_JS): Promise<AppProcess> {
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run the tests through scripts/test.sh (it compiles the app first)`);
  const child = spawn(process.execPath, [mainJs], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: env.LOG_LEVEL ?? 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-20000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chatdesk did not start within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === 'chatdesk is running') {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`chatdesk exited (${code}) before it was running; stderr: ${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    logs,
    stderr: () => stderr,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    terminate: async () => {
      const started = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      return { code, ms: Date.now() - started };
    },
  };
}

/** The direct children of a process, with their command lines (ps). */
export function childProcesses(pid: number): Array<{ pid: number; args: string }> {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => ({ pid: Number(m[1]), args: m[2]! }));
}
