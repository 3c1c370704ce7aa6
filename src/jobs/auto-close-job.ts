import type { Logger } from '../logger';

/** How often resolved tickets are checked for closing themselves. */
export const AUTO_CLOSE_EVERY_MS = 10 * 60_000;

export interface AutoCloseJob {
  stop(): void;
}

/**
 * Closes resolved tickets whose reopen window has passed (HelpDesk.closeDue:
 * the rule itself is autoCloseDue in src/domain/ticket/transitions.ts, a pure
 * function of the ticket and now). Runs with the SLA worker; several replicas
 * at once are safe (a ticket another one closed is skipped).
 */
export function startAutoCloseJob(opts: { closeDue: () => Promise<string[]>; logger: Logger; everyMs?: number }): AutoCloseJob {
  const logger = opts.logger.child({ component: 'auto-close' });
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    opts
      .closeDue()
      .catch((err: unknown) => logger.error({ err }, 'closing resolved tickets failed'))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, opts.everyMs ?? AUTO_CLOSE_EVERY_MS);
  timer.unref();
  tick();
  return { stop: () => clearInterval(timer) };
}
