/**
 * The REST API's ticket list on the store (src/store/ticket-search.ts): it
 * reads equality buckets, never a range or a sort, so these pages are walked
 * across several number blocks and many update hours, and must still visit
 * every ticket once, in order, with the filters applied.
 */
import type { TicketSearchQuery } from '../../src/api/ticket-search.port';
import type { Ticket } from '../../src/domain/ticket/ticket';
import type { NewTicket } from '../../src/domain/ticket/ticket.repository.port';
import type { Store } from '../../src/store/database';
import { openTestStore } from '../support/test-db';

const FIRST = 1001;
const COUNT = 260;
// Twenty days ago (the store reads update hours up to its clock's now), on the hour.
const start = Math.floor((Date.now() - 20 * 86_400_000) / 3_600_000) * 3_600_000;
const STATUSES = ['new', 'in_progress', 'resolved', 'closed'] as const;

function draft(i: number): NewTicket {
  const number = FIRST + i;
  const createdAt = new Date(start + i * 60_000);
  // Updated over some 400 hours, out of creation order: more hours than one page may read.
  const updatedAt = new Date(createdAt.getTime() + ((i * 7919) % 400) * 3_600_000);
  return {
    number,
    key: `T-${number}`,
    title: i % 10 === 0 ? `Printer jammed ${i}` : `VPN drops ${i}`,
    description: '',
    type: 'incident',
    fields: {},
    requester: { platform: 'slack', id: i % 2 ? 'U1' : 'U2' },
    team: i % 3 === 0 ? 'people' : 'it',
    category: 'network',
    categoryConfidence: 1,
    priority: i % 4 === 0 ? 'P1' : 'P3',
    priorityConfidence: 1,
    classificationReason: '',
    status: STATUSES[i % 4]!,
    escalationLevel: 0,
    tags: i % 50 === 0 ? ['outage'] : [],
    agentCards: [],
    createdAt,
    updatedAt,
    activity: [],
    version: 1,
  };
}

describe('ticket list on the store', () => {
  let store: Store;
  let all: Ticket[];
  const q = (over: Partial<TicketSearchQuery>): TicketSearchQuery => ({ sort: '-createdAt', limit: 50, firstNumber: FIRST, ...over });
  /** Every page of a query, following `next`. */
  const pages = async (query: TicketSearchQuery) => {
    const seen: Ticket[] = [];
    let after: TicketSearchQuery['after'];
    let n = 0;
    do {
      const page = await store.ticketSearch.search({ ...query, ...(after ? { after } : {}) });
      expect(page.tickets.length).toBeLessThanOrEqual(query.limit);
      seen.push(...page.tickets);
      after = page.next;
      n++;
    } while (after && n < 100);
    return { keys: seen.map((t) => t.key), pages: n };
  };
  const keysOf = (tickets: Ticket[]) => tickets.map((t) => t.key);

  beforeAll(async () => {
    store = await openTestStore('search');
    all = [];
    for (let i = 0; i < COUNT; i++) all.push(await store.tickets.insert(draft(i)));
    await store.connection.collection('counters').updateOne({ _id: 'ticket' as never }, { $set: { seq: COUNT } }, { upsert: true });
  });
  afterAll(() => store?.close());

  it('newest first and oldest first: every ticket once, in creation order, across number blocks', async () => {
    const byNumber = [...all].sort((a, b) => b.number - a.number);
    expect((await pages(q({}))).keys).toEqual(keysOf(byNumber));
    expect((await pages(q({ sort: 'createdAt', limit: 37 }))).keys).toEqual(keysOf([...byNumber].reverse()));
  });

  it('by last change: every ticket once in updatedAt order, a page that read its share of hours going on from where it stopped', async () => {
    const expected = [...all].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b.number - a.number);
    const walked = await pages(q({ sort: '-updatedAt' }));
    expect(walked.keys).toEqual(keysOf(expected));
    const asc = await pages(q({ sort: 'updatedAt', limit: 80 }));
    expect(asc.keys).toEqual(keysOf([...expected].reverse()));
  });

  it('filters: single values as equalities, several values, ranges, selective sets (open statuses, a requester, a tag)', async () => {
    const want = (pred: (t: Ticket) => boolean, sort: (a: Ticket, b: Ticket) => number = (a, b) => b.number - a.number) => keysOf(all.filter(pred).sort(sort));
    expect((await pages(q({ team: 'people', priority: ['P1'] }))).keys).toEqual(want((t) => t.team === 'people' && t.priority === 'P1'));
    expect((await pages(q({ status: ['resolved', 'closed'] }))).keys).toEqual(want((t) => t.status === 'resolved' || t.status === 'closed'));
    expect((await pages(q({ status: ['new', 'in_progress'], limit: 20 }))).keys).toEqual(want((t) => t.status === 'new' || t.status === 'in_progress'));
    expect((await pages(q({ requester: { platform: 'slack', id: 'U2' }, sort: 'createdAt' }))).keys).toEqual(
      want(
        (t) => t.requester.id === 'U2',
        (a, b) => a.number - b.number,
      ),
    );
    expect((await pages(q({ tag: 'outage' }))).keys).toEqual(want((t) => t.tags.includes('outage')));
    expect((await pages(q({ assignee: null, category: 'network' }))).keys).toHaveLength(COUNT);
    const from = new Date(start + 100 * 60_000);
    const to = new Date(start + 130 * 60_000);
    expect((await pages(q({ createdAfter: from, createdBefore: to }))).keys).toEqual(want((t) => t.createdAt >= from && t.createdAt < to));
    expect((await pages(q({ createdAfter: from, createdBefore: to, sort: 'createdAt', limit: 7 }))).keys).toEqual(
      want(
        (t) => t.createdAt >= from && t.createdAt < to,
        (a, b) => a.number - b.number,
      ),
    );
    const since = new Date(start + 200 * 3_600_000);
    expect((await pages(q({ updatedAfter: since, sort: '-updatedAt' }))).keys).toEqual(
      want(
        (t) => t.updatedAt >= since,
        (a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b.number - a.number,
      ),
    );
    // What the store cannot index is checked on each candidate.
    expect((await pages(q({ where: (t) => t.title.startsWith('Printer') }))).keys).toEqual(want((t) => t.title.startsWith('Printer')));
    expect(await pages(q({ category: 'nothing-here' }))).toEqual({ keys: [], pages: 1 });
  });
});
