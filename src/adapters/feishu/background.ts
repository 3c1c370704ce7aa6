import type { Logger } from '../../logger';

/**
 * Work that runs after Feishu got its answer (events must be acknowledged
 * within 3 s or Feishu delivers them again). Failures are logged; `drain`
 * lets the module stop only once nothing is left half-done.
 */
export class Background {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(what: string, fn: () => Promise<void>): void {
    const p = fn()
      .catch((err: unknown) => this.logger.error({ err }, `${what} failed`))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async drain(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
