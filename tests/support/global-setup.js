// Starts one embedded database for the whole test run (unless MONGODB_URI names
// a real MongoDB), in a fresh temporary directory: FerretDB on the backend
// CHATDESK_EMBEDDED_DB names (default: the app's default, PostgreSQL), started
// and supervised by the app's own code (src/store/embedded-mongo.ts). Each test
// file then uses its own database on it (tests/support/test-db.ts).
const { mkdtempSync, existsSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The app's logger shape: warnings and errors on stderr; everything with CHATDESK_TEST_DB_LOG=1. */
function testLogger(bindings = {}) {
  const verbose = !!process.env.CHATDESK_TEST_DB_LOG;
  const write = (level) => (obj, msg) => {
    if (!verbose && (level === 'debug' || level === 'info')) return;
    process.stderr.write(`[test-db ${level}] ${msg ?? ''} ${JSON.stringify({ ...bindings, ...obj })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), child: (b) => testLogger({ ...bindings, ...b }) };
}

module.exports = async function globalSetup() {
  if (process.env.MONGODB_URI) {
    process.env.CHATDESK_TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const bin = process.env.FERRETDB_BIN || path.resolve(__dirname, '../../tools/ferretdb/bin/ferretdb-launcher');
  if (!existsSync(bin)) throw new Error(`FerretDB launcher not built at ${bin}: run scripts/build-ferretdb.sh (scripts/test.sh does it)`);
  // jest compiles this TypeScript file for global setup as it does for tests.
  const { startEmbeddedMongo } = require('../../src/store/embedded-mongo.ts');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chatdesk-test-db-'));
  const started = Date.now();
  // durable: false -> PostgreSQL without fsync: a test run's data need not survive a power cut.
  const embedded = await startEmbeddedMongo({ dataDir: dir, binary: bin, logger: testLogger(), backend: process.env.CHATDESK_EMBEDDED_DB, durable: false });
  if (process.env.CHATDESK_TEST_DB_LOG) process.stderr.write(`[test-db] ${embedded.backend} up in ${Date.now() - started} ms at ${embedded.uri}\n`);
  globalThis.__CHATDESK_EMBEDDED_DB__ = { embedded, dir };
  process.env.CHATDESK_TEST_MONGODB_URI = embedded.uri;
  process.env.CHATDESK_TEST_EMBEDDED_DB = embedded.backend;
  process.env.CHATDESK_TEST_FERRETDB_DIR = dir;
};
