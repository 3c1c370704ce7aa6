import path from 'node:path';

/** Files the tests read (official schemas, data set extracts): tests/fixtures, see its README for sources and licences. */
export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures');

export const fixturePath = (...parts: string[]) => path.join(FIXTURES_DIR, ...parts);
