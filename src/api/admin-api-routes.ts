import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { newWebhookSecret } from '../core/webhooks/signature';
import type { TargetGuard } from '../core/webhooks/target-guard';
import { TICKET_EVENT_TYPES } from '../core/webhooks/ticket-events';
import type { WebhookAttempt, WebhookStore, WebhookSubscription } from '../core/webhooks/webhook-subscription';
import { isChatdeskError } from '../domain/errors';
import { ApiError } from './api-errors';
import { errorResponses } from './api-schemas';
import { API_SCOPES, type ApiToken, type ApiTokenStore, TOKEN_ROLES } from './api-token';
import { issueToken, tokenCreateBody } from './token-issuer';

const iso = z.iso.datetime({ offset: true });
const date = (d?: Date) => (d ? d.toISOString() : null);

const tokenView = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(API_SCOPES)),
  hint: z.string().describe('The first characters of the token, to recognise it.'),
  createdAt: iso,
  createdBy: z.string(),
  expiresAt: iso.nullable(),
  revokedAt: iso.nullable(),
  lastUsedAt: iso.nullable(),
  as: z.string().nullable().describe('The person (platform:id) whose roles the token acts with.'),
  role: z.enum(TOKEN_ROLES).nullable(),
  teams: z.array(z.string()),
});
const toTokenView = (t: ApiToken): z.infer<typeof tokenView> => ({
  id: t.id,
  name: t.name,
  scopes: t.scopes,
  hint: t.hint,
  createdAt: t.createdAt.toISOString(),
  createdBy: t.createdBy,
  expiresAt: date(t.expiresAt),
  revokedAt: date(t.revokedAt),
  lastUsedAt: date(t.lastUsedAt),
  as: t.as ? `${t.as.platform}:${t.as.id}` : null,
  role: t.role ?? null,
  teams: t.teams ?? [],
});

const attemptView = z.object({
  at: iso,
  eventId: z.string(),
  eventType: z.string(),
  attempt: z.number().int(),
  status: z.number().int().nullable().describe("The receiver's HTTP status; null when it did not answer."),
  latencyMs: z.number(),
  ok: z.boolean(),
  error: z.string().nullable(),
});
const toAttemptView = (a: WebhookAttempt): z.infer<typeof attemptView> => ({ ...a, at: a.at.toISOString(), status: a.status ?? null, error: a.error ?? null });

const webhookView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(TICKET_EVENT_TYPES)),
  description: z.string().nullable(),
  state: z.enum(['active', 'disabled']),
  createdAt: iso,
  createdBy: z.string(),
  failingSince: iso.nullable(),
  disabledAt: iso.nullable(),
  disabledReason: z.string().nullable(),
  lastDelivery: attemptView.nullable(),
});
const toWebhookView = (w: WebhookSubscription): z.infer<typeof webhookView> => ({
  id: w.id,
  url: w.url,
  events: w.events,
  description: w.description ?? null,
  state: w.state,
  createdAt: w.createdAt.toISOString(),
  createdBy: w.createdBy,
  failingSince: date(w.failingSince),
  disabledAt: date(w.disabledAt),
  disabledReason: w.disabledReason ?? null,
  lastDelivery: w.lastDelivery ? toAttemptView(w.lastDelivery) : null,
});

const idParams = z.strictObject({ id: z.string().max(100) });

