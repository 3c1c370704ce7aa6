import type { DeskConfig } from '../config/desk-config.schema';
import { isChatdeskError } from '../domain/errors';
import type { SlaConfig } from '../domain/sla/policy';
import { teamById } from '../domain/ticket/routing';
import type { ActorPlatform, MessageRef, Ticket, UserRef } from '../domain/ticket/ticket';
import type { Logger } from '../logger';
import type { OutboundMessage } from './cards/card';
import { slaLine } from './cards/sla-line';
import { displayName, ticketCard } from './cards/ticket-card';
import type { AdapterRegistry, PostOptions } from './chat-adapter.port';
import { localeForText, t } from './i18n';
import type { OutboxItem } from './outbox/outbox.port';

/** Where the notifier queues what it sends (the durable outbox, src/core/outbox). */
export interface OutboxQueue {
  enqueue(items: OutboxItem[]): Promise<void>;
}

/** How long a messenger may take to give a message link before the message goes without it. */
const LINK_TIMEOUT_MS = 3000;

/**
 * Builds and sends what people see after a change: the card in each agent
 * channel and a line in the requester's thread. Failures are logged with the
 * ticket key and never undo the change itself (the ticket is already stored).
 * With an outbox attached (the app always attaches one), card refreshes, lines
 * to the requester and under the card, and queued DMs are stored first and
 * sent by the outbox worker: retried, in order, and not lost to a crash.
 */
export class Notifier {
  private outbox?: OutboxQueue;

  constructor(
    private readonly desk: DeskConfig,
    private readonly adapters: AdapterRegistry,
    private readonly logger: Logger,
    private readonly sla: SlaConfig,
    private readonly now: () => Date,
  ) {}

  /** From now on, refreshes and lines go through this durable queue. */
  attachOutbox(outbox: OutboxQueue): void {
    this.outbox = outbox;
  }

  /**
   * Stores the items in the outbox (sent in the background); without an outbox,
   * or when the database cannot take them, `direct` sends them now instead
   * (degraded: logged, not lost silently).
   */
  private async queue(items: OutboxItem[], direct: () => Promise<void>): Promise<void> {
    if (items.length === 0) return;
    if (!this.outbox) return direct();
    try {
      await this.outbox.enqueue(items);
    } catch (err) {
      this.logger.warn({ err, kinds: items.map((i) => i.job.kind) }, 'the outbox could not store a message; sending it now without retries');
      await direct();
    }
  }

  /** The agent card as it should look now (SLA state included). */
  card(ticket: Ticket): OutboundMessage {
    return ticketCard(ticket, this.desk, this.desk.locale, slaLine(ticket, this.now(), this.sla, this.desk.locale));
  }

  /** Posts a new ticket's card in every agent channel its team has on a connected messenger. */
  async postCards(ticket: Ticket): Promise<MessageRef[]> {
    return (await this.postMissingCards(ticket)).refs;
  }

  /**
   * Posts the card where the ticket has none yet (every agent channel of its
   * team on a connected messenger, less the platforms in `ticket.agentCards`).
   * `refs` is every card the ticket then has; `failed` counts channels whose post
   * failed (after the client's own retries), to be tried again.
   */
  async postMissingCards(ticket: Ticket, opts: { resumed?: boolean } = {}): Promise<{ refs: MessageRef[]; failed: number }> {
    const team = teamById(this.desk, ticket.team);
    const message = this.card(ticket);
    const refs: MessageRef[] = [...ticket.agentCards];
    let failed = 0;
    for (const [platform, channelId] of Object.entries(team.agentChannels)) {
      const adapter = this.adapters.get(platform as MessageRef['platform']);
      if (!adapter || refs.some((r) => r.platform === platform && r.channelId === channelId)) continue;
      try {
        const post = { dedupeKey: `card:${ticket.id}:${platform}:${channelId}`, mayExist: !!opts.resumed, since: ticket.createdAt };
        refs.push(await adapter.post({ channelId }, message, post));
      } catch (err) {
        failed++;
        this.logger.error({ err, ticket: ticket.key, platform, channelId }, 'posting the ticket card failed');
      }
    }
    if (refs.length === 0 && failed === 0) this.logger.warn({ ticket: ticket.key, team: team.id }, 'no agent channel reachable for this ticket');
    return { refs, failed };
  }

  /** Re-renders the card in place everywhere it was posted (through the outbox: retried until it lands). */
  async refreshCards(ticket: Ticket): Promise<void> {
    if (ticket.agentCards.length === 0) return;
    await this.queue([{ conversation: `cards:${ticket.id}`, job: { kind: 'refresh_cards', ticketId: ticket.id } }], () =>
      this.updateCards(ticket).catch((err: unknown) => this.logger.error({ err, ticket: ticket.key }, 'updating the ticket card failed')),
    );
  }

