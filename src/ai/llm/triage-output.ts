/**
 * The triage answer's shape, sent to the model as a strict JSON schema and
 * checked again on the way back (models and OpenAI-compatible servers do not
 * all enforce schemas). Anything outside it — an unknown category, a priority
 * like "P0 URGENT", an extra field such as `assignee`, a confidence outside
 * 0..1 — makes the whole answer malformed: a model that left the schema may
 * have followed instructions in the ticket, so none of its answer is used.
 */
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { PRIORITIES, UNKNOWN_CATEGORY, type Priority } from '../classifier.port';
import { LlmError } from './llm-error';
import { oneLine } from './sanitize';

export const MAX_LLM_REASON_CHARS = 200;

export interface TriageAnswer {
  category: string;
  priority: Priority;
  confidence: number;
  reason: string;
}

export function triageSchema(categoryIds: readonly string[]) {
  const ids = [...new Set([...categoryIds, UNKNOWN_CATEGORY])] as [string, ...string[]];
  return z
    .object({
      category: z.enum(ids),
      priority: z.enum(PRIORITIES),
      confidence: z.number().min(0).max(1),
      reason: z.string(),
    })
    .strict();
}

/** The response_format json_schema for a set of categories. */
export function triageJsonSchema(categoryIds: readonly string[]): { name: string; schema: Record<string, unknown> } {
  const format = zodResponseFormat(triageSchema(categoryIds), 'ticket_triage');
  return { name: format.json_schema.name, schema: format.json_schema.schema ?? {} };
}

/** Parses and validates the model's text; throws LlmError('malformed') for anything else. */
export function parseTriageAnswer(content: string, categoryIds: readonly string[]): TriageAnswer {
  let json: unknown;
  try {
    json = JSON.parse(stripFence(content));
  } catch (err) {
    throw new LlmError('malformed', 'LLM answer is not JSON', { preview: oneLine(content, 80) }, { cause: err });
  }
  const parsed = triageSchema(categoryIds).safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`);
    throw new LlmError('malformed', `LLM answer does not match the triage schema (${issues.join('; ')})`, { issues });
  }
  const reason = oneLine(parsed.data.reason, MAX_LLM_REASON_CHARS);
  return { ...parsed.data, reason: reason || 'no reason given' };
}

/** Some servers wrap JSON in a ```json fence even in JSON mode. */
function stripFence(s: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(s);
  return m ? m[1]! : s;
}
