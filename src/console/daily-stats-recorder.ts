import type { SlaConfig } from '../domain/sla/policy';
import type { Ticket } from '../domain/ticket/ticket';
import { KeyedMutex } from '../core/keyed-mutex';
import type { Logger } from '../logger';
import type { ReportRow } from './console-tickets.port';
import { type Contribution, commentRowOf, contributionOf, openRowOf } from './report-contribution';
import type { ReportComment } from './console-tickets.port';

/** Bumped when what a ticket contributes changes: the summary is then rebuilt from the tickets at the next start. */
const CONTRIBUTION_VERSION = 1;
const BUILD_WAIT_MS = 2000;

/** What the recorder needs of the store (src/store/daily-stats.ts and the tickets). */
export interface DailyStatsWriter {
  count(ticketId: string, version: number, next: Contribution, open: ReportRow | null, comment?: ReportComment | null): Promise<'counted' | 'skipped'>;
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
 * (the store's change hook) is counted in the background, one ticket at a
 * time in this process; `settled()` resolves once what was handed in is
 * counted (a report awaits it, so a change is in the next report). At start
 * the summary is built once from the tickets (a marker names the time zone
 * and CONTRIBUTION_VERSION it was built for; another zone rebuilds it).
 */
export class DailyStatsRecorder {
  private readonly locks = new KeyedMutex();
  private readonly pending = new Set<Promise<unknown>>();
  private ready: Promise<void> = Promise.resolve();
  private buildingNow = false;

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
    const work = this.ready
      .then(() =>
        this.locks.run(ticket.id, () =>
          this.deps.store.count(
            ticket.id,
            ticket.version,
            contributionOf(ticket, this.deps.timeZone, this.deps.sla),
            openRowOf(ticket),
            commentRowOf(ticket, this.deps.timeZone),
          ),
        ),
      )
      .catch((err: unknown) =>
        this.deps.logger.warn({ err, ticket: ticket.key }, 'counting a ticket change in the reports summary failed (its next change corrects it)'),
      );
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /**
   * Resolves once the changes handed in are counted. While the summary is being built (counts wait for it), after
   * BUILD_WAIT_MS at most: a report then says it is incomplete rather than wait for a build of minutes.
   */
  async settled(): Promise<void> {
    if (this.buildingNow) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.ready, new Promise((r) => (timer = setTimeout(r, BUILD_WAIT_MS)))]);
      clearTimeout(timer);
    }
    while (!this.buildingNow && this.pending.size > 0) await Promise.all([...this.pending]);
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
