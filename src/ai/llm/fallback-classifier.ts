/**
 * Primary classifier (the LLM) with a fallback (the offline model): when the
 * primary fails or takes longer than `primaryTimeoutMs`, the fallback's answer
 * is returned, its reason saying so. The primary's call is cancelled on
 * timeout when it accepts a signal (LlmTicketClassifier does).
 */
import type { TicketClassification, TicketClassifier } from '../classifier.port';
import type { Logger } from '../../logger';
import { isLlmError } from './llm-error';
import { capChars } from './sanitize';
import { MAX_LLM_REASON_CHARS } from './triage-output';

type TicketInput = { title: string; description?: string };

/** A classifier that may take a cancel signal (any TicketClassifier fits). */
export interface CancellableClassifier {
  classify(input: TicketInput, call?: { signal?: AbortSignal }): Promise<TicketClassification>;
}

export interface FallbackOptions {
  /** Give up on the primary after this long (it is cancelled) and use the fallback. Default: wait for the primary's own deadline. */
  primaryTimeoutMs?: number;
}

export class FallbackTicketClassifier implements TicketClassifier {
  constructor(
    private readonly primary: CancellableClassifier,
    private readonly fallback: TicketClassifier,
    private readonly logger: Logger,
    private readonly options: FallbackOptions = {},
  ) {}

  async classify(input: TicketInput): Promise<TicketClassification> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      const primary = this.primary.classify(input, { signal: controller.signal });
      const limit = this.options.primaryTimeoutMs;
      return await (limit === undefined
        ? primary
        : Promise.race([
            primary,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                controller.abort();
                reject(new PrimaryTimeout(limit));
              }, limit);
            }),
          ]));
    } catch (err) {
      const why = err instanceof PrimaryTimeout ? 'timeout' : isLlmError(err) ? err.failure : 'error';
      this.logger.warn({ err, failure: why }, 'primary classifier failed; using the offline classifier');
      const answer = await this.fallback.classify(input);
      return { ...answer, reason: capChars(`LLM ${why}, offline model: ${answer.reason}`, MAX_LLM_REASON_CHARS) };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}

class PrimaryTimeout extends Error {
  constructor(ms: number) {
    super(`primary classifier took longer than ${ms} ms`);
    this.name = 'PrimaryTimeout';
  }
}
