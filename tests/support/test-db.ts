import { randomBytes } from 'node:crypto';
import { silentLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store/database';

/** A MongoDB URI for a database of this test file's own on the run's server (FerretDB or MONGODB_URI). */
export function testMongoUri(label: string): string {
  const base = process.env.CHATDESK_TEST_MONGODB_URI;
  if (!base) throw new Error('CHATDESK_TEST_MONGODB_URI is not set: tests must run through jest (globalSetup starts the database)');
  const url = new URL(base);
  url.pathname = `/t_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

/** A store on a database of this test file's own (see testMongoUri), indexes created: what store tests open in their beforeAll. */
export function openTestStore(label: string): Promise<Store> {
  return openStore({ uri: testMongoUri(label), dataDir: '', logger: silentLogger() });
}
