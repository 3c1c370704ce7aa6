// Starts one embedded FerretDB for the whole test run (unless MONGODB_URI names
// a real MongoDB), in a fresh temporary directory. Each test file then uses its
// own database on it (tests/support/test-db.ts).
const { spawn } = require('node:child_process');
const { mkdtempSync, existsSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createInterface } = require('node:readline');

module.exports = async function globalSetup() {
  if (process.env.MONGODB_URI) {
    process.env.CHATDESK_TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const bin = process.env.FERRETDB_BIN || path.resolve(__dirname, '../../tools/ferretdb/bin/ferretdb-launcher');
  if (!existsSync(bin)) throw new Error(`FerretDB launcher not built at ${bin}: run scripts/build-ferretdb.sh (scripts/test.sh does it)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chatdesk-test-db-'));
  const child = spawn(bin, ['-dir', dir], { stdio: ['pipe', 'pipe', 'ignore'] });
  const uri = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('FerretDB did not start in 20 s')), 20000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`FerretDB exited with ${code}`)));
  });
  globalThis.__CHATDESK_FERRETDB__ = { child, dir };
  process.env.CHATDESK_TEST_MONGODB_URI = uri;
  process.env.CHATDESK_TEST_FERRETDB_DIR = dir;
};
