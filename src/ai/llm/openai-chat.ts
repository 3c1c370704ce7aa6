/**
 * The one place that talks to an OpenAI-compatible chat completions endpoint
 * (OpenAI, Azure OpenAI, DeepSeek, Qwen, Ollama) through the official `openai`
 * SDK. Each call has one deadline (`timeoutMs`, all retries included); SDK
 * retries are kept small (429 honours Retry-After within the deadline). Every
 * failure becomes an LlmError with a stable failure kind; the API key is only
 * ever in the SDK's Authorization header, never in a message or a log line.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, RateLimitError } from 'openai';
import type { OpenAiConfig } from '../../config/platforms/openai.env';
import type { Logger } from '../../logger';
import { LlmError } from './llm-error';
import type { ChatRequest, ChatResult, LlmChat } from './chat.port';

export interface OpenAiChatOptions {
  /** SDK retries after 429 / 5xx / connection errors, within the deadline. Default 1. */
  maxRetries?: number;
  logger?: Logger;
  /** For tests and proxies: the fetch the SDK uses. */
  fetch?: typeof fetch;
}

export const DEFAULT_LLM_MAX_RETRIES = 1;

export class OpenAiChat implements LlmChat {
  readonly model: string;
  readonly timeoutMs: number;
  private readonly client: OpenAI;
  private readonly logger: Logger | undefined;

  constructor(config: OpenAiConfig, options: OpenAiChatOptions = {}) {
    if (!config.apiKey) throw new LlmError('unavailable', 'OpenAI-compatible endpoint needs an API key');
    this.model = config.model;
    this.timeoutMs = config.timeoutMs;
    this.logger = options.logger;
    this.client = new OpenAI({
      apiKey: config.apiKey,
      baseURL: config.baseUrl,
      timeout: config.timeoutMs,
      maxRetries: options.maxRetries ?? DEFAULT_LLM_MAX_RETRIES,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async complete(request: ChatRequest): Promise<ChatResult> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    const started = performance.now();
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: request.user },
          ],
          max_tokens: request.maxTokens,
          temperature: request.temperature ?? 0,
          ...(request.jsonSchema
            ? {
                response_format: {
                  type: 'json_schema' as const,
                  json_schema: { name: request.jsonSchema.name, strict: true, schema: request.jsonSchema.schema },
                },
              }
            : request.json
              ? { response_format: { type: 'json_object' as const } }
              : {}),
        },
        { signal },
      );
    } catch (err) {
      throw this.mapError(err, request.signal, deadline);
    }
    const latencyMs = performance.now() - started;
    const choice = completion.choices?.[0];
    if (!choice?.message) throw new LlmError('malformed', 'LLM answer has no choice', { latencyMs });
    if (choice.finish_reason === 'length') throw new LlmError('truncated', 'LLM answer was cut at the token limit', { latencyMs });
    if (choice.finish_reason === 'content_filter' || choice.message.refusal) throw new LlmError('refused', 'LLM refused to answer', { latencyMs });
    const content = choice.message.content;
    if (typeof content !== 'string' || content.trim() === '') throw new LlmError('malformed', 'LLM answer is empty', { latencyMs });
    this.logger?.debug({ model: this.model, latencyMs: Math.round(latencyMs), finishReason: choice.finish_reason }, 'llm answered');
    return { content, finishReason: choice.finish_reason, model: completion.model ?? this.model, latencyMs };
  }

  private mapError(err: unknown, caller: AbortSignal | undefined, deadline: AbortSignal): LlmError {
    if (err instanceof LlmError) return err;
    const timeoutMs = this.timeoutMs;
    if (err instanceof APIUserAbortError) {
      if (caller?.aborted) return new LlmError('aborted', 'LLM request cancelled', {}, { cause: err });
      return new LlmError('timeout', `LLM did not answer within ${timeoutMs} ms`, { timeoutMs }, { cause: err });
    }
    if (err instanceof APIConnectionTimeoutError || deadline.aborted) {
      return new LlmError('timeout', `LLM did not answer within ${timeoutMs} ms`, { timeoutMs }, { cause: err });
    }
    if (err instanceof RateLimitError) {
      const retryAfter = Number(err.headers?.get('retry-after'));
      return new LlmError(
        'rate_limited',
        'LLM endpoint is rate limiting (429)',
        { status: 429, ...(Number.isFinite(retryAfter) ? { retryAfterSec: retryAfter } : {}) },
        { cause: err },
      );
    }
    if (err instanceof APIConnectionError) return new LlmError('unavailable', 'LLM endpoint unreachable', {}, { cause: err });
    if (err instanceof APIError) {
      const status = typeof err.status === 'number' ? err.status : undefined;
      return new LlmError(
        status !== undefined && status >= 500 ? 'unavailable' : 'http_error',
        `LLM endpoint answered HTTP ${status ?? 'error'}`,
        { status },
        { cause: err },
      );
    }
    return new LlmError('unavailable', `LLM call failed: ${(err as Error)?.name ?? 'error'}`, {}, { cause: err });
  }
}
