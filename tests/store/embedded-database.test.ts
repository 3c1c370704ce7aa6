/**
 * The embedded database itself (src/store/embedded-*.ts), apart from the run's
 * shared one: FerretDB on PostgreSQL restarted on the same port after a
 * kill -9 of either process, a clean stop, nothing left behind when the
 * process that ran it is killed, and which backend a data dir gets.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { silentLogger } from '../../src/logger';
import { chooseBackend, defaultFerretdbBinary, type EmbeddedMongo, startEmbeddedMongo } from '../../src/store/embedded-mongo';

const ROOT = path.resolve(__dirname, '../..');
const binary = process.env.FERRETDB_BIN || defaultFerretdbBinary();
const built = existsSync(binary) || existsSync(path.join(ROOT, 'tools/ferretdb/bin/ferretdb-launcher'));
const launcher = existsSync(binary) ? binary : path.join(ROOT, 'tools/ferretdb/bin/ferretdb-launcher');

const alive = (pid: number | undefined) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `chatdesk-${label}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('which backend a data dir gets', () => {
  const dir = tempDir('choose');

  it('takes CHATDESK_EMBEDDED_DB when set, and refuses anything else', () => {
    expect(chooseBackend(path.join(dir, 'a'), 'sqlite')).toBe('sqlite');
    expect(chooseBackend(path.join(dir, 'a'), 'postgresql')).toBe('postgresql');
    expect(() => chooseBackend(path.join(dir, 'a'), 'mysql')).toThrow(/postgresql or sqlite/);
  });

  it('defaults to PostgreSQL, except for a data dir that holds SQLite data and no cluster', () => {
    expect(chooseBackend(path.join(dir, 'fresh'))).toBe('postgresql');
    const old = path.join(dir, 'old');
    mkdirSync(old);
    writeFileSync(path.join(old, 'test.sqlite'), '');
    expect(chooseBackend(old)).toBe('sqlite');
    mkdirSync(path.join(old, 'pg'));
    writeFileSync(path.join(old, 'pg', 'PG_VERSION'), '16\n');
    expect(chooseBackend(old)).toBe('postgresql');
  });
});

(built ? describe : describe.skip)('embedded FerretDB on PostgreSQL, supervised', () => {
  jest.setTimeout(90_000);
  const dir = tempDir('embedded-pg');
  let db: EmbeddedMongo;
  let conn: mongoose.Connection;

  beforeAll(async () => {
    // Durable, as the app runs it: with durable: false a commit younger than the WAL writer's delay dies with the postmaster.
    db = await startEmbeddedMongo({ dataDir: dir, binary: launcher, backend: 'postgresql', logger: silentLogger() });
    conn = await mongoose.createConnection(`${db.uri}supervised`, { serverSelectionTimeoutMS: 20_000 }).asPromise();
  });
  afterAll(async () => {
    await conn?.close();
    await db?.stop();
  });

  it('comes back on the same port after a kill -9 of FerretDB and of PostgreSQL, with its data', async () => {
    const tickets = conn.db!.collection<{ _id: string; n: number }>('tickets');
    await tickets.insertOne({ _id: 'a', n: 1 });
    const events: string[] = [];
    db.events.on('down', (e) => events.push(`down ${e.name}`));
    db.events.on('up', (e) => events.push(`up ${e.name}`));
    const before = db.status();
    expect(before).toMatchObject({ backend: 'postgresql', healthy: true, ferretdb: 'up', postgresql: 'up' });

    for (const part of ['ferretdb', 'postgresql'] as const) {
      const pid = db.status().pids[part]!;
      process.kill(pid, 'SIGKILL');
      await until(`${part} down`, () => !db.healthy());
      await until(`${part} back`, () => db.healthy() && db.status().pids[part] !== pid);
      // The driver reconnects by itself: same URI, same port.
      // (After a PostgreSQL restart the first calls fail: FerretDB's pooled connections to the old server.)
      await until(`a read through the old connection after ${part}`, async () => (await tickets.findOne({ _id: 'a' }).catch(() => null))?.n === 1);
    }
    expect(events).toEqual(['down ferretdb', 'up ferretdb', 'down postgresql', 'up postgresql']);
    expect(db.status()).toMatchObject({ healthy: true, restarts: { ferretdb: 1, postgresql: 1 }, postgresPort: before.postgresPort });
    await tickets.updateOne({ _id: 'a', n: 1 } as never, { $set: { n: 2 } });
    expect((await tickets.findOne({ _id: 'a' }))?.n).toBe(2);
  });

  it('stops FerretDB, then PostgreSQL, within a few seconds', async () => {
    const { pids } = db.status();
    await conn.close();
    const t = Date.now();
    await db.stop();
    expect(Date.now() - t).toBeLessThan(8000);
    expect(alive(pids.ferretdb)).toBe(false);
    expect(alive(pids.postgresql)).toBe(false);
    expect(db.healthy()).toBe(false);
  });
});

/** A node process that runs the embedded database from the TypeScript sources (compiled by @swc/core) and prints its status. */
const HOLDER = `
const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
const fs = require('fs');
require.extensions['.ts'] = (m, f) => m._compile(swc.transformSync(fs.readFileSync(f, 'utf8'), { filename: f, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }).code, f);
const { startEmbeddedMongo } = require(${JSON.stringify(path.join(ROOT, 'src/store/embedded-mongo.ts'))});
const logger = { debug() {}, info() {}, warn() {}, error() {}, child() { return logger; } };
startEmbeddedMongo({ dataDir: process.argv[1], binary: process.argv[2], backend: 'postgresql', durable: false, logger })
  .then((db) => { process.stdout.write(JSON.stringify(db.status()) + '\\n'); setInterval(() => {}, 1000); });
`;

