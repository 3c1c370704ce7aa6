import { existsSync } from 'node:fs';
import path from 'node:path';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** The team's shared folder (official platform schemas, data sets) beside the repository. */
export const SHARED_DIR = process.env.CHATDESK_SHARED_DIR ?? path.resolve(repoRoot(), '..', 'shared');

export const sharedPath = (...parts: string[]) => path.join(SHARED_DIR, ...parts);
