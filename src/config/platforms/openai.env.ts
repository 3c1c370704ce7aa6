import { z } from 'zod';
import { baseUrl, optionalString } from './env-helpers';

/** Any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, DeepSeek, Qwen, Ollama). On when OPENAI_API_KEY is set. */
export const openaiEnvShape = {
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: baseUrl.default('https://api.openai.com/v1'),
  OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: z.coerce.number({ message: 'expected milliseconds' }).int().min(100).max(120000).default(8000),
};

export interface OpenAiConfig {
  apiKey: string;
  baseUrl: string;
  model: string;
  timeoutMs: number;
}

type OpenAiEnv = z.infer<z.ZodObject<typeof openaiEnvShape>>;

export function openaiConfigFromEnv(env: OpenAiEnv): OpenAiConfig | undefined {
  if (!env.OPENAI_API_KEY) return undefined;
  return { apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL, timeoutMs: env.OPENAI_TIMEOUT_MS };
}