  /** Re-renders the card in place everywhere now; throws (after trying every card) when one could not be updated. */
  async updateCards(ticket: Ticket): Promise<void> {
    const message = this.card(ticket);
    const results = await Promise.allSettled(
      ticket.agentCards.map(async (ref) => {
        const adapter = this.adapters.get(ref.platform);
        if (adapter) await adapter.update(ref, message);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A line under each of the ticket's cards, through the outbox (one entry per card). */
  async queueInCardThreads(ticket: Ticket, message: OutboundMessage): Promise<void> {
    const items: OutboxItem[] = ticket.agentCards.map((card) => ({
      conversation: `cards:${ticket.id}`,
      job: { kind: 'in_card_thread', ticketId: ticket.id, card, message },
    }));
    if (items.length === 0) this.logger.warn({ ticket: ticket.key }, 'no agent card to post under');
    await this.queue(items, async () => {
      await this.postInCardThreads(ticket, message);
    });
  }

  /** A line in the thread of a chat message (the one a ticket was opened from), through the outbox. */
  async queueInThread(ticket: Ticket, at: MessageRef, message: OutboundMessage): Promise<void> {
    await this.queue([{ conversation: `source:${ticket.id}`, job: { kind: 'in_card_thread', ticketId: ticket.id, card: at, message } }], async () => {
      await this.postUnderCard(at, message);
    });
  }

  /** Whether this process has a connection to `platform` (another replica may have one this one lacks). */
  reaches(platform: MessageRef['platform']): boolean {
    return !!this.adapters.get(platform);
  }

  /** Posts under one card now; throws when the platform refuses. */
  async postUnderCard(card: MessageRef, message: OutboundMessage, opts?: PostOptions): Promise<MessageRef> {
    const adapter = this.adapters.get(card.platform);
    if (!adapter) throw new Error(`no ${card.platform} connection for the card's channel`);
    return adapter.post({ channelId: card.channelId, threadId: card.threadId ?? card.messageId }, message, opts);
  }

  /** A line in the thread under the ticket's card in every agent channel. Returns whether any was posted. */
  async postInCardThreads(ticket: Ticket, message: OutboundMessage): Promise<boolean> {
    return (await this.postInCardThreadsRefs(ticket, message)).length > 0;
  }

  /** Like postInCardThreads, returning where each message landed (to update it later). */
  async postInCardThreadsRefs(ticket: Ticket, message: OutboundMessage): Promise<MessageRef[]> {
    const refs: MessageRef[] = [];
    for (const ref of ticket.agentCards) {
      if (!this.adapters.get(ref.platform)) continue;
      try {
        refs.push(await this.postUnderCard(ref, message));
      } catch (err) {
        this.logger.error({ err, ticket: ticket.key, platform: ref.platform }, 'posting in the card thread failed');
      }
    }
    return refs;
  }

  /** Replaces a message the bot posted (a draft, an offer) in place; failures are logged. */
  async updateMessage(ref: MessageRef, message: OutboundMessage): Promise<void> {
    const adapter = this.adapters.get(ref.platform);
    if (!adapter) return;
    await adapter.update(ref, message).catch((err: unknown) => this.logger.error({ err, platform: ref.platform }, 'updating a message failed'));
  }

  /**
   * Opens the requester's thread (a DM with the bot) with the confirmation.
   * `unreachable` is set when the platform refuses to deliver to them (DMs closed,
   * app not installed): the caller then tells the agents instead.
   */
  /** `failed`: the platform could not be reached (try again later); `unreachable`: this person cannot get DMs (final). */
  async openRequesterThread(
    ticket: Ticket,
    message: OutboundMessage,
    opts: { resumed?: boolean } = {},
  ): Promise<{ ref?: MessageRef; unreachable?: boolean; failed?: boolean }> {
    const adapter = this.adapters.get(ticket.requester.platform);
    if (!adapter) return {};
    try {
      return {
        ref: await adapter.sendDirect(ticket.requester, message, {
          dedupeKey: `thread:${ticket.id}`,
          mayExist: !!opts.resumed,
          since: ticket.createdAt,
          about: aboutTicket(ticket),
        }),
      };
    } catch (err) {
      const unreachable = isChatdeskError(err, 'chatdesk_recipient_unreachable');
      if (unreachable) this.logger.warn({ ticket: ticket.key, platform: ticket.requester.platform }, 'the requester cannot receive direct messages');
      else this.logger.error({ err, ticket: ticket.key }, 'telling the requester failed');
      return { unreachable, failed: !unreachable };
    }
  }

  /** A line in the requester's thread (or a new DM when there is no thread yet), through the outbox. */
  async tellRequester(ticket: Ticket, message: OutboundMessage): Promise<void> {
    if (!this.adapters.get(ticket.requester.platform)) return;
    await this.queue([{ conversation: `requester:${ticket.id}`, job: { kind: 'to_requester', ticketId: ticket.id, message } }], async () => {
      await this.postToRequester(ticket, message);
    });
  }

  /** Like tellRequester, now, returning where the message landed (undefined when it could not be delivered). */
  async postToRequester(ticket: Ticket, message: OutboundMessage): Promise<MessageRef | undefined> {
    try {
      return await this.sendToRequester(ticket, message);
    } catch (err) {
      this.logger.error({ err, ticket: ticket.key }, 'telling the requester failed');
      return undefined;
    }
  }

  /** A line in the requester's thread (or a new DM), now; throws when the platform refuses. */
  async sendToRequester(ticket: Ticket, message: OutboundMessage, opts?: PostOptions): Promise<MessageRef | undefined> {
    const adapter = this.adapters.get(ticket.requester.platform);
    if (!adapter) return undefined;
    const thread = ticket.requesterThread;
    const withAbout = { ...opts, about: aboutTicket(ticket) };
    if (thread) return adapter.post({ channelId: thread.channelId, threadId: thread.threadId ?? thread.messageId }, message, withAbout);
    return adapter.sendDirect(ticket.requester, message, withAbout);
  }

  /**
   * A link that opens the ticket's card, for someone on `platform`: the card on
   * their messenger first, else another messenger's card with an absolute link
   * (a relative one only resolves inside its own messenger). A platform error, or
   * no answer within `timeoutMs` (SDK retries of a platform outage), is logged
   * and that card skipped: the message carrying the link is never held up for it.
   */
  async cardLink(ticket: Ticket, platform: ActorPlatform, timeoutMs = LINK_TIMEOUT_MS): Promise<string | undefined> {
    const cards = [...ticket.agentCards].sort((a, b) => Number(b.platform === platform) - Number(a.platform === platform));
    for (const ref of cards) {
      const adapter = this.adapters.get(ref.platform);
      if (!adapter?.permalink) continue;
      let timer: NodeJS.Timeout | undefined;
      try {
        const url = await Promise.race([
          adapter.permalink(ref),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        if (url && (ref.platform === platform || /^https?:\/\//i.test(url))) return url;
      } catch (err) {
        this.logger.warn({ err, ticket: ticket.key, platform: ref.platform }, 'no link to the ticket card');
      } finally {
        clearTimeout(timer);
      }
    }
    return undefined;
  }

  /** A DM to anyone (assignee, manager). Throws the adapter's error so the caller can retry or fall back. */
  async direct(user: UserRef, message: OutboundMessage, opts?: PostOptions): Promise<MessageRef> {
    const adapter = this.adapters.get(user.platform);
    if (!adapter) throw new Error(`no ${user.platform} connection to reach ${displayName(user)}`);
    return adapter.sendDirect(user, message, opts);
  }

  /** After a resolve: the knowledge draft as outbox work (retried, and finished by another process if this one dies); without an outbox, `now`. */
  async queueKnowledge(ticket: Ticket, now: () => Promise<void>): Promise<void> {
    await this.queue([{ conversation: `knowledge:${ticket.id}`, job: { kind: 'knowledge_from_resolved', ticketId: ticket.id } }], now);
  }

  /** A DM through the outbox (retried until it lands, or given up when the person cannot get DMs). */
  async queueDirect(user: UserRef, message: OutboundMessage): Promise<void> {
    if (!this.adapters.get(user.platform)) throw new Error(`no ${user.platform} connection to reach ${displayName(user)}`);
    await this.queue([{ conversation: `dm:${user.platform}:${user.id}`, job: { kind: 'direct', user, message } }], async () => {
      await this.direct(user, message);
    });
  }

  /**
   * A hand-off summary DM through the outbox: the entry names the ticket and the person, and `write`
   * (given the ticket as it is then) makes the text when it is sent; without an outbox it is written and sent now.
   */
  async queueSummary(user: UserRef, ticket: Ticket, write: () => Promise<OutboundMessage>): Promise<void> {
    if (!this.adapters.get(user.platform)) throw new Error(`no ${user.platform} connection to reach ${displayName(user)}`);
    await this.queue([{ conversation: `dm:${user.platform}:${user.id}`, job: { kind: 'handoff_summary', ticketId: ticket.id, user } }], async () => {
      await this.direct(user, await write());
    });
  }

  /** Tells the agents, under the card, that the requester cannot be reached by DM. */
  async requesterUnreachable(ticket: Ticket): Promise<void> {
    const locale = localeForText(`${ticket.title} ${ticket.description}`, this.desk.locale);
    await this.queueInCardThreads(ticket, { text: t(locale, 'agents.requesterUnreachable', { key: ticket.key, name: displayName(ticket.requester) }) });
  }
}

/** What a post to the requester is about (PostOptions.about). */
function aboutTicket(ticket: Ticket): NonNullable<PostOptions['about']> {
  return { key: ticket.key, title: ticket.title, ...(ticket.intakeId ? { intakeId: ticket.intakeId } : {}) };
}
