/** The README's configuration table lists exactly the variables the app and its scripts read. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { envSchema } from '../../src/config/env.schema';

const ROOT = path.resolve(__dirname, '../..');

/** Read by scripts/*.sh (setup and tests), not by the app. */
const SCRIPT_VARIABLES = ['CHATDESK_NODE_VERSION', 'CHROMIUM_PATH', 'GREENMAIL_JAR', 'GREENMAIL_VERSION'];

describe('README configuration table', () => {
  it('names every environment variable the configuration schema and the scripts read, and no other', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### Teams, ticket types'));
    const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    const schemaKeys = Object.keys(envSchema.shape);
    expect(documented).toEqual([...schemaKeys, ...SCRIPT_VARIABLES].sort());
  });

  it('lists script variables that a script really reads', () => {
    const scripts = readdirSync(path.join(ROOT, 'scripts'))
      .filter((f) => f.endsWith('.sh'))
      .map((f) => readFileSync(path.join(ROOT, 'scripts', f), 'utf8'))
      .join('\n');
    for (const name of SCRIPT_VARIABLES) expect(scripts).toMatch(new RegExp(`\\$\\{${name}[:}]`));
  });
});
