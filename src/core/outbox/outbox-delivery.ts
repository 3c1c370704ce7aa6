import type { Ticket, UserRef } from '../../domain/ticket/ticket';
import type { OutboundMessage } from '../cards/card';
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
/** Written summaries kept for a retry (the oldest is dropped beyond this: it is written again). */
const WRITTEN_KEPT = 500;

export function outboxDelivery(
  notifier: Notifier,
  tickets: { findById(id: string): Promise<Ticket | null> },
  logger: Logger,
  /** Sends a webhook job (src/core/webhooks/webhook-sender.ts); without it webhook jobs are dropped with a warning. */
  webhook?: (entry: OutboxEntry, job: Extract<OutboxJob, { kind: 'webhook' }>) => Promise<void>,
  /** Writes a hand-off summary for `user` (src/core/handoff-summaries.ts); without it such jobs are dropped with a warning. */
  summaryFor?: (ticket: Ticket, user: UserRef) => Promise<OutboundMessage>,
  /** Drafts and posts the knowledge entry of a resolved ticket (HelpDesk.knowledgeFromResolved); without it such jobs are dropped with a warning. */
  knowledge?: (ticketId: string, opts: { mayExist: boolean }) => Promise<void>,
): OutboxDelivery {
  const ticketFor = async (entry: OutboxEntry, id: string): Promise<Ticket | undefined> => {
    const ticket = await tickets.findById(id);
    if (!ticket) logger.warn({ entry: entry.id, ticket: id }, 'an outgoing message names a ticket that no longer exists; dropped');
    return ticket ?? undefined;
  };
  /** Summaries written for entries not sent yet: a retry in this process sends the same text without asking the LLM again. */
  const written = new Map<string, OutboundMessage>();
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
      case 'handoff_summary': {
        // Written at the first attempt, from the ticket as it is then (the LLM's failure gives the extractive summary, never an error).
        const ticket = await ticketFor(entry, job.ticketId);
        if (!ticket) return;
        if (!summaryFor) {
          logger.warn({ entry: entry.id }, 'a hand-off summary was queued but summaries are not wired here; dropped');
          return;
        }
        const message = written.get(entry.id) ?? (await summaryFor(ticket, job.user));
        written.set(entry.id, message);
        if (written.size > WRITTEN_KEPT) written.delete(written.keys().next().value as string);
        await notifier.direct(job.user, message, opts);
        written.delete(entry.id);
        return;
      }
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