(built ? describe : describe.skip)('after a kill -9 of the process that ran it', () => {
  jest.setTimeout(90_000);
  const dir = tempDir('embedded-orphan');

  async function holder(): Promise<{ pid: number; status: { pids: { ferretdb: number; postgresql: number } } }> {
    const child = spawn(process.execPath, ['-e', HOLDER, dir, launcher], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    return { pid: child.pid!, status: JSON.parse(line) };
  }

  it('leaves neither FerretDB nor PostgreSQL running', async () => {
    const { pid, status } = await holder();
    process.kill(pid, 'SIGKILL');
    await until('FerretDB and PostgreSQL to exit', () => !alive(status.pids.ferretdb) && !alive(status.pids.postgresql), 15_000);
  });

  it('copes at the next start with a postmaster that outlived it (its watchdog killed too)', async () => {
    const { pid, status } = await holder();
    const watchdog = execFileSync('pgrep', ['-f', `chatdesk-postgres-watchdog ${status.pids.postgresql}$`], { encoding: 'utf8' }).trim();
    // The watchdog first: killed second, it could still see its parent go and stop PostgreSQL.
    process.kill(Number(watchdog), 'SIGKILL');
    process.kill(pid, 'SIGKILL');
    await until('FerretDB to exit', () => !alive(status.pids.ferretdb));
    await new Promise((r) => setTimeout(r, 500));
    expect(alive(status.pids.postgresql)).toBe(true); // orphaned, holding postmaster.pid

    const db = await startEmbeddedMongo({ dataDir: dir, binary: launcher, backend: 'postgresql', durable: false, logger: silentLogger() });
    try {
      expect(alive(status.pids.postgresql)).toBe(false);
      const conn = await mongoose.createConnection(`${db.uri}orphan`).asPromise();
      await conn.db!.collection('x').insertOne({ ok: 1 });
      expect(await conn.db!.collection('x').countDocuments({})).toBe(1);
      await conn.close();
    } finally {
      await db.stop();
    }
  });
});
