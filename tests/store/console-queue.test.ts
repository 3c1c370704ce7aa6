/**
 * The console's queue (src/console/queue-service.ts) on the real store, over
 * four months of history: it reads only equality lookups (a status, a creation
 * day or month, a word, a requester), so its pages are stitched from several
 * buckets and must still show every matching ticket once, newest first.
 */
import { PAGE_SIZE, type QueueQuery } from '../../src/console/queue-query';
import { QueueService, type QueueScope } from '../../src/console/queue-service';
import { mapLimit } from '../../src/core/map-limit';
import { validateSlaConfig } from '../../src/domain/sla/policy';
import type { Ticket, UserRef } from '../../src/domain/ticket/ticket';
import type { NewTicket } from '../../src/domain/ticket/ticket.repository.port';
import type { Store } from '../../src/store/database';
import { openTestStore } from '../support/test-db';

const FIRST = 1001;
const COUNT = 1200;
const HOUR = 3_600_000;
/** Now: the newest ticket was opened an hour ago; the oldest 120 days before it. */
const NOW = new Date('2026-11-30T12:00:00Z');
const STEP = 2.4 * HOUR;
const createdOf = (i: number) => new Date(NOW.getTime() - HOUR - (COUNT - 1 - i) * STEP);
const STATUSES = ['new', 'in_progress', 'resolved', 'closed'] as const;
/** An integration that opened more tickets than one requester lookup reads (every ticket but one in eight). */
const BOT: UserRef = { platform: 'slack', id: 'UBOT' };
const ALICE: UserRef = { platform: 'slack', id: 'UALICE' };
const isBots = (i: number) => i % 8 !== 0;
/** A word only on three tickets opened two to three months ago. */
const RARE = new Set([150, 230, 310]);

function draft(i: number): NewTicket {
  const number = FIRST + i;
  const createdAt = createdOf(i);
  return {
    number,
    key: `T-${number}`,
    title: `${i % 3 === 0 ? 'Printer jammed' : 'VPN drops'}${RARE.has(i) ? ' zebra label' : ''} ${i}`,
    description: '',
    type: 'incident',
    fields: {},
    requester: isBots(i) ? BOT : ALICE,
    team: 'it',
    category: 'hardware',
    categoryConfidence: 1,
    priority: 'P3',
    priorityConfidence: 1,
    classificationReason: '',
    status: STATUSES[i % 4]!,
    escalationLevel: 0,
    tags: [],
    agentCards: [],
    createdAt,
    updatedAt: createdAt,
    activity: [],
    version: 1,
  };
}

const anyStatus = (over: Partial<QueueQuery> = {}): QueueQuery => ({ words: [], status: [], priority: [], sort: 'newest', page: 1, ...over });
const keys = (tickets: Ticket[]) => tickets.map((t) => t.key);
/** The seeded tickets matching `keep`, newest first. */
const expected = (keep: (i: number) => boolean) =>
  Array.from({ length: COUNT }, (_, i) => i)
    .filter(keep)
    .reverse()
    .map((i) => `T-${FIRST + i}`);

describe('the console queue over months of history', () => {
  let store: Store;
  let queue: QueueService;
  const all: QueueScope = { kind: 'all' };

  beforeAll(async () => {
    store = await openTestStore('console-queue');
    await mapLimit(
      Array.from({ length: COUNT }, (_, i) => i),
      4,
      (i) => store.tickets.insert(draft(i)),
    );
    queue = new QueueService({ tickets: store.consoleTickets, sla: validateSlaConfig({}), timeZone: 'UTC', firstNumber: FIRST, now: () => NOW });
  }, 120_000);
  afterAll(() => store?.close());

  it('a word on a third of the tickets: the newest pages, then every match once, across the days and the months before them', async () => {
    const printer = expected((i) => i % 3 === 0);
    const page1 = await queue.page(all, anyStatus({ words: ['printer'] }), ALICE);
    expect(keys(page1.tickets)).toEqual(printer.slice(0, PAGE_SIZE));
    expect(page1.more).toBe(true);
    const page3 = await queue.page(all, anyStatus({ words: ['printer'], page: 3 }), ALICE);
    expect(keys(page3.tickets)).toEqual(printer.slice(2 * PAGE_SIZE, 3 * PAGE_SIZE));
    // The export reads them all: the newest two weeks day by day, then whole months without the days already read.
    const everything = await queue.all(all, anyStatus({ words: ['printer'] }), ALICE, 5000);
    expect(keys(everything.tickets)).toEqual(printer);
    expect(everything.more).toBe(false);
  });

  it('a rare word found months back, each ticket once; two words must both match', async () => {
    const page = await queue.page(all, anyStatus({ words: ['zebra'] }), ALICE);
    expect(keys(page.tickets)).toEqual(expected((i) => RARE.has(i)));
    const both = await queue.page(all, anyStatus({ words: ['zebra', 'printer'] }), ALICE);
    expect(keys(both.tickets)).toEqual(expected((i) => RARE.has(i) && i % 3 === 0));
    const oldest = await queue.page(all, anyStatus({ words: ['zebra'], sort: 'oldest' }), ALICE);
    expect(keys(oldest.tickets)).toEqual(expected((i) => RARE.has(i)).reverse());
  });

  it('a requester sees only their own tickets, with the count when they are few', async () => {
    const own = await queue.page({ kind: 'own', user: ALICE }, anyStatus(), ALICE);
    const alices = expected((i) => !isBots(i));
    expect(keys(own.tickets)).toEqual(alices.slice(0, PAGE_SIZE));
    expect(own.total).toBe(alices.length);
  });

  it('a requester with more tickets than one lookup reads (an integration) still gets their newest pages, and only theirs', async () => {
    const bots = expected(isBots);
    expect(bots.length).toBeGreaterThan(1000);
    const scope: QueueScope = { kind: 'own', user: BOT };
    const page1 = await queue.page(scope, anyStatus(), BOT);
    expect(keys(page1.tickets)).toEqual(bots.slice(0, PAGE_SIZE));
    expect(page1.more).toBe(true);
    const page2 = await queue.page(scope, anyStatus({ page: 2 }), BOT);
    expect(keys(page2.tickets)).toEqual(bots.slice(PAGE_SIZE, 2 * PAGE_SIZE));
    const resolved = await queue.page(scope, anyStatus({ status: ['resolved'] }), BOT);
    expect(keys(resolved.tickets)).toEqual(expected((i) => isBots(i) && STATUSES[i % 4] === 'resolved').slice(0, PAGE_SIZE));
    const everything = await queue.all(scope, anyStatus(), BOT, 5000);
    expect(keys(everything.tickets)).toEqual(bots);
  });
});
