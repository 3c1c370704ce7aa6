import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChatdeskError } from '../domain/errors';
import type { Logger } from '../logger';

/**
 * A new PostgreSQL cluster for the embedded database (initdb, the database,
 * FerretDB's GIN twins), created beside its final place and moved there only
 * when complete, so a failed start leaves no half-made cluster.
 */

export const SUPERUSER = 'chatdesk';
export const DATABASE = 'ferretdb';
export const PASSWORD_FILE = 'chatdesk-password';

/**
 * FerretDB 1.24 sends an equality filter as `_jsonb->$1 @> $2` (`@>` so that
 * a scalar also matches inside arrays). Its indexes are btree on
 * `(_jsonb->'field')`, which serve `=` but not `@>`: every lookup by `_id`
 * (findOne, the versioned updateOne of each ticket change) or by an indexed
 * field scanned the table. A GIN expression index on the same expressions
 * serves `@>` (EXPLAIN: Bitmap Index Scan; figures in bench/README.md). This
 * event trigger gives every btree index FerretDB creates (the `_id` one of
 * each collection included) a GIN twin, in the same transaction. FerretDB does
 * not know about the twins (listIndexes does not show them); dropping the
 * index or the collection drops them. Uniqueness stays with FerretDB's btree.
 * Run at initdb in single-user mode (-j: a command ends at a blank line).
 */
const GIN_TWIN_TRIGGER = `
CREATE FUNCTION chatdesk_gin_twin() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
DECLARE
  obj record;
  idx record;
  cols text;
BEGIN
  FOR obj IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' AND object_type = 'index' LOOP
    SELECT i.indrelid, i.indnkeyatts, c.relname, am.amname INTO idx
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
      WHERE i.indexrelid = obj.objid;
    CONTINUE WHEN idx.amname <> 'btree' OR idx.relname LIKE 'chatdesk\\_%';
    CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = idx.indrelid AND attname = '_jsonb' AND atttypid = 'jsonb'::regtype AND NOT attisdropped);
    SELECT string_agg(pg_get_indexdef(obj.objid, k, true) || ' jsonb_path_ops', ', ' ORDER BY k) INTO cols
      FROM generate_series(1, idx.indnkeyatts) AS k;
    CONTINUE WHEN cols IS NULL OR cols !~ '^\\(_jsonb ->';
    EXECUTE format('CREATE INDEX %I ON %s USING gin (%s)', 'chatdesk_gin_' || obj.objid, idx.indrelid::regclass, cols);
  END LOOP;
END
$fn$;

CREATE EVENT TRIGGER chatdesk_gin_twin ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION chatdesk_gin_twin();

`;

export interface RunAs {
  uid: number;
  gid: number;
}

/** initdb into a side directory, create the database, then move it into place (an interrupted init leaves no half cluster). */
export function initCluster(opts: { dir: string; bin: (name: string) => string; runAs: RunAs | undefined; log: Logger }): void {
  const { dir, bin, runAs, log } = opts;
  const parent = path.dirname(dir);
  mkdirSync(parent, { recursive: true });
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new ChatdeskError('chatdesk_store_unavailable', `${dir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); move it away`, { dir });
  }
  const work = `${dir}.init-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { mode: 0o700 });
  const password = randomBytes(18).toString('hex');
  const pwfile = path.join(os.tmpdir(), `chatdesk-pg-pw-${process.pid}-${randomBytes(4).toString('hex')}`);
  const started = Date.now();
  try {
    if (runAs) chownSync(work, runAs.uid, runAs.gid);
    checkReachable(work, runAs);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
    run(
      bin('initdb'),
      [
        `--pgdata=${work}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        // What FerretDB needs: UTF8, and a C-like locale.
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        '--lc-messages=C',
      ],
      runAs,
    );
    run(bin('postgres'), ['--single', '-D', work, '-c', 'lc_messages=C', 'postgres'], runAs, `CREATE DATABASE ${DATABASE};\n`);
    run(bin('postgres'), ['--single', '-j', '-D', work, '-c', 'lc_messages=C', DATABASE], runAs, GIN_TWIN_TRIGGER);
    writeFileSync(path.join(work, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
    if (runAs) chownSync(path.join(work, PASSWORD_FILE), runAs.uid, runAs.gid);
    renameSync(work, dir);
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  } finally {
    rmSync(pwfile, { force: true });
  }
  log.info({ dir, ms: Date.now() - started }, 'embedded PostgreSQL: cluster initialised');
}

function run(binary: string, args: string[], runAs: RunAs | undefined, input?: string): void {
  const r = spawnSync(binary, args, {
    ...(runAs ?? {}),
    input,
    encoding: 'utf8',
    env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: undefined },
    timeout: 120_000,
  });
  if (r.error || r.status !== 0) {
    throw new ChatdeskError(
      'chatdesk_store_unavailable',
      `${path.basename(binary)} failed (status ${r.status}): ${r.error?.message ?? ''}\n${r.stderr ?? ''}${r.stdout ?? ''}`.trim(),
    );
  }
}

/** The postgres user must be able to write to and search `dir` (every parent searchable), or it cannot run there. */
export function checkReachable(dir: string, runAs: RunAs | undefined): void {
  if (!runAs) return;
  const r = spawnSync('/bin/sh', ['-c', 'test -w "$1" && test -x "$1"', 'sh', dir], { ...runAs, stdio: 'ignore' });
  if (r.status !== 0) {
    throw new ChatdeskError(
      'chatdesk_store_unavailable',
      `The postgres user cannot reach ${dir}: every parent directory must be searchable by it (chmod o+x), or set CHATDESK_DATA_DIR to a directory outside it`,
      { dir },
    );
  }
}
