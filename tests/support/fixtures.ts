import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root: found from this file, whether it runs from tests/ or compiled into dist/tests/ (benches). */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** Files the tests read (official schemas, data set extracts): tests/fixtures, see its README for sources and licences. */
export const FIXTURES_DIR = path.join(repoRoot(), 'tests', 'fixtures');

export const fixturePath = (...parts: string[]) => path.join(FIXTURES_DIR, ...parts);
