import type { IntakeKind, IntakeOutcome } from './intake-event';

/** What the inbound pipeline reports (src/server/metrics.ts exposes it in Prometheus format). */
export interface IntakeMetrics {
  /** The event is stored; the platform can be acknowledged. */
  acked(platform: string, kind: IntakeKind, ms: number): void;
  /** Not stored: `store` (the database failed) or `busy` (over the inbox bounds). */
  refused(platform: string, reason: 'store' | 'busy'): void;
  retried(platform: string): void;
  /** Done (told once): `workMs` for the last attempt, `totalMs` from receipt to done. */
  processed(platform: string, status: IntakeOutcome['status'], workMs: number, totalMs: number): void;
}

export const NO_INTAKE_METRICS: IntakeMetrics = { acked() {}, refused() {}, retried() {}, processed() {} };
