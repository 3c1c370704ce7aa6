import type { Ticket } from '../../domain/ticket/ticket';
import type { Logger } from '../../logger';
import type { PostOptions } from '../chat-adapter.port';
import type { Notifier } from '../notifier';
import type { OutboxDelivery } from './outbox-worker';
import type { OutboxEntry, OutboxJob } from './outbox.port';

/**
 * How each outbox job is sent, through the notifier's adapters. Posts carry
 * `outbox:<entry id>` as their idempotency key, so a retry after a crash is
 * deduplicated where the platform allows (Discord nonce, Feishu uuid, Slack
 * metadata look-up); Teams has no such key (see PostOptions).
 */
export function outboxDelivery(
  notifier: Notifier,
  tickets: { findById(id: string): Promise<Ticket | null> },
  logger: Logger,
  /** Sends a webhook job (src/core/webhooks/webhook-sender.ts); without it webhook jobs are dropped with a warning. */
  webhook?: (entry: OutboxEntry, job: Extract<OutboxJob, { kind: 'webhook' }>) => Promise<void>,
  /** Drafts and posts the knowledge entry of a resolved ticket (HelpDesk.knowledgeFromResolved); without it such jobs are dropped with a warning. */
  knowledge?: (ticketId: string, opts: { mayExist: boolean }) => Promise<void>,
): OutboxDelivery {
  const ticketFor = async (entry: OutboxEntry, id: string): Promise<Ticket | undefined> => {
    const ticket = await tickets.findById(id);
    if (!ticket) logger.warn({ entry: entry.id, ticket: id }, 'an outgoing message names a ticket that no longer exists; dropped');
    return ticket ?? undefined;
  };
  return async (entry, { mayExist }) => {
    const opts: PostOptions = { dedupeKey: `outbox:${entry.id}`, mayExist, since: entry.createdAt };
    const job = entry.job;
    switch (job.kind) {
      case 'refresh_cards': {
        // Rendered from the ticket as it is now. Another process may render a newer version at the same
        // time and land first: after each update the ticket is read again, and rendered again if it moved on,
        // so the last update to land always shows the latest version.
        let ticket = await ticketFor(entry, job.ticketId);
        for (let round = 0; ticket && round < 5; round++) {
          await notifier.updateCards(ticket);
          const latest = await tickets.findById(ticket.id);
          if (!latest || latest.version === ticket.version) return;
          ticket = latest;
        }
        return;
      }
      case 'to_requester': {
        const ticket = await ticketFor(entry, job.ticketId);
        if (ticket) await notifier.sendToRequester(ticket, job.message, opts);
        return;
      }
      case 'in_card_thread':
        await notifier.postUnderCard(job.card, job.message, opts);
        return;
      case 'direct':
        await notifier.direct(job.user, job.message, opts);
        return;
      case 'knowledge_from_resolved':
        if (knowledge) await knowledge(job.ticketId, { mayExist });
        else logger.warn({ entry: entry.id }, 'a knowledge draft was queued but the assistant is not wired here; dropped');
        return;
      case 'webhook':
        if (webhook) await webhook(entry, job);
        else logger.warn({ entry: entry.id }, 'a webhook delivery was queued but webhooks are not wired here; dropped');
        return;
    }
  };
}
