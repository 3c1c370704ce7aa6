import type { ConsoleTickets, EqualityFilter } from '../console/console-tickets.port';
import type { Logger } from '../logger';
import type { Ticket } from '../domain/ticket/ticket';
import { dayOf, monthOf, searchWords } from '../domain/ticket/search-words';
import { toTicket } from './ticket.mapper';
import type { StoreModels, TicketRecord } from './ticket.model';
import { setStartMark } from './start-marks';

const BACKFILL_MARK = 'console_fields_v3';

/**
 * The console's reads: equality filters only (on fields indexed in
 * ticket.model.ts), which FerretDB 1.24 hands to PostgreSQL's GIN index; no
 * sort, range, $in or regex, which it would run in Go over every ticket.
 */
export class MongoConsoleTickets implements ConsoleTickets {
  constructor(private readonly models: StoreModels) {}

  async find(filter: EqualityFilter, limit: number): Promise<Ticket[]> {
    const rows = await this.models.Ticket.find(plainEqualities(filter)).limit(limit).lean();
    return rows.map((r) => toTicket(r));
  }

  async createdDayOf(number: number): Promise<number | undefined> {
    const r = await this.models.Ticket.findOne({ number: Math.trunc(number) }, { createdAt: 1 }).lean();
    return r ? dayOf(r.createdAt) : undefined;
  }

  /** Every ticket, a batch at a time (the reports' summary rebuild): one pass over the collection. */
  async eachBatch(size: number, work: (tickets: Ticket[]) => Promise<void>): Promise<number> {
    let batch: Ticket[] = [];
    let n = 0;
    for await (const r of this.models.Ticket.find({}).lean().cursor({ batchSize: size })) {
      batch.push(toTicket(r as TicketRecord));
      if (batch.length >= size) {
        await work(batch);
        n += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) await work(batch);
    return n + batch.length;
  }

  /**
   * Tickets stored before the console existed get their day numbers and
   * search words once (a marker in `counters` records it is done).
   */
  async backfill(logger: Logger): Promise<number> {
    if (await this.models.Counter.findOne({ _id: BACKFILL_MARK }).lean()) return 0;
    let done = 0;
    for (;;) {
      const rows = await this.models.Ticket.find(
        { createdMonth: null },
        { _id: 1, key: 1, title: 1, description: 1, tags: 1, createdAt: 1, resolvedAt: 1, requester: 1, assignee: 1 },
      )
        .limit(500)
        .lean();
      if (rows.length === 0) break;
      await this.models.Ticket.bulkWrite(
        rows.map((r) => ({
          updateOne: {
            filter: { _id: r._id },
            update: {
              $set: {
                createdDay: dayOf(r.createdAt),
                createdMonth: monthOf(r.createdAt),
                resolvedDay: r.resolvedAt ? dayOf(r.resolvedAt) : null,
                words: searchWords(`${r.key} ${r.title} ${r.description} ${(r.tags ?? []).join(' ')}`),
                requesterKey: `${r.requester.platform}:${r.requester.id}`,
                assigneeKey: r.assignee ? `${r.assignee.platform}:${r.assignee.id}` : null,
              },
            },
          },
        })),
      );
      done += rows.length;
    }
    await setStartMark(this.models, BACKFILL_MARK, done);
    if (done > 0) logger.info({ tickets: done }, 'console fields added to older tickets');
    return done;
  }
}

/** Every value as the plain string or number it must be (never an operator object from user input). */
function plainEqualities(filter: EqualityFilter): Record<string, string | number> {
  return Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, typeof v === 'number' ? v : String(v)]));
}