/** /api/v1/tokens and /api/v1/webhooks: admin scope (CHATDESK_ADMIN_TOKEN or a token with `admin`). */
export function adminApiRoutes(deps: {
  /** The desk's team ids (a token's `teams` must name them). */
  teams: readonly string[];
  tokens: ApiTokenStore;
  webhooks: WebhookStore;
  guard: TargetGuard;
  now: () => Date;
  subscriptionsChanged?: () => Promise<void>;
}): FastifyPluginAsyncZod {
  const admin = { scope: 'admin' as const };
  return async (app) => {
    app.get(
      '/tokens',
      {
        config: admin,
        schema: { summary: 'List API tokens', tags: ['admin'], response: { 200: z.object({ tokens: z.array(tokenView) }), ...errorResponses(401, 403, 429) } },
      },
      async () => ({ tokens: (await deps.tokens.list()).map(toTokenView) }),
    );
    app.post(
      '/tokens',
      {
        config: admin,
        schema: {
          summary: 'Create an API token',
          description:
            'The token is in this answer only; chatdesk keeps its sha256 digest. What it may do is its scopes AND its role in the permission matrix: `as` a person (their roles), or a `role` for `teams`; neither: a person the desk file does not list. The admin scope acts as a desk admin.',
          tags: ['admin'],
          body: tokenCreateBody,
          response: {
            201: z.object({ token: tokenView, secret: z.string().describe('The token: send it as Authorization: Bearer <secret>. Shown once.') }),
            ...errorResponses(400, 401, 403, 409, 413, 415, 429),
          },
        },
      },
      async (req, reply) => {
        const { token, secret } = await issueToken(deps, req.body, req.principal!.name, deps.now());
        return reply.code(201).send({ token: toTokenView(token), secret });
      },
    );
    app.delete(
      '/tokens/:id',
      {
        config: admin,
        schema: {
          summary: 'Revoke an API token (by id or name)',
          tags: ['admin'],
          params: idParams,
          response: { 200: z.object({ token: tokenView }), ...errorResponses(401, 403, 404, 429) },
        },
      },
      async (req) => {
        const revoked = await deps.tokens.revoke(req.params.id, deps.now());
        if (!revoked) throw new ApiError(404, 'api_not_found', `no token ${req.params.id}`);
        return { token: toTokenView(revoked) };
      },
    );

    app.get(
      '/webhooks',
      {
        config: admin,
        schema: {
          summary: 'List webhook subscriptions',
          tags: ['admin'],
          response: { 200: z.object({ webhooks: z.array(webhookView) }), ...errorResponses(401, 403, 429) },
        },
      },
      async () => ({ webhooks: (await deps.webhooks.list()).map(toWebhookView) }),
    );
    app.post(
      '/webhooks',
      {
        config: admin,
        schema: {
          summary: 'Subscribe a URL to events',
          description:
            'Each delivery is a POST of one event, signed (Chatdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"> with the secret), retried with exponential backoff for 24 h. A URL that resolves to a loopback or private address is refused unless CHATDESK_WEBHOOK_ALLOW_PRIVATE allows it.',
          tags: ['admin'],
          body: z.strictObject({
            url: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }).max(2000),
            events: z.array(z.enum(TICKET_EVENT_TYPES)).min(1),
            description: z.string().max(200).optional(),
          }),
          response: {
            201: z.object({ webhook: webhookView, secret: z.string().describe('The signing secret. Shown once.') }),
            ...errorResponses(400, 401, 403, 413, 415, 429),
          },
        },
      },
      async (req, reply) => {
        try {
          await deps.guard.check(new URL(req.body.url));
        } catch (err) {
          if (isChatdeskError(err, 'chatdesk_webhook_target_refused')) throw new ApiError(400, err.code, err.message, { url: err.message });
          throw err;
        }
        const secret = newWebhookSecret();
        const sub = await deps.webhooks.create(
          {
            url: req.body.url,
            events: [...new Set(req.body.events)],
            ...(req.body.description ? { description: req.body.description } : {}),
            createdAt: deps.now(),
            createdBy: req.principal!.name,
          },
          secret,
        );
        await deps.subscriptionsChanged?.();
        return reply.code(201).send({ webhook: toWebhookView(sub), secret });
      },
    );
    app.delete(
      '/webhooks/:id',
      {
        config: admin,
        schema: {
          summary: 'Delete a subscription (queued deliveries are dropped)',
          tags: ['admin'],
          params: idParams,
          response: { 200: z.object({ webhook: webhookView }), ...errorResponses(401, 403, 404, 429) },
        },
      },
      async (req) => {
        const removed = await deps.webhooks.remove(req.params.id);
        if (!removed) throw new ApiError(404, 'api_not_found', `no webhook subscription ${req.params.id}`);
        await deps.subscriptionsChanged?.();
        return { webhook: toWebhookView(removed) };
      },
    );
    app.get(
      '/webhooks/:id/deliveries',
      {
        config: admin,
        schema: {
          summary: "A subscription's latest delivery attempts",
          tags: ['admin'],
          params: idParams,
          response: { 200: z.object({ deliveries: z.array(attemptView) }), ...errorResponses(401, 403, 404, 429) },
        },
      },
      async (req) => {
        if (!(await deps.webhooks.find(req.params.id))) throw new ApiError(404, 'api_not_found', `no webhook subscription ${req.params.id}`);
        return { deliveries: (await deps.webhooks.attempts(req.params.id, 100)).map(toAttemptView) };
      },
    );
  };
}
