import type { SlaConfig } from '../domain/sla/policy';
import type { Ticket } from '../domain/ticket/ticket';
import type { Logger } from '../logger';
import type { ReportComment, ReportRow, TicketCount } from './console-tickets.port';
import { type Contribution, commentRowOf, contributionOf, openRowOf } from './report-contribution';

/** Bumped when what a ticket contributes changes: the summary is then rebuilt from the tickets at the next start. */
const CONTRIBUTION_VERSION = 2;
const BUILD_WAIT_MS = 2000;
/** Changes are gathered this long and counted together. */
const GATHER_MS = 250;
/** At most this many tickets in one count. */
const MAX_BATCH = 200;
const RETRY_MS = 2000;

/** What the recorder needs of the store (src/store/daily-stats.ts and the tickets). */
export interface DailyStatsWriter {
  countMany(items: readonly TicketCount[]): Promise<Array<'counted' | 'skipped'>>;
  builtFor(): Promise<string | null>;
  takeBuild(): Promise<boolean>;
  clear(): Promise<void>;
  load(
    tickets: ReadonlyArray<{ id: string; version: number; contribution: Contribution; open: ReportRow | null; comment?: ReportComment | null }>,
  ): Promise<void>;
  loadTotals(total: Contribution): Promise<void>;
  markBuilt(key: string): Promise<void>;
}

/**
 * Keeps the reports' per-day summary current: every stored ticket change
 * (the store's change hook) is counted in the background, in batches: the
 * changes of GATHER_MS are counted together, a ticket changed several times
 * meanwhile once at its newest version (opening a ticket saves it two or
 * three times). `settled()` counts what was handed in at once and resolves
 * when it is counted (a report awaits it, so a change is in the next report).
 * A batch that fails is tried again, RETRY_MS later, unless a newer version
 * of the ticket came in. At start the summary is built once from the tickets
 * (a marker names the time zone and CONTRIBUTION_VERSION it was built for;
 * another zone rebuilds it).
 */
export class DailyStatsRecorder {
  /** The newest version of each changed ticket not counted yet; `fresh`: its first version seen was 1. */
  private readonly waiting = new Map<string, { ticket: Ticket; fresh: boolean }>();
  private draining?: Promise<void>;
  private hurry?: () => void;
  private ready: Promise<void> = Promise.resolve();
  private buildingNow = false;
  private stopped = false;

  constructor(
    private readonly deps: {
      store: DailyStatsWriter;
      /** Every ticket, a batch at a time. */
      eachBatch: (size: number, work: (tickets: Ticket[]) => Promise<void>) => Promise<number>;
      sla: SlaConfig;
      timeZone: string;
      logger: Logger;
    },
  ) {}

  /** The store's hook: a ticket was inserted or saved as `ticket`. */
  changed(ticket: Ticket): void {
    const seen = this.waiting.get(ticket.id);
    if (seen && seen.ticket.version >= ticket.version) return;
    this.waiting.set(ticket.id, { ticket, fresh: seen ? seen.fresh : ticket.version === 1 });
    this.drain();
  }

  /**
   * Resolves once the changes handed in are counted (or their batch failed: a report is then a little behind). While
   * the summary is being built (counts wait for it), after BUILD_WAIT_MS at most: a report then says it is incomplete
   * rather than wait for a build of minutes.
   */
  async settled(): Promise<void> {
    if (this.buildingNow) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.ready, new Promise((r) => (timer = setTimeout(r, BUILD_WAIT_MS)))]);
      clearTimeout(timer);
      if (this.buildingNow) return;
    }
    for (let round = 0; round < 3 && (this.waiting.size > 0 || this.draining); round++) {
      this.hurry?.();
      await this.drain();
    }
  }

  /** Stops counting (the process is stopping): what waits is counted by the next start's rebuild or the ticket's next change. */
  stop(): void {
    this.stopped = true;
    this.hurry?.();
  }

  /** Whether the summary is being built from the tickets (a report then is incomplete). */
  building(): boolean {
    return this.buildingNow;
  }

  /** Builds the summary from the tickets unless it is built for this zone already; counting waits for it. */
  start(): Promise<void> {
    this.buildingNow = true;
    this.ready = this.build()
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'building the reports summary failed'))
      .finally(() => {
        this.buildingNow = false;
      });
    return this.ready;
  }

  /** The one counting loop: waits GATHER_MS (unless hurried), counts what waits, again while changes keep coming. */
  private drain(): Promise<void> {
    this.draining ??= this.countAll().finally(() => {
      this.draining = undefined;
      if (this.waiting.size > 0 && !this.stopped) void this.drain();
    });
    return this.draining;
  }

  private async countAll(): Promise<void> {
    await this.ready;
    while (this.waiting.size > 0 && !this.stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, GATHER_MS);
        this.hurry = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.hurry = undefined;
      const batch = [...this.waiting.values()].slice(0, MAX_BATCH);
      for (const { ticket } of batch) this.waiting.delete(ticket.id);
      try {
        await this.deps.store.countMany(
          batch.map(({ ticket, fresh }) => ({
            ticketId: ticket.id,
            version: ticket.version,
            next: contributionOf(ticket, this.deps.timeZone, this.deps.sla),
            open: openRowOf(ticket),
            comment: commentRowOf(ticket, this.deps.timeZone),
            fresh,
          })),
        );
      } catch (err) {
        this.deps.logger.warn({ err, tickets: batch.length }, 'counting ticket changes in the reports summary failed; trying again');
        // Back in line unless a newer version came in meanwhile.
        for (const b of batch) if (!this.waiting.has(b.ticket.id)) this.waiting.set(b.ticket.id, b);
        await new Promise((r) => setTimeout(r, RETRY_MS).unref());
        return;
      }
    }
  }

  private async build(): Promise<void> {
    const key = `${this.deps.timeZone}/v${CONTRIBUTION_VERSION}`;
    const { store } = this.deps;
    for (;;) {
      if ((await store.builtFor()) === key) return;
      if (await store.takeBuild()) break;
      await new Promise((r) => setTimeout(r, 1000)); // another process is building it
    }
    const started = Date.now();
    await store.clear();
    const total: Contribution = new Map();
    const n = await this.deps.eachBatch(500, async (tickets) => {
      const rows = tickets.map((t) => ({
        id: t.id,
        version: t.version,
        contribution: contributionOf(t, this.deps.timeZone, this.deps.sla),
        open: openRowOf(t),
        comment: commentRowOf(t, this.deps.timeZone),
      }));
      for (const r of rows) for (const [k, v] of r.contribution) total.set(k, (total.get(k) ?? 0) + v);
      await store.load(rows);
    });
    await store.loadTotals(total);
    await store.markBuilt(key);
    this.deps.logger.info({ tickets: n, ms: Date.now() - started }, 'reports summary built from the tickets');
  }
}
