/**
 * The per-day summary the console's reports read: `daily_stats`, one document
 * per desk-zone day and team (`<YYYY-MM-DD>|<team>`, with `day` and `team`
 * beside), whose counters are a sum of every ticket's contribution (see
 * src/console/report-contribution.ts). A report reads one equality lookup on
 * `day` per day of its range, whatever the size of the history.
 *
 * Correctness on FerretDB 1.24, where `$inc` is a read, a change in Go and a
 * write (300 concurrent `$inc` of one document from three connections left
 * 118: measured), and conditional updates are not atomic across processes;
 * unique inserts are:
 * - Each ticket has a ledger (`daily_stats_tickets`, `_id` = ticket id): the
 *   version and the contribution last counted. Counting a ticket replaces its
 *   ledgered contribution by its new one (the difference is applied), so a
 *   retried or repeated count of a version changes nothing, and an older
 *   version after a newer one is skipped.
 * - Every write of a ledger or a summary document first takes its next
 *   revision by a unique insert into `daily_stats_claims`
 *   (`<id>#<revision>`): exactly one writer gets it, across processes, and
 *   writes the figures it read, plus its part, whole; the others read again
 *   and retry. A claim left by a writer that died is taken over after STALE_MS.
 * - Under its ledger's claim, a ticket's report fields are kept in
 *   `daily_stats_open` while it is open (the report's backlog and live SLA),
 *   and its requester's comment on their rating in `daily_stats_comments`
 *   (`_id` the ticket id, `day` indexed: a report lists a day's newest few).
 * A writer that dies after applying part of a ticket's difference and before
 * its ledger is written leaves that part counted twice at its next change
 * (the window is its few writes); dropping the collections rebuilds them from
 * the tickets at the next start (dropping `daily_stats` drops the marker; see
 * daily-stats-recorder.ts).
 */
import type { Collection, Connection } from 'mongoose';
import { KeyedMutex } from '../core/keyed-mutex';
import { mapLimit } from '../core/map-limit';
import { insertIgnoringDuplicates } from './insert-ignoring-duplicates';
import type { DailySummary, ReportComment, ReportRow, TicketCount } from '../console/console-tickets.port';
import { type Contribution, contributionDiff, splitKey } from '../console/report-contribution';

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === DUPLICATE_KEY;
/** A claim older than this, on a record still at the revision before it, was left by a writer that stopped. */
const STALE_MS = 60_000;
const MAX_ATTEMPTS = 200;
/** A rebuild not heard of for this long (its holder renews it with every batch) was left by a process that stopped: another one starts over. */
const STALE_BUILD_MS = 2 * 60_000;
const BUILT = '#built';
const BUILD = 'build';

type Figures = DailySummary['f'];

interface DailyStatsDoc {
  _id: string;
  day: string;
  team: string;
  rev: number;
  /**
   * The figures as JSON (section → counter → amount, or histogram → bucket → amount): one string
   * field, since FerretDB's cost of reading a document follows its fields (~10 µs each: a day of a
   * busy team has hundreds). Written whole by the holder of the next revision.
   */
  f: string;
}

interface LedgerDoc {
  _id: string;
  rev: number;
  /** The ticket version last counted. */
  v: number;
  /** Its contribution: [key, amount] pairs as JSON (one field, as the summary's figures). */
  c: string;
}

/** An open ticket's report fields, `_id` its id. */
type OpenDoc = Omit<ReportRow, 'id'> & { _id: string };

/** A ticket's comment on its rating, `_id` its id. */
type CommentDoc = Omit<ReportComment, 'id'> & { _id: string };

interface ClaimDoc {
  _id: string;
  at: Date;
}

