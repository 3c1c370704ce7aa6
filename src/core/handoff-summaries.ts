import type { LlmChat } from '../ai/llm/chat.port';
import { type SummaryAudience, summaryFacts } from '../ai/summary/summary-facts';
import { ExtractiveSummarizer, LlmSummarizer, type TicketSummarizer, type TicketSummary } from '../ai/summary/summarizer';
import type { DeskConfig } from '../config/desk-config.schema';
import type { PermissionAction } from '../domain/access/permissions';
import type { SlaConfig } from '../domain/sla/policy';
import { teamById } from '../domain/ticket/routing';
import { sameUser, type Ticket, type UserRef, userKey } from '../domain/ticket/ticket';
import type { TicketAction } from '../domain/ticket/transitions';
import type { Logger } from '../logger';
import type { OutboundMessage } from './cards/card';
import type { Notifier } from './notifier';
import { t } from './i18n';
import { ticketLocale } from './ticket-transcript';

export interface HandoffSummariesDeps {
  desk: DeskConfig;
  sla: SlaConfig;
  notifier: Notifier;
  /** The permission matrix, recording nothing: whether a person may see the agent-facing summary (with internal notes). */
  allows(actor: UserRef, action: PermissionAction, ticket: Ticket): Promise<boolean>;
  llm?: LlmChat;
  logger: Logger;
  now: () => Date;
}

/**
 * Hand-off summaries: what was asked, what was tried, what is pending, for the
 * person who now has the ticket. Sent by DM through the outbox when a ticket is
 * assigned to someone by someone else (a reassignment) and when it is
 * escalated to a person (the job names the ticket: the summary is written when
 * it is sent, so it is durable and never stale); `/ticket summary` gives it on
 * demand. Written by the LLM when one is configured, else extracted from the
 * conversation. Internal notes are in it only for people the permission matrix
 * lets see summaries (agents of the ticket's team, managers, admins); anyone
 * else (an escalation contact who is not an agent) gets the requester-facing
 * facts, which never carry a note.
 */
export class HandoffSummaries {
  private readonly summarizer: TicketSummarizer;
  private readonly log: Logger;

  constructor(private readonly deps: HandoffSummariesDeps) {
    this.log = deps.logger.child({ component: 'summaries' });
    this.summarizer = deps.llm ? new LlmSummarizer({ llm: deps.llm, logger: this.log }) : new ExtractiveSummarizer();
  }

  /** The summary of `ticket` for `audience`, now. */
  summarize(ticket: Ticket, audience: SummaryAudience): Promise<TicketSummary> {
    const locale = ticketLocale(ticket, this.deps.desk.locale);
    const facts = summaryFacts(ticket, {
      audience,
      now: this.deps.now(),
      locale,
      statusLabel: t(locale, `status.${ticket.status}`),
      team: teamById(this.deps.desk, ticket.team).name,
      sla: this.deps.sla,
    });
    return this.summarizer.summarize(facts);
  }

  /** The summary `viewer` may read: agent-facing when the matrix lets them see summaries, else requester-facing. */
  async messageFor(ticket: Ticket, viewer: UserRef): Promise<OutboundMessage> {
    const audience: SummaryAudience = (await this.deps.allows(viewer, 'summary', ticket)) ? 'agent' : 'requester';
    const summary = await this.summarize(ticket, audience);
    this.log.info({ ticket: ticket.key, viewer: userKey(viewer), audience, by: summary.by }, 'hand-off summary written');
    return { text: summary.text };
  }

  /**
   * Who becomes the ticket's owner through this change, when someone else made them so
   * (assigned by another person; take-over and claim are done to oneself: no DM).
   */
  newOwner(before: Ticket, after: Ticket, action: TicketAction, actor: UserRef): UserRef | undefined {
    if (action.kind !== 'assign' || !after.assignee || sameUser(before.assignee, after.assignee)) return undefined;
    return sameUser(after.assignee, actor) ? undefined : after.assignee;
  }

  /** Queues the hand-off summary DM to `person` (one outbox entry; written when it is sent). Never throws: a failure is logged. */
  async send(ticket: Ticket, person: UserRef): Promise<void> {
    try {
      await this.deps.notifier.queueSummary(person, ticket, () => this.messageFor(ticket, person));
    } catch (err) {
      this.log.error({ err, ticket: ticket.key, to: userKey(person) }, 'the hand-off summary could not be queued');
    }
  }
}
