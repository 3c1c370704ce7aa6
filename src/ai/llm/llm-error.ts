/**
 * Coded errors of the LLM layer. The model endpoint is an outside service
 * like a messenger, so failures are `chatdesk_adapter_error` (429:
 * `chatdesk_rate_limited`) with `details.platform = 'openai'` and a stable
 * `details.code` (`llm_timeout`, `llm_malformed`, …); `failure` says the same.
 */
import { ChatdeskError } from '../../domain/errors';

export const LLM_FAILURES = ['timeout', 'aborted', 'rate_limited', 'unavailable', 'http_error', 'truncated', 'refused', 'malformed'] as const;
export type LlmFailure = (typeof LLM_FAILURES)[number];

export class LlmError extends ChatdeskError {
  readonly failure: LlmFailure;

  constructor(failure: LlmFailure, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(
      failure === 'rate_limited' ? 'chatdesk_rate_limited' : 'chatdesk_adapter_error',
      message,
      { platform: 'openai', code: `llm_${failure}`, ...details },
      options,
    );
    this.name = 'LlmError';
    this.failure = failure;
  }
}

export function isLlmError(err: unknown, failure?: LlmFailure): err is LlmError {
  return err instanceof LlmError && (failure === undefined || err.failure === failure);
}
