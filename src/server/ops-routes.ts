import type { Route } from '../core/platform-module';
import type { ChatdeskMetrics } from './metrics';
import { sendJson } from './http-util';

export interface ReadinessCheck {
  name: string;
  /** Throws (or rejects) when the part is not available. */
  check(): Promise<void>;
  /**
   * A part chatdesk runs without (the mailbox): when it fails, `/readyz` still
   * answers 200, with `degraded` naming it, since chat requests are still taken.
   */
  optional?: boolean;
}

/**
 * `/readyz`: 200 when every part chatdesk needs to take requests answers
 * (the database within 1.5 s, the SLA worker), 503 with the failing parts
 * otherwise; an optional part that fails (the mailbox) is listed in `degraded`. `/metrics`: Prometheus text format. (`/healthz`, the process
 * lives, is answered by the HTTP server itself.)
 */
export function createOpsRoutes(deps: { checks: ReadinessCheck[]; metrics: ChatdeskMetrics; stopping: () => boolean }): Route {
  return async (req, res, url) => {
    if (req.method !== 'GET') return false;
    if (url.pathname === '/readyz') {
      if (deps.stopping()) {
        sendJson(res, 503, { ready: false, failing: { process: 'shutting down' } });
        return true;
      }
      const results = await Promise.all(
        deps.checks.map(async (c) => {
          try {
            await c.check();
            return [c.name, 'ok', c.optional] as const;
          } catch (err) {
            return [c.name, (err as Error).message ?? String(err), c.optional] as const;
          }
        }),
      );
      const failing = Object.fromEntries(results.filter(([, r, optional]) => r !== 'ok' && !optional).map(([n, r]) => [n, r]));
      const degraded = Object.fromEntries(results.filter(([, r, optional]) => r !== 'ok' && optional).map(([n, r]) => [n, r]));
      sendJson(res, Object.keys(failing).length === 0 ? 200 : 503, {
        ready: Object.keys(failing).length === 0,
        checks: Object.fromEntries(results.map(([n, r]) => [n, r])),
        ...(Object.keys(failing).length > 0 ? { failing } : {}),
        ...(Object.keys(degraded).length > 0 ? { degraded } : {}),
      });
      return true;
    }
    if (url.pathname === '/metrics') {
      const body = await deps.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
      res.end(body);
      return true;
    }
    return false;
  };
}
