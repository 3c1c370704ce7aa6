const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  const running = globalThis.__CHATDESK_FERRETDB__;
  if (!running) return;
  await new Promise((resolve) => {
    if (running.child.exitCode !== null) return resolve();
    running.child.once('exit', resolve);
    running.child.stdin.end();
    setTimeout(() => running.child.kill('SIGKILL'), 5000).unref();
  });
  rmSync(running.dir, { recursive: true, force: true });
};
