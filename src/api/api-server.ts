import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Route } from '../core/platform-module';
import type { Logger } from '../logger';
import { adminApiRoutes } from './admin-api-routes';
import { authenticate } from './api-auth';
import { ApiError, toApiError } from './api-errors';
import type { ApiTokenStore } from './api-token';
import { RateLimiter } from './rate-limiter';
import { ticketRoutes, type TicketRoutesDeps } from './ticket-routes';
import { knowledgeRoutes } from './knowledge-routes';
import type { WebhookStore } from '../core/webhooks/webhook-subscription';
import type { TargetGuard } from '../core/webhooks/target-guard';

export const API_PREFIX = '/api/v1';
export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;
/** Largest request body the API reads. */
export const API_BODY_LIMIT_BYTES = 64 * 1024;

export interface ApiDeps extends TicketRoutesDeps {
  tokens: ApiTokenStore;
  webhooks: WebhookStore;
  guard: TargetGuard;
  /** Called (and awaited) after a subscription is created or deleted here. */
  subscriptionsChanged?: () => Promise<void>;
  /** CHATDESK_ADMIN_TOKEN: acts as an admin token named `admin` (bootstraps the first tokens). */
  adminToken?: string;
  /** Requests a minute per token (CHATDESK_API_RATE_LIMIT). */
  ratePerMinute: number;
  logger: Logger;
  version: string;
}

/**
 * The REST API on Fastify, validated by the same zod schemas the OpenAPI
 * document (at /api/v1/openapi.json) is generated from. It is mounted inside
 * chatdesk's own HTTP server for /api/v1/* only (`route`): the messengers'
 * routes stay on the plain server, where they read the raw bodies their
 * signature checks need.
 */
export async function createApi(deps: ApiDeps): Promise<{ route: Route; app: FastifyInstance; close(): Promise<void> }> {
  const log = deps.logger.child({ component: 'api' });
  const app = Fastify({ bodyLimit: API_BODY_LIMIT_BYTES, logger: false, return503OnClosing: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'chatdesk REST API',
        version: deps.version,
        description: 'Tickets, knowledge entries, API tokens and webhooks of a chatdesk help desk. Errors: { code, message, fields? }.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (cdt_…) or CHATDESK_ADMIN_TOKEN.' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.setErrorHandler((err, req, reply) => {
    const e = toApiError(err);
    if (e.status >= 500) log.error({ err, method: req.method, path: req.url.split('?')[0] }, 'API request failed');
    // A refused upload is not read further: answer and close.
    if (e.status === 413 || e.status === 401) reply.header('connection', 'close');
    void reply.code(e.status).headers(e.headers).send(e.body());
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new ApiError(404, 'api_not_found', `no route ${req.method} ${req.url.split('?')[0]}`);
    void reply.code(404).send(e.body());
  });
  app.addHook(
    'onRequest',
    authenticate({ tokens: deps.tokens, adminToken: deps.adminToken, limiter: new RateLimiter(deps.ratePerMinute), logger: log, now: deps.now }),
  );
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });
  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await api.register(ticketRoutes(deps));
      await api.register(knowledgeRoutes(deps));
      await api.register(adminApiRoutes({ ...deps, teams: deps.desk.desk.teams.map((t) => t.id) }));
    },
    { prefix: API_PREFIX },
  );
  await app.ready();
  const route: Route = (req, res, url) => {
    if (url.pathname !== API_PREFIX && !url.pathname.startsWith(`${API_PREFIX}/`)) return false;
    app.routing(req, res);
    return true;
  };
  return { route, app, close: () => app.close() };
}
