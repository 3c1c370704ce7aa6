import type { ServerResponse } from 'node:http';
import type { EventDispatcher } from '@larksuiteoapi/node-sdk';
import type { Route } from '../../core/platform-module';
import type { Logger } from '../../logger';
import { verifyLarkRequest, type VerifyOptions } from './inbound-verify';

export const FEISHU_EVENTS_PATH = '/feishu/events';
export const FEISHU_CARD_PATH = '/feishu/card';

function send(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body ?? {});
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/**
 * One POST route: our own verification first (raw-body signature, replay
 * window, token, url_verification), then the SDK's dispatcher with its own
 * check off (it would hash a re-serialised body). The handler's return value
 * is the answer: `{}` for events, `{ toast, card }` for card callbacks.
 */
/** The tenant an event or card callback comes from (schema 2.0 `header.tenant_key`; 1.0 `tenant_key`). */
export function tenantKeyOf(payload: Record<string, unknown>): string | undefined {
  const header = payload.header as { tenant_key?: unknown } | undefined;
  const event = payload.event as { tenant_key?: unknown } | undefined;
  const key = header?.tenant_key ?? payload.tenant_key ?? event?.tenant_key;
  return typeof key === 'string' ? key : undefined;
}

/** `tenantKey`: the tenant served (FEISHU_TENANT_KEY); events and callbacks from any other are refused (403) before the SDK sees them. */
export function larkRoute(path: string, dispatcher: EventDispatcher, verify: VerifyOptions, logger: Logger, tenantKey?: string): Route {
  const log = logger.child({ component: 'feishu-inbound', path });
  return async (req, res, url) => {
    if (url.pathname !== path) return false;
    if (req.method !== 'POST') {
      send(res, 405, { error: 'method not allowed' });
      return true;
    }
    const verified = await verifyLarkRequest(req, verify);
    if (verified.kind === 'rejected') {
      log.warn({ reason: verified.reason, status: verified.status }, 'Feishu request refused');
      send(res, verified.status, { error: verified.reason });
      return true;
    }
    if (verified.kind === 'challenge') {
      send(res, 200, { challenge: verified.challenge });
      return true;
    }
    const tenant = tenantKeyOf(verified.payload);
    if (tenantKey && tenant !== tenantKey) {
      log.warn({ tenant: String(tenant).slice(0, 60) }, 'Feishu request from another tenant refused');
      send(res, 403, { error: 'this app serves another tenant' });
      return true;
    }
    const answer: unknown = await dispatcher.invoke(verified.payload, { needCheck: false });
    send(res, 200, answer && typeof answer === 'object' ? answer : {});
    return true;
  };
}
