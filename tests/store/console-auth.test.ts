/**
 * The console's sign-in links and pending sign-ins at the identity provider
 * in the real database, as two replicas see them: one made on a replica is
 * taken on the other, once, however many uses arrive at the same moment;
 * expired sign-ins are purged.
 */
import { silentLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store/database';
import { testMongoUri } from '../support/test-db';

describe('console sign-in store', () => {
  let one: Store;
  let two: Store;
  const uri = testMongoUri('console-auth');
  beforeAll(async () => {
    [one, two] = await Promise.all([openStore({ uri, dataDir: '', logger: silentLogger() }), openStore({ uri, dataDir: '', logger: silentLogger() })]);
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
  });

  const pending = (expiresAt: Date) => ({ browser: 'b'.repeat(64), nonce: 'n0nce', verifier: 'v3rifier', expiresAt });

  it('gives a sign-in started on one replica to the other, to exactly one of five simultaneous answers', async () => {
    const expiresAt = new Date(Date.now() + 600_000);
    await one.consoleAuth.saveOidcState('d'.repeat(64), pending(expiresAt));
    const now = new Date();
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => (i % 2 ? one : two).consoleAuth.useOidcState('d'.repeat(64), now)));
    expect(answers.filter((a) => a === 'used')).toHaveLength(4);
    expect(answers.find((a) => a !== 'used')).toEqual(pending(expiresAt));
    expect(await two.consoleAuth.useOidcState('e'.repeat(64), now)).toBeNull();
  });

  it('lets a sign-in link be used once, by one of five simultaneous uses on two replicas', async () => {
    const user = { platform: 'playground', id: 'bob', name: 'Bob' } as const;
    const expiresAt = new Date(Date.now() + 600_000);
    await one.consoleAuth.saveLink('f'.repeat(64), user, expiresAt);
    const now = new Date();
    const uses = await Promise.all([1, 2, 3, 4, 5].map((i) => (i % 2 ? two : one).consoleAuth.useLink('f'.repeat(64), now)));
    expect(uses.filter((u) => u === 'used')).toHaveLength(4);
    expect(uses.find((u) => u !== 'used')).toEqual({ user, expiresAt });
  });

  it('purges the sign-ins that expired, and keeps the others', async () => {
    await one.consoleAuth.saveOidcState('1'.repeat(64), pending(new Date(Date.now() - 1000)));
    await one.consoleAuth.saveOidcState('2'.repeat(64), pending(new Date(Date.now() + 600_000)));
    expect(await two.consoleAuth.purgeExpired(new Date())).toBe(1);
    expect(await two.consoleAuth.useOidcState('1'.repeat(64), new Date())).toBeNull();
    expect(await two.consoleAuth.useOidcState('2'.repeat(64), new Date())).not.toBeNull();
  });

  it('purges ended sessions at once and links a day after they expired, and keeps the rest', async () => {
    const user = { platform: 'playground', id: 'ann' } as const;
    const now = Date.now();
    await one.consoleAuth.saveSession('3'.repeat(64), { user, csrf: 'c'.repeat(32), expiresAt: new Date(now - 1000) });
    await one.consoleAuth.saveSession('4'.repeat(64), { user, csrf: 'c'.repeat(32), expiresAt: new Date(now + 600_000) });
    await one.consoleAuth.saveLink('5'.repeat(64), user, new Date(now - 25 * 3600_000));
    await one.consoleAuth.saveLink('6'.repeat(64), user, new Date(now - 1000));
    expect(await two.consoleAuth.purgeExpired(new Date(now))).toBe(2);
    expect(await two.consoleAuth.findSession('3'.repeat(64))).toBeNull();
    expect(await two.consoleAuth.findSession('4'.repeat(64))).not.toBeNull();
    expect(await two.consoleAuth.useLink('5'.repeat(64), new Date(now))).toBeNull();
    // Expired an instant ago: still there, so its page can say "expired".
    expect(await two.consoleAuth.useLink('6'.repeat(64), new Date(now))).toMatchObject({ user });
  });
});
