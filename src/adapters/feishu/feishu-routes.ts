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
export function larkRoute(path: string, dispatcher: EventDispatcher, verify: VerifyOptions, logger: Logger): Route {
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
    const answer: unknown = await dispatcher.invoke(verified.payload, { needCheck: false });
    send(res, 200, answer && typeof answer === 'object' ? answer : {});
    return true;
  };
}
