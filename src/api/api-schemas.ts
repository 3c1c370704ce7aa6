import { apiErrorSchema } from './api-errors';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (unknown fields, wrong types, a bad cursor, an invalid ticket).',
  401: 'Missing, unknown, revoked or expired token.',
  403: 'The token lacks the scope.',
  404: 'No such ticket, token or subscription.',
  409: 'Conflicts with the current state (already claimed, not allowed in this status, a name in use).',
  413: 'Body over the size limit.',
  415: 'Not application/json.',
  429: 'Rate limit of this token: see Retry-After.',
  503: 'chatdesk is busy or its database unavailable: see Retry-After.',
};

/** The error responses a route documents, all in the one error shape. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, apiErrorSchema.describe(DESCRIPTIONS[s] ?? 'Error.')]));
}
