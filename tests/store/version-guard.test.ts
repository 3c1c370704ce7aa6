/**
 * Two writers (two connections, as two replicas have) saving the same version
 * of one ticket at once: exactly one wins, on whichever database the tests
 * run (FerretDB's conditional updates are not atomic; the version guard makes
 * them so). A guard left by a writer that died before its update is freed.
 */
import type { NewTicket } from '../../src/domain/ticket/ticket.repository.port';
import { silentLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store/database';
import { TicketVersionGuard } from '../../src/store/ticket-version-guard';
import { testMongoUri } from '../support/test-db';

const at = new Date('2026-11-20T10:00:00Z');
const draft = (number: number): NewTicket => ({
  number,
  key: `T-${number}`,
  title: `Ticket ${number}`,
  description: 'd',
  type: 'incident',
  fields: {},
  requester: { platform: 'slack', id: 'U1' },
  team: 'it',
  category: 'network',
  categoryConfidence: 0.7,
  priority: 'P2',
  priorityConfidence: 0.6,
  classificationReason: 'r',
  status: 'new',
  escalationLevel: 0,
  tags: [],
  agentCards: [],
  createdAt: at,
  updatedAt: at,
  activity: [],
  version: 1,
});

describe('one winner per ticket version across processes', () => {
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    const uri = testMongoUri('guard');
    a = await openStore({ uri, dataDir: '', logger: silentLogger() });
    b = await openStore({ uri, dataDir: '', logger: silentLogger() });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('of two simultaneous claims of the same version, exactly one is stored; the other gets a conflict', async () => {
    for (let round = 0; round < 15; round++) {
      const ticket = await a.tickets.insert(draft(5000 + round));
      const claim = (store: Store, who: string) =>
        store.tickets.save({ ...ticket, status: 'in_progress', assignee: { platform: 'slack', id: who }, version: 2 }).then(
          () => 'won',
          (err: { code?: string }) => err.code,
        );
      const results = await Promise.all([claim(a, 'UA'), claim(b, 'UB'), claim(a, 'UC'), claim(b, 'UD')]);
      expect(results.filter((r) => r === 'won')).toHaveLength(1);
      expect(results.filter((r) => r !== 'won').every((r) => r === 'chatdesk_ticket_conflict')).toBe(true);
      const stored = await b.tickets.findById(ticket.id);
      const winner = ['UA', 'UB', 'UC', 'UD'][results.indexOf('won')];
      expect(stored).toMatchObject({ version: 2, assignee: { id: winner } });
    }
  });

  it('frees a version whose writer died between its guard and its update, once the guard is stale', async () => {
    if (!process.env.CHATDESK_TEST_EMBEDDED_DB) return; // MongoDB needs no guard
    const guard = TicketVersionGuard.register(a.connection);
    const t0 = new Date();
    const storedAt = async () => 1;
    expect(await guard.take('t-dead', 2, t0, storedAt)).toBe(true); // ... and its writer dies here
    expect(await guard.take('t-dead', 2, new Date(t0.getTime() + 1000), storedAt)).toBe(false);
    // Still fresh, or the ticket did move on: nobody else takes it.
    expect(await guard.take('t-dead', 2, new Date(t0.getTime() + 20_000), async () => 2)).toBe(false);
    expect(await guard.take('t-dead', 2, new Date(t0.getTime() + 20_000), storedAt)).toBe(true);
    expect(await guard.take('t-dead', 2, new Date(t0.getTime() + 20_001), storedAt)).toBe(false);
  });
});
