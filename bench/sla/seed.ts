/**
 * Seeds the SLA benches' database: N open tickets whose first-response reminder
 * (100% of a `targetMin` target) falls due evenly inside a window starting
 * `leadS` seconds from now (each ticket's `slaNextAt`, its wake-up), then the
 * store's one-time preparation done. Returns each ticket key's due time (epoch ms).
 */
import { Types } from 'mongoose';
import { startClock } from '../../src/domain/sla/clock';
import type { Ticket } from '../../src/domain/ticket/ticket';
import type { Logger } from '../../src/logger';
import { openStore } from '../../src/store/database';
import { toNewRecord } from '../../src/store/ticket.mapper';
import type { TicketRecord } from '../../src/store/ticket.model';

export interface SlaBenchSeed {
  tickets: number;
  windowS: number;
  leadS: number;
  targetMin: number;
}

/** The SLA benches' open ticket number `i` (a P2 software ticket on the playground with a card), created at `created`. */
export function benchTicket(i: number, created: Date, over: Partial<Omit<Ticket, 'id'>> = {}): Omit<Ticket, 'id'> {
  return {
    number: 100000 + i,
    key: `B-${100000 + i}`,
    title: `Bench ticket ${i}`,
    description: '',
    type: 'incident',
    fields: {},
    requester: { platform: 'playground', id: `user${i % 500}` },
    team: 'it',
    category: 'software',
    categoryConfidence: 0.9,
    priority: 'P2',
    priorityConfidence: 0.9,
    classificationReason: 'bench',
    status: 'new',
    escalationLevel: 0,
    tags: [],
    agentCards: [{ platform: 'playground', channelId: 'agents', messageId: `card-${i}` }],
    createdAt: created,
    updatedAt: created,
    activity: [],
    sla: startClock(created, 'P2'),
    version: 1,
    ...over,
  };
}

export async function seedSlaBench(uri: string, opts: SlaBenchSeed, logger: Logger): Promise<Map<string, number>> {
  const store = await openStore({ uri, dataDir: '.data', logger });
  const t0 = Date.now() + opts.leadS * 1000;
  const dueByKey = new Map<string, number>();
  const docs: TicketRecord[] = [];
  for (let i = 0; i < opts.tickets; i++) {
    const due = t0 + Math.floor((i / opts.tickets) * opts.windowS * 1000);
    const created = new Date(due - opts.targetMin * 60_000);
    dueByKey.set(`B-${100000 + i}`, due);
    const ticket = benchTicket(i, created, { slaNextAt: new Date(due) });
    docs.push(toNewRecord(new Types.ObjectId().toHexString(), ticket));
  }
  const coll = store.connection.collection('tickets');
  for (let i = 0; i < docs.length; i += 1000) await coll.insertMany(docs.slice(i, i + 1000) as never[]);
  await store.slaNotifications.prepare();
  await store.close();
  return dueByKey;
}
