import { AsyncLocalStorage } from 'node:async_hooks';
import type { APIInteractionResponse } from 'discord.js';

/**
 * The card click being handled in this async context. When the core re-renders
 * that very card while the click is still unanswered, the adapter answers the
 * click with "update message" (type 7) instead of a separate edit.
 */
export interface ComponentScope {
  messageId: string;
  answered: boolean;
  respond(body: APIInteractionResponse): Promise<void>;
}

export const componentScope = new AsyncLocalStorage<ComponentScope>();

/** Marks the click answered and sends `body`, unless it was answered already. Returns whether it sent. */
export async function answerOnce(scope: ComponentScope, body: APIInteractionResponse): Promise<boolean> {
  if (scope.answered) return false;
  scope.answered = true;
  await scope.respond(body);
  return true;
}