const openDoc = ({ id, ...r }: ReportRow): OpenDoc => ({ _id: id, ...r });
const commentDoc = ({ id, ...c }: ReportComment): CommentDoc => ({ _id: id, ...c });
const pairs = (c: Contribution) => JSON.stringify([...c]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MongoDailyStats {
  /** One writer per summary document inside this process: claims then only contend across processes. */
  private readonly docLocks = new KeyedMutex();

  private constructor(
    private readonly stats: Collection<DailyStatsDoc>,
    private readonly ledgers: Collection<LedgerDoc>,
    private readonly claims: Collection<ClaimDoc>,
    private readonly openRows: Collection<OpenDoc>,
    private readonly commentRows: Collection<CommentDoc>,
  ) {}

  static async open(conn: Connection): Promise<MongoDailyStats> {
    const db = conn.db!;
    const s = new MongoDailyStats(
      db.collection<DailyStatsDoc>('daily_stats') as unknown as Collection<DailyStatsDoc>,
      db.collection<LedgerDoc>('daily_stats_tickets') as unknown as Collection<LedgerDoc>,
      db.collection<ClaimDoc>('daily_stats_claims') as unknown as Collection<ClaimDoc>,
      db.collection<OpenDoc>('daily_stats_open') as unknown as Collection<OpenDoc>,
      db.collection<CommentDoc>('daily_stats_comments') as unknown as Collection<CommentDoc>,
    );
    await s.stats.createIndex({ day: 1 });
    await s.commentRows.createIndex({ day: 1 });
    await s.claims.createIndex({ at: 1 });
    return s;
  }

  /**
   * Counts `version` of a ticket whose whole contribution is `next` (and, while
   * it is open, its report fields `open`; once its rating has one, the comment):
   * 'counted', or 'skipped' when this version (or a later one) is counted already.
   */
  async count(
    ticketId: string,
    version: number,
    next: Contribution,
    open: ReportRow | null = null,
    comment: ReportComment | null = null,
  ): Promise<'counted' | 'skipped'> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const ledger = await this.ledgers.findOne({ _id: ticketId });
      if (ledger && ledger.v >= version) return 'skipped';
      const rev = ledger?.rev ?? 0;
      if (!(await this.claim(`t:${ticketId}`, rev + 1, async () => (await this.ledgers.findOne({ _id: ticketId }))?.rev ?? 0))) {
        await sleep(5 + Math.random() * 20);
        continue;
      }
      const diff = contributionDiff(new Map(ledger ? (JSON.parse(ledger.c) as Array<[string, number]>) : []), next);
      const byDoc = new Map<string, Record<string, number>>();
      for (const [key, n] of diff) {
        const [doc, path] = splitKey(key);
        const inc = byDoc.get(doc) ?? {};
        inc[path] = n;
        byDoc.set(doc, inc);
      }
      for (const [doc, inc] of byDoc) await this.docLocks.run(doc, () => this.apply(doc, inc));
      if (open) await this.openRows.replaceOne({ _id: ticketId }, openDoc(open), { upsert: true });
      else await this.openRows.deleteOne({ _id: ticketId });
      // A comment is never taken back: a ticket without one has nothing to delete.
      if (comment) await this.commentRows.replaceOne({ _id: ticketId }, commentDoc(comment), { upsert: true });
      const record: LedgerDoc = { _id: ticketId, rev: rev + 1, v: version, c: pairs(next) };
      if (ledger) await this.ledgers.replaceOne({ _id: ticketId, rev }, record);
      else await this.ledgers.insertOne(record);
      return 'counted';
    }
    throw new Error(`daily stats: ticket ${ticketId} could not be counted (its ledger kept changing)`);
  }

  /**
   * Counts many tickets at once, as `count` does one: a ledger read per ticket
   * that may have one (none for `fresh`), one insert of all their claims, one
   * write per summary document touched (the tickets' differences summed), one
   * bulk write of their open rows, one of their comments (when any) and one of
   * their ledgers. At 50 tickets/s,
   * counted every quarter second, that is about 0.7 commands a ticket instead
   * of 7 (bench/README.md). A ticket whose claim another writer holds, or
   * whose `fresh` guess was wrong, is counted alone after the batch.
   */
  async countMany(items: readonly TicketCount[]): Promise<Array<'counted' | 'skipped'>> {
    const results = new Array<'counted' | 'skipped'>(items.length).fill('skipped');
    const ledgers = await mapLimit(items, 8, (it) => (it.fresh ? Promise.resolve(null) : this.ledgers.findOne({ _id: it.ticketId })));
    const todo = items.flatMap((item, i) => {
      const ledger = ledgers[i] ?? null;
      return ledger && ledger.v >= item.version ? [] : [{ i, item, ledger }];
    });
    if (todo.length === 0) return results;
    const held = await this.claimMany(todo.map(({ item, ledger }) => `t:${item.ticketId}#${(ledger?.rev ?? 0) + 1}`));
    const mine = todo.filter((_, k) => !held.has(k));
    const byDoc = new Map<string, Record<string, number>>();
    for (const { item, ledger } of mine) {
      for (const [key, n] of contributionDiff(new Map(ledger ? (JSON.parse(ledger.c) as Array<[string, number]>) : []), item.next)) {
        const [doc, path] = splitKey(key);
        const inc = byDoc.get(doc) ?? {};
        inc[path] = (inc[path] ?? 0) + n;
        byDoc.set(doc, inc);
      }
    }
    await Promise.all([...byDoc].map(([doc, inc]) => this.docLocks.run(doc, () => this.apply(doc, inc))));
    if (mine.length > 0) {
      await this.writeOpenRows(mine);
      // A comment is never taken back: a ticket without one has nothing to delete.
      const comments = mine.flatMap(({ item }) =>
        item.comment ? [{ replaceOne: { filter: { _id: item.ticketId }, replacement: commentDoc(item.comment), upsert: true } }] : [],
      );
      if (comments.length > 0) await this.commentRows.bulkWrite(comments, { ordered: false });
      await this.ledgers.bulkWrite(
        mine.map(({ item, ledger }) => {
          const record: LedgerDoc = { _id: item.ticketId, rev: (ledger?.rev ?? 0) + 1, v: item.version, c: pairs(item.next) };
          return ledger ? { replaceOne: { filter: { _id: item.ticketId, rev: ledger.rev }, replacement: record } } : { insertOne: { document: record } };
        }),
        { ordered: false },
      );
      for (const { i } of mine) results[i] = 'counted';
    }
    for (const [k, { i, item }] of todo.entries())
      if (held.has(k)) results[i] = await this.count(item.ticketId, item.version, item.next, item.open, item.comment ?? null);
    return results;
  }

  /** The summary documents of one day (every team): one equality lookup. */
  async day(date: string): Promise<DailySummary[]> {
    return (await this.stats.find({ day: String(date) }).toArray()).map((d) => ({ day: d.day, team: d.team, f: JSON.parse(d.f) as Figures }));
  }

  /** The open tickets' report fields (one small document per open ticket: the backlog, not the history). */
  async open(): Promise<ReportRow[]> {
    return (await this.openRows.find({}).toArray()).map(({ _id, ...r }) => ({ id: _id, ...r }));
  }

  /** The comments on ratings given on one desk-zone day (of these teams), newest first, at most `limit`. */
  async comments(date: string, teams: readonly string[] | 'all', limit: number): Promise<ReportComment[]> {
    const filter = teams === 'all' ? { day: String(date) } : { day: String(date), team: { $in: teams.map(String) } };
    const docs = await this.commentRows.find(filter).sort({ at: -1 }).limit(limit).toArray();
    return docs.map(({ _id, ...c }) => ({ id: _id, ...c }));
  }

  /** What the summary was built for (the desk's time zone and the contribution's version), null before it was. */
  async builtFor(): Promise<string | null> {
    return ((await this.stats.findOne({ _id: BUILT })) as unknown as { key?: string } | null)?.key ?? null;
  }

  /** Takes the rebuild for this process (a unique insert); false while another one holds it (see STALE_BUILD_MS). */
  async takeBuild(): Promise<boolean> {
    const held = await this.claims.findOne({ _id: BUILD });
    if (held && Date.now() - held.at.getTime() > STALE_BUILD_MS) await this.claims.deleteOne({ _id: BUILD, at: held.at });
    return this.claims.insertOne({ _id: BUILD, at: new Date() }).then(
      () => true,
      (err: unknown) => (isDuplicateKey(err) ? false : Promise.reject(err)),
    );
  }

  /** Empties the summary and the ledgers (the start of a rebuild). */
  async clear(): Promise<void> {
    await Promise.all([
      this.stats.deleteMany({}),
      this.ledgers.deleteMany({}),
      this.openRows.deleteMany({}),
      this.commentRows.deleteMany({}),
      this.claims.deleteMany({ _id: { $ne: BUILD } }),
    ]);
  }

  /** The rebuild is done: `key` recorded, the build claim released. */
  async markBuilt(key: string): Promise<void> {
    await this.stats.replaceOne({ _id: BUILT }, { _id: BUILT, day: '#', team: '', rev: 0, f: '{}', key } as DailyStatsDoc, { upsert: true });
    await this.claims.deleteOne({ _id: BUILD });
  }

  /**
   * Adds a batch of tickets to a summary being rebuilt: their ledgers and open
   * tickets (their counters come in one loadTotals at the end). Only by the
   * holder of the rebuild, while no one counts (see takeBuild).
   */
  async load(
    tickets: ReadonlyArray<{ id: string; version: number; contribution: Contribution; open: ReportRow | null; comment?: ReportComment | null }>,
  ): Promise<void> {
    if (tickets.length === 0) return;
    await this.claims.updateOne({ _id: BUILD }, { $set: { at: new Date() } });
    const open = tickets.flatMap((t) => (t.open ? [openDoc(t.open)] : []));
    if (open.length > 0) await this.openRows.insertMany(open, { ordered: false });
    const comments = tickets.flatMap((t) => (t.comment ? [commentDoc(t.comment)] : []));
    if (comments.length > 0) await this.commentRows.insertMany(comments, { ordered: false });
    await this.ledgers.insertMany(
      tickets.map((t) => ({ _id: t.id, rev: 1, v: t.version, c: pairs(t.contribution) })),
      { ordered: false },
    );
  }

  /** The rebuilt summary's counters: the sum of every loaded ticket's contribution. */
  async loadTotals(total: Contribution): Promise<void> {
    const docs = new Map<string, Figures>();
    for (const [key, n] of total) {
      const [id, path] = splitKey(key);
      const f = docs.get(id) ?? {};
      addPath(f, path, n);
      docs.set(id, f);
    }
    const rows = [...docs].map(([id, f]) => ({
      _id: id,
      day: id.slice(0, id.indexOf('|')),
      team: id.slice(id.indexOf('|') + 1),
      rev: 1,
      f: JSON.stringify(f),
    }));
    for (let i = 0; i < rows.length; i += 200) await this.stats.insertMany(rows.slice(i, i + 200), { ordered: false });
  }

  /** Claims of revisions written long ago protect nothing any more. */
  async purge(before: Date): Promise<void> {
    await this.claims.deleteMany({ at: { $lt: before }, _id: { $ne: BUILD } });
  }

  /** Adds `inc` to one summary document, as the one writer of its next revision. */
  private async apply(id: string, inc: Record<string, number>): Promise<void> {
    const sep = id.indexOf('|');
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let doc = await this.stats.findOne({ _id: id });
      if (!doc) {
        await this.stats.insertOne({ _id: id, day: id.slice(0, sep), team: id.slice(sep + 1), rev: 0, f: '{}' }).catch((err: unknown) => {
          if (!isDuplicateKey(err)) throw err;
        });
        doc = await this.stats.findOne({ _id: id });
      }
      const rev = doc?.rev ?? 0;
      // Revision rev+1 is this writer's alone: the figures read at rev are the ones to add to.
      if (await this.claim(`d:${id}`, rev + 1, async () => (await this.stats.findOne({ _id: id }, { projection: { rev: 1 } }))?.rev ?? 0)) {
        const f = JSON.parse(doc?.f ?? '{}') as Figures;
        for (const [path, n] of Object.entries(inc)) addPath(f, path, n);
        await this.stats.updateOne({ _id: id, rev }, { $set: { f: JSON.stringify(f), rev: rev + 1 } });
        return;
      }
      await sleep(2 + Math.random() * 10);
    }
    throw new Error(`daily stats: ${id} could not be updated (it kept changing)`);
  }

  /**
   * The open rows of a batch. A ticket never counted before (no ledger) has no
   * row yet: its row is inserted, the batch's in one multi-row INSERT, where an
   * upsert costs FerretDB a read and a write per row (2 of the 24 PostgreSQL
   * statements of a ticket opened at 40/s). A row left by a count that stopped
   * before its ledger was written is replaced instead; a closed ticket's row is
   * deleted.
   */
  private async writeOpenRows(mine: ReadonlyArray<{ item: TicketCount; ledger: LedgerDoc | null }>): Promise<void> {
    const fresh = mine.filter(({ item, ledger }) => !ledger && item.open);
    const left = await insertIgnoringDuplicates(
      this.openRows,
      fresh.map(({ item }) => openDoc(item.open!)),
    );
    const rest = [...mine.filter(({ item, ledger }) => ledger || !item.open), ...fresh.filter((_, k) => left.has(k))];
    if (rest.length === 0) return;
    await this.openRows.bulkWrite(
      rest.map(({ item }) =>
        item.open
          ? { replaceOne: { filter: { _id: item.ticketId }, replacement: openDoc(item.open), upsert: true } }
          : { deleteOne: { filter: { _id: item.ticketId } } },
      ),
      { ordered: false },
    );
  }

  /** Takes many claims in one insert: the indexes of those another writer holds (count() then deals with each). */
  private async claimMany(ids: string[]): Promise<Set<number>> {
    const at = new Date();
    return insertIgnoringDuplicates(
      this.claims,
      ids.map((_id) => ({ _id, at })),
    );
  }

  /** Takes revision `rev` of `id` by a unique insert; false when another writer holds it. */
  private async claim(id: string, rev: number, current: () => Promise<number>): Promise<boolean> {
    const _id = `${id}#${rev}`;
    try {
      await this.claims.insertOne({ _id, at: new Date() });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const held = await this.claims.findOne({ _id });
    if (held && Date.now() - held.at.getTime() > STALE_MS && (await current()) === rev - 1) {
      // Its writer died between the claim and the write: free the revision for the next attempt.
      await this.claims.deleteOne({ _id, at: held.at });
    }
    return false;
  }
}

/** Adds `n` at `f.<section>.<counter>[.<bucket>]` of the figures. */
function addPath(f: Figures, path: string, n: number): void {
  const [, section, counter, bucket] = path.split('.') as [string, string, string, string | undefined];
  f[section] ??= {};
  const s = f[section];
  if (bucket === undefined) s[counter] = ((s[counter] as number | undefined) ?? 0) + n;
  else {
    s[counter] ??= {};
    const h = s[counter] as Record<string, number>;
    h[bucket] = (h[bucket] ?? 0) + n;
  }
}
