/**
 * Coded errors. Every error chatdesk raises on purpose carries a stable,
 * namespaced `code` that adapters map to a user-facing message and tests assert on.
 */
export type ErrorCode =
  | 'chatdesk_config_invalid'
  | 'chatdesk_ticket_not_found'
  | 'chatdesk_ticket_invalid'
  | 'chatdesk_ticket_type_unknown'
  | 'chatdesk_transition_illegal'
  | 'chatdesk_ticket_already_claimed'
  | 'chatdesk_ticket_conflict'
  /** The permission matrix refuses this person this action on this ticket (details: reason, action, ticket, team). */
  | 'chatdesk_forbidden'
  | 'chatdesk_store_unavailable'
  | 'chatdesk_classifier_untrained'
  | 'chatdesk_classifier_input_invalid'
  | 'chatdesk_sla_config_invalid'
  | 'chatdesk_adapter_error'
  /** The platform refuses to deliver to this person (DMs closed, app not installed). */
  | 'chatdesk_recipient_unreachable'
  | 'chatdesk_rate_limited'
  /** A ticket was stored but some of its messages (cards, the requester's thread) are not delivered yet; retried. */
  | 'chatdesk_delivery_incomplete'
  /** A ticket for this inbound request is already stored (one ticket per request: a retry or a second worker). */
  | 'chatdesk_intake_duplicate'
  /** The inbox is deeper or older than its bound: new requests are refused until it drains. */
  | 'chatdesk_busy'
  /** A webhook URL resolves to a loopback or private address (and configuration does not allow it), or does not resolve. */
  | 'chatdesk_webhook_target_refused';

export class ChatdeskError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChatdeskError';
    this.code = code;
    this.details = details;
  }
}

export function isChatdeskError(err: unknown, code?: ErrorCode): err is ChatdeskError {
  return err instanceof ChatdeskError && (code === undefined || err.code === code);
}

/**
 * A platform refused for good (a message or channel that does not exist, a
 * payload it will never take): retrying cannot help. Adapters mark these with
 * `details.permanent`; 429s, 5xx and network failures are not permanent.
 */
export function isPermanentFailure(err: unknown): boolean {
  return isChatdeskError(err, 'chatdesk_recipient_unreachable') || (isChatdeskError(err, 'chatdesk_adapter_error') && err.details.permanent === true);
}

/** An HTTP status a retry cannot change: 4xx other than 408 (timeout) and 429 (rate limit). */
export const isPermanentStatus = (status: unknown): boolean => typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
