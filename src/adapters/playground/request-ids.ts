import type { DeliveryLog } from '../../domain/ticket/ticket.repository.port';

const MAX_REMEMBERED = 5000;

/**
 * The playground's own delivery log when the app gives it none: the ids of the
 * last few thousand submissions, in memory (the playground runs in one process).
 */
export function memoryDeliveries(): DeliveryLog {
  const seen = new Set<string>();
  return {
    async firstDelivery(key: string): Promise<boolean> {
      if (seen.has(key)) return false;
      seen.add(key);
      if (seen.size > MAX_REMEMBERED) seen.delete(seen.values().next().value as string);
      return true;
    },
  };
}
