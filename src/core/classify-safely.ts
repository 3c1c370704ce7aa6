import { type TicketClassification, type TicketClassifier, UNKNOWN_CATEGORY } from '../ai/classifier.port';
import type { Logger } from '../logger';

export const CLASSIFY_TIMEOUT_MS = 2000;

/**
 * A ticket is never held up or lost because classification failed: on error
 * or timeout it goes to triage at P2 and an agent decides.
 */
export async function classifySafely(
  classifier: TicketClassifier,
  input: { title: string; description?: string },
  logger: Logger,
  timeoutMs = CLASSIFY_TIMEOUT_MS,
): Promise<TicketClassification> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      classifier.classify(input),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`classifier took longer than ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    logger.warn({ err }, 'classification failed; the ticket goes to triage');
    return {
      category: UNKNOWN_CATEGORY,
      categoryConfidence: 0,
      priority: 'P2',
      priorityConfidence: 0,
      reason: 'classifier unavailable: needs triage',
      source: 'offline',
    };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
