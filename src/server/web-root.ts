import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository's `web/` directory, found upwards from the running file (src/… under jest, dist/src/… when built). */
export function findWebRoot(marker: string): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'web');
    if (existsSync(path.join(candidate, marker))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`web/${marker} not found next to the application`);
}
