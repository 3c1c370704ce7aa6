/** The README's configuration table lists exactly the variables the app reads. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { envSchema } from '../../src/config/env.schema';

describe('README configuration table', () => {
  it('names every environment variable the configuration schema reads, and no other', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### Teams, ticket types'));
    const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    const schemaKeys = Object.keys(envSchema.shape).sort();
    expect(documented).toEqual(schemaKeys);
  });
});
