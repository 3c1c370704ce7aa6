/** The shapes the HelpDesk core takes and answers with (re-exported by help-desk.ts). */
import type { PeerProcesses } from './peer-processes.port';
import type { TicketClassifier } from '../ai/classifier.port';
import type { KnowledgeStore } from '../ai/knowledge/knowledge-store.port';
import type { LlmChat } from '../ai/llm/chat.port';
import type { DeskConfig } from '../config/desk-config.schema';
import type { SlaConfig } from '../domain/sla/policy';
import type { Ticket } from '../domain/ticket/ticket';
import type { DraftErrors } from '../domain/ticket/ticket-draft';
import type { TicketRepository } from '../domain/ticket/ticket.repository.port';
import type { Logger } from '../logger';
import type { CategoryLearner } from './agent-commands';
import type { OutboundMessage } from './cards/card';
import type { Form } from './forms/ticket-form';
import type { AdapterRegistry } from './chat-adapter.port';
import type { KeyedMutex } from './keyed-mutex';
import type { TeamAssignment } from './team-assignment.port';

export interface HelpDeskDeps {
  desk: DeskConfig;
  tickets: TicketRepository;
  classifier: TicketClassifier;
  adapters: AdapterRegistry;
  logger: Logger;
  /** Validated SLA policies (src/config/sla-config.ts). */
  sla: SlaConfig;
  /** Shared with the SLA worker so both change a ticket one at a time. */
  locks?: KeyedMutex;
  now?: () => Date;
  /** Knowledge entries (resolved tickets become answers). */
  knowledge: KnowledgeStore;
  /** An OpenAI-compatible chat model for reply drafts (without one, drafts quote the knowledge base). */
  llm?: LlmChat;
  /** The live offline model, which learns from recategorisations. */
  learner?: CategoryLearner;
  /** Where auto-assignment is decided once across processes (default: in this process only). */
  assignment?: TeamAssignment;
  /** The other processes on the database: while there are none, other processes' changes are not looked for (default: always looked for). */
  peers?: PeerProcesses;
}

/** What the person who clicked a card button sees, privately (besides the card updating in place). */
export interface CardActionResult {
  ticket: Ticket;
  reply?: OutboundMessage;
  /** What the clicked message itself now shows, when it is not the ticket card (a draft, an offer); the core already updated it where it could. */
  clicked?: OutboundMessage;
  /** A form the clicker is to fill in (the Note button's); `reply` says the same in words. */
  form?: Form;
}

export type OpenTicketResult = { ok: true; ticket: Ticket } | { ok: false; errors: DraftErrors };

/** The inbound request a ticket is opened for (see HelpDesk.openTicket). */
export interface TicketSlot {
  /** The request's delivery id, kept on the ticket (unique: one ticket per request). */
  id: string;
  /** No earlier attempt can have stored a ticket for it (first attempt of a request this process just stored): no look-up first. */
  fresh: boolean;
  /**
   * Work that still belongs to the request once it is answered (the assistant's
   * offers and draft): the request stays in the inbox until it ends, so if this
   * process dies meanwhile another one resumes it.
   */
  followUp?(work: Promise<void>): void;
}
