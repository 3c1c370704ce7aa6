import type { DeskConfig } from '../config/desk-config.schema';
import type { MessageRef, Ticket } from '../domain/ticket/ticket';
import type { Logger } from '../logger';
import type { OutboundMessage } from './cards/card';
import { ticketCard } from './cards/ticket-card';
import type { AdapterRegistry } from './chat-adapter.port';
import { teamById } from '../domain/ticket/routing';

/**
 * Builds and sends what people see after a change: the card in each agent
 * channel and a line in the requester's thread. Failures are logged with the
 * ticket key and never undo the change itself (the ticket is already stored).
 */
export class Notifier {
  constructor(
    private readonly desk: DeskConfig,
    private readonly adapters: AdapterRegistry,
    private readonly logger: Logger,
  ) {}

  /** Posts a new ticket's card in every agent channel its team has on a connected messenger. */
  async postCards(ticket: Ticket): Promise<MessageRef[]> {
    const team = teamById(this.desk, ticket.team);
    const message = ticketCard(ticket, this.desk);
    const refs: MessageRef[] = [];
    for (const [platform, channelId] of Object.entries(team.agentChannels)) {
      const adapter = this.adapters.get(platform as MessageRef['platform']);
      if (!adapter) continue;
      try {
        refs.push(await adapter.post({ channelId }, message));
      } catch (err) {
        this.logger.error({ err, ticket: ticket.key, platform, channelId }, 'posting the ticket card failed');
      }
    }
    if (refs.length === 0) this.logger.warn({ ticket: ticket.key, team: team.id }, 'no agent channel reachable for this ticket');
    return refs;
  }

  /** Re-renders the card in place everywhere it was posted. */
  async refreshCards(ticket: Ticket): Promise<void> {
    const message = ticketCard(ticket, this.desk);
    await Promise.all(
      ticket.agentCards.map(async (ref) => {
        const adapter = this.adapters.get(ref.platform);
        if (!adapter) return;
        try {
          await adapter.update(ref, message);
        } catch (err) {
          this.logger.error({ err, ticket: ticket.key, platform: ref.platform }, 'updating the ticket card failed');
        }
      }),
    );
  }

  /** Opens the requester's thread (a DM with the bot) with the confirmation. */
  async openRequesterThread(ticket: Ticket, message: OutboundMessage): Promise<MessageRef | undefined> {
    const adapter = this.adapters.get(ticket.requester.platform);
    if (!adapter) return undefined;
    try {
      return await adapter.sendDirect(ticket.requester, message);
    } catch (err) {
      this.logger.error({ err, ticket: ticket.key }, 'telling the requester failed');
      return undefined;
    }
  }

  /** A line in the requester's thread (or a new DM when there is no thread yet). */
  async tellRequester(ticket: Ticket, message: OutboundMessage): Promise<void> {
    const adapter = this.adapters.get(ticket.requester.platform);
    if (!adapter) return;
    try {
      const thread = ticket.requesterThread;
      if (thread) await adapter.post({ channelId: thread.channelId, threadId: thread.threadId ?? thread.messageId }, message);
      else await adapter.sendDirect(ticket.requester, message);
    } catch (err) {
      this.logger.error({ err, ticket: ticket.key }, 'telling the requester failed');
    }
  }
}
