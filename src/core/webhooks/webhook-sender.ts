import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { Logger } from '../../logger';
import type { OutboxEntry, OutboxJob } from '../outbox/outbox.port';
import { signatureHeader } from './signature';
import type { TargetGuard } from './target-guard';
import type { WebhookStore } from './webhook-subscription';

/** A subscription failing this long without one success is disabled. */
export const WEBHOOK_DISABLE_AFTER_MS = 24 * 60 * 60 * 1000;
/** How long a receiver has to answer. */
const TIMEOUT_MS = 10_000;
/** Of the receiver's answer, only the status matters: at most this much of the body is read. */
const MAX_ANSWER_BYTES = 64 * 1024;

type WebhookJob = Extract<OutboxJob, { kind: 'webhook' }>;

/** An attempt that failed: retried by the outbox (exponential backoff, at least 24 h). */
export class WebhookDeliveryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

/**
 * Sends one webhook job (an outbox entry): signs the body with the
 * subscription's secret, POSTs it to an address the guard allows (checked
 * again at connect time, so a DNS answer that changed to a private address is
 * refused too), and records the attempt. A deleted or disabled subscription
 * gets nothing. Throws on failure so the outbox retries; once the subscription
 * has failed for WEBHOOK_DISABLE_AFTER_MS it is disabled and the entry dropped.
 */
export function webhookSender(deps: { store: WebhookStore; guard: TargetGuard; logger: Logger; now: () => Date }) {
  const log = deps.logger.child({ component: 'webhooks' });
  return async (entry: OutboxEntry, job: WebhookJob): Promise<void> => {
    const sub = await deps.store.find(job.subscriptionId);
    if (sub?.state !== 'active') {
      log.info({ subscription: job.subscriptionId, event: job.eventId }, 'webhook not sent: the subscription was deleted or disabled');
      return;
    }
    const attempt = entry.attempts + 1;
    const now = deps.now();
    const timestamp = Math.floor(now.getTime() / 1000);
    const started = performance.now();
    let status: number | undefined;
    let error: string | undefined;
    try {
      status = await post(
        new URL(sub.url),
        job.body,
        {
          'content-type': 'application/json',
          'user-agent': 'chatdesk-webhooks/1',
          'chatdesk-signature': signatureHeader(sub.secret, timestamp, job.body),
          'chatdesk-event-id': job.eventId,
          'chatdesk-event-type': job.eventType,
          'chatdesk-delivery-attempt': String(attempt),
        },
        deps.guard,
      );
      if (status < 200 || status >= 300) error = `the receiver answered ${status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const latencyMs = Math.round(performance.now() - started);
    const ok = error === undefined;
    const fields = { subscription: sub.id, event: job.eventId, type: job.eventType, status, latencyMs, attempt };
    if (ok) log.info(fields, 'webhook delivered');
    else log.warn({ ...fields, error }, 'webhook delivery failed');
    const failingSince = await deps.store.recordAttempt(sub.id, {
      at: now,
      eventId: job.eventId,
      eventType: job.eventType,
      attempt,
      ...(status !== undefined ? { status } : {}),
      latencyMs,
      ok,
      ...(error ? { error } : {}),
    });
    if (ok) return;
    if (failingSince && now.getTime() - failingSince.getTime() >= WEBHOOK_DISABLE_AFTER_MS) {
      await deps.store.disable(sub.id, now, `failing since ${failingSince.toISOString()}: ${error}`);
      log.error({ subscription: sub.id, since: failingSince }, 'webhook subscription disabled: it kept failing for 24 h');
      return;
    }
    throw new WebhookDeliveryError(error!, status);
  };
}

/** POSTs the body; resolves with the status. The connection goes only to addresses the guard allows. */
async function post(url: URL, body: string, headers: Record<string, string>, guard: TargetGuard): Promise<number> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookDeliveryError(`unsupported scheme ${url.protocol}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !guard.addressAllowed(host)) throw new WebhookDeliveryError(`${host} is a loopback or private address`);
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = addresses.find((a) => !guard.addressAllowed(a.address));
      if (refused) return callback(new WebhookDeliveryError(`${hostname} resolves to ${refused.address}, a loopback or private address`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, timeout: TIMEOUT_MS },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('close', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new WebhookDeliveryError(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The outbox's retry budget for webhook jobs: exponential from 1 s, doubling
 * up to one attempt an hour (±20% jitter), for 24 h after the event; the
 * subscription is disabled by then if nothing got through meanwhile.
 */
export const WEBHOOK_RETRY_BUDGET = {
  giveUpAfterMs: WEBHOOK_DISABLE_AFTER_MS,
  delayMs: (attempt: number, _err?: unknown, random: () => number = Math.random): number => {
    const base = Math.min(60 * 60 * 1000, 1000 * 2 ** Math.max(0, attempt - 1));
    return Math.round(base * (0.8 + 0.4 * random()));
  },
};
