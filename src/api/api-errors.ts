import { z } from 'zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isChatdeskError } from '../domain/errors';

/** The one error shape of the REST API. */
export const apiErrorSchema = z.object({
  code: z.string().describe('Stable, namespaced: api_* for the HTTP layer, chatdesk_* from the core.'),
  message: z.string(),
  fields: z.record(z.string(), z.string()).optional().describe('Per field (dotted path), what is wrong with it.'),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) };
  }
}

/** Status of each core error an API call can meet. */
const CORE_STATUS: Record<string, number> = {
  chatdesk_ticket_not_found: 404,
  chatdesk_ticket_invalid: 400,
  chatdesk_ticket_type_unknown: 400,
  chatdesk_transition_illegal: 409,
  chatdesk_ticket_already_claimed: 409,
  chatdesk_ticket_conflict: 409,
  chatdesk_not_permitted: 403,
  chatdesk_forbidden: 403,
  chatdesk_webhook_target_refused: 400,
  chatdesk_busy: 503,
  chatdesk_store_unavailable: 503,
  chatdesk_rate_limited: 429,
};

const HTTP_CODES: Record<number, string> = {
  400: 'api_invalid_request',
  401: 'api_unauthorized',
  403: 'api_forbidden',
  404: 'api_not_found',
  405: 'api_method_not_allowed',
  406: 'api_not_acceptable',
  411: 'api_length_required',
  413: 'api_payload_too_large',
  415: 'api_unsupported_media_type',
  429: 'api_rate_limited',
};

/** Any error thrown while answering (ours, the core's, Fastify's, a validation failure) as the one shape. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fields: Record<string, string> = {};
    const where = (err as { validationContext?: string }).validationContext ?? 'body';
    for (const issue of err.validation) {
      const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const params = issue.params as { keys?: string[] };
      if (issue.keyword === 'unrecognized_keys' && params.keys) for (const k of params.keys) fields[path ? `${path}.${k}` : k] = 'unknown field';
      else fields[path || where] = issue.message ?? 'invalid';
    }
    return new ApiError(400, 'api_invalid_request', `the request ${where} is not valid`, fields);
  }
  if (isChatdeskError(err)) {
    const status = CORE_STATUS[err.code] ?? 500;
    const retry = err.code === 'chatdesk_busy' || err.code === 'chatdesk_store_unavailable' ? { 'retry-after': '5' } : undefined;
    return status === 500 ? new ApiError(500, 'api_internal', 'internal error') : new ApiError(status, err.code, err.message, undefined, retry);
  }
  const status = (err as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message =
      status === 413 ? 'the request body is too large' : status === 415 ? 'send Content-Type: application/json' : ((err as Error).message ?? 'bad request');
    return new ApiError(status, HTTP_CODES[status] ?? 'api_invalid_request', message);
  }
  return new ApiError(500, 'api_internal', 'internal error');
}
