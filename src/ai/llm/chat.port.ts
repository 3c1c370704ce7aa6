/**
 * What the AI features need from a chat model: one system + one user message
 * in, one answer out. `OpenAiChat` implements it with the `openai` SDK; every
 * failure is an `LlmError` (./llm-error).
 */
export interface ChatRequest {
  system: string;
  user: string;
  /** Upper bound of output tokens; an answer cut there is an `LlmError('truncated')`. */
  maxTokens: number;
  /** Default 0 (most repeatable). */
  temperature?: number;
  /** Structured output (response_format json_schema, strict). */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  /** JSON mode without a schema (response_format json_object), for endpoints without json_schema. */
  json?: boolean;
  /** Cancels the call (on top of the model's own deadline). */
  signal?: AbortSignal;
}

export interface ChatResult {
  content: string;
  finishReason: string;
  model: string;
  latencyMs: number;
}

export interface LlmChat {
  readonly model: string;
  complete(request: ChatRequest): Promise<ChatResult>;
}
