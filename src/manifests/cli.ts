/**
 * Generates the platforms' app manifests and settings from the one command
 * description: `node dist/src/manifests/cli.js print|write|zip|register …` (see USAGE).
 */
import { repoRoot, runCli } from './cli-main';

runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  root: repoRoot(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
