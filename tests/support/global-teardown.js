const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  const running = globalThis.__CHATDESK_EMBEDDED_DB__;
  if (!running) return;
  globalThis.__CHATDESK_EMBEDDED_DB__ = undefined;
  // FerretDB first, then PostgreSQL; each is killed if it does not stop within a few seconds.
  await running.embedded.stop();
  rmSync(running.dir, { recursive: true, force: true });
};
