import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ChatdeskError } from '../domain/errors';
import type { Logger } from '../logger';

export interface EmbeddedMongo {
  uri: string;
  stop(): Promise<void>;
}

/** Where `scripts/build-ferretdb.sh` puts the launcher. */
export function defaultFerretdbBinary(): string {
  return path.resolve(__dirname, '..', '..', '..', 'tools', 'ferretdb', 'bin', 'ferretdb-launcher');
}

function findBinary(explicit?: string): string {
  const candidates = [explicit, defaultFerretdbBinary(), path.resolve(process.cwd(), 'tools/ferretdb/bin/ferretdb-launcher')].filter(
    (c): c is string => !!c,
  );
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new ChatdeskError(
      'chatdesk_store_unavailable',
      `The embedded database (FerretDB) is not built. Run scripts/build-ferretdb.sh, set FERRETDB_BIN, or set MONGODB_URI. Looked in: ${candidates.join(', ')}`,
    );
  }
  return found;
}

/**
 * Starts the embedded MongoDB-compatible database: FerretDB 1.24 with its
 * SQLite backend, in `dataDir`. The launcher prints its URI, and exits when
 * our stdin closes, so it never outlives this process.
 */
export async function startEmbeddedMongo(opts: { dataDir: string; binary?: string; logger: Logger }): Promise<EmbeddedMongo> {
  const binary = findBinary(opts.binary);
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const child: ChildProcess = spawn(binary, ['-dir', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  const log = opts.logger.child({ component: 'ferretdb' });
  createInterface({ input: child.stderr! }).on('line', (line) => log.debug({ line }, 'ferretdb'));

  const uri = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new ChatdeskError('chatdesk_store_unavailable', 'FerretDB did not start within 20 s')), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new ChatdeskError('chatdesk_store_unavailable', `FerretDB exited at start (code ${code})`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new ChatdeskError('chatdesk_store_unavailable', `FerretDB could not start: ${err.message}`, {}, { cause: err }));
    });
  });
  log.info({ uri, dataDir }, 'embedded database started');

  return {
    uri,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin?.end();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
