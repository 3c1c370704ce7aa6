/**
 * The console's saved queue views on the real database: each person's own,
 * a name once per person (case aside), at most MAX_SAVED_VIEWS, and a view
 * deleted only by its owner.
 */
import { MAX_SAVED_VIEWS, viewNameOf, viewQueryOf } from '../../src/console/saved-views';
import type { UserRef } from '../../src/domain/ticket/ticket';
import type { Store } from '../../src/store/database';
import { openTestStore } from '../support/test-db';

const bob: UserRef = { platform: 'slack', id: 'UBOB' };
const carol: UserRef = { platform: 'teams', id: 'carol-aad' };
const at = (n: number) => new Date(Date.UTC(2026, 11, 1, 9, n));

describe('saved queue views', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('saved-views');
  });
  afterAll(() => store?.close());

  it('keeps each person their own views, a name once, at most the limit; only the owner deletes one', async () => {
    const first = await store.savedViews.add(bob, { name: 'Printers', query: 'q=printer&status=any&sort=newest' }, at(0));
    expect(first).toMatchObject({ name: 'Printers', query: 'q=printer&status=any&sort=newest' });
    expect(await store.savedViews.add(bob, { name: 'printers', query: 'q=x' }, at(1))).toBe('taken');
    // Another person may use the same name, and sees only their own.
    expect(await store.savedViews.add(carol, { name: 'Printers', query: 'status=any&sort=oldest' }, at(1))).toMatchObject({ name: 'Printers' });
    for (let i = 1; i < MAX_SAVED_VIEWS; i++) expect(await store.savedViews.add(bob, { name: `View ${i}`, query: 'sort=newest' }, at(i + 1))).not.toBe('full');
    expect(await store.savedViews.add(bob, { name: 'One too many', query: 'sort=newest' }, at(40))).toBe('full');
    const mine = await store.savedViews.list(bob);
    expect(mine.map((v) => v.name)).toEqual(['Printers', ...Array.from({ length: MAX_SAVED_VIEWS - 1 }, (_, i) => `View ${i + 1}`)]);
    expect((await store.savedViews.list(carol)).map((v) => v.query)).toEqual(['status=any&sort=oldest']);

    const id = (first as { id: string }).id;
    expect(await store.savedViews.remove(carol, id)).toBe(false);
    expect((await store.savedViews.list(bob)).length).toBe(MAX_SAVED_VIEWS);
    expect(await store.savedViews.remove(bob, id)).toBe(true);
    expect(await store.savedViews.remove(bob, id)).toBe(false);
    expect(await store.savedViews.add(bob, { name: 'Printers again', query: 'q=printer' }, at(41))).toMatchObject({ name: 'Printers again' });
  });

  it('takes a name and filters as typed only after cleaning them: no control characters, no page, no unknown filter', () => {
    expect(viewNameOf('  My\u0000  open\n P1 ')).toBe('My open P1');
    expect(viewNameOf('   ')).toBeNull();
    expect(viewNameOf('x'.repeat(61))).toBeNull();
    expect(viewQueryOf('q=printer&page=7&status=resolved&status=bogus&evil=1&ufrom=2026-11-01&sort=priority')).toBe(
      'q=printer&status=resolved&ufrom=2026-11-01&sort=priority',
    );
  });
});
