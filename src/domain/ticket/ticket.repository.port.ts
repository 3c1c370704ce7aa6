import type { ActivityEntry, MessageRef, Platform, ReplyDraftRecord, Ticket, TicketAssist, TicketStatus } from './ticket';

export type NewTicket = Omit<Ticket, 'id'>;

/** A ticket as the duplicate index follows it. */
export type TicketChange = Pick<Ticket, 'id' | 'key' | 'title' | 'description' | 'status' | 'updatedAt'>;

/** A change to a ticket's assistant record (see TicketRepository.updateAssist). */
export interface AssistChange {
  set?: Partial<TicketAssist>;
  unset?: Array<keyof TicketAssist>;
  pushDraft?: ReplyDraftRecord;
}

/** The assistant record `assist` with `change` applied (what updateAssist leaves stored). */
export function withAssistChange(assist: TicketAssist | undefined, change: AssistChange): TicketAssist {
  const next: TicketAssist = { ...assist, ...change.set };
  for (const k of change.unset ?? []) delete next[k];
  if (change.pushDraft) next.drafts = [...(assist?.drafts ?? []), change.pushDraft];
  return next;
}

export interface TicketQuery {
  status?: TicketStatus[];
  team?: string;
  /** Raised by this person. */
  requester?: { platform: string; id: string };
  /** Any of these teams. */
  teams?: string[];
  /** Assigned to this person. */
  assignee?: { platform: string; id: string };
  /** Words in the key, title or description (case-insensitive, as typed). */
  text?: string;
  createdFrom?: Date;
  resolvedFrom?: Date;
  /** Tickets with an audit entry addressed to this `platform:id` (e.g. an escalation DM). */
  notified?: string;
  /** Tickets resolved at or before this time (the auto-close sweep). */
  resolvedBefore?: Date;
  limit?: number;
}

/** Persistence of tickets. Implemented in src/store; the domain never sees database records. */
export interface TicketRepository {
  /** The next ticket number, unique across processes sharing the database. */
  nextNumber(firstNumber: number): Promise<number>;
  insert(ticket: NewTicket): Promise<Ticket>;
  findById(id: string): Promise<Ticket | null>;
  findByKey(key: string): Promise<Ticket | null>;
  /** The ticket opened for this inbound request (at most one: the id is unique among tickets). */
  findByIntakeId(intakeId: string): Promise<Ticket | null>;
  /**
   * Writes `next` only if the stored ticket is still at `next.version - 1`.
   * Throws ChatdeskError('chatdesk_ticket_conflict') when another writer got there first.
   * The ticket's `slaNextAt` is its SLA wake-up: the save writes nothing else for the SLA.
   */
  save(next: Ticket): Promise<void>;
  /**
   * Where the ticket's messages are (its agent cards, the requester's thread):
   * one narrow write, no new version. `save` never writes these, so a change
   * saved from an older copy cannot drop a card reference.
   */
  saveDelivery(id: string, delivery: { agentCards: MessageRef[]; requesterThread?: MessageRef }): Promise<void>;
  /**
   * Changes the assistant's record on the ticket (`assist`: offers, drafts,
   * knowledge) field by field: one narrow write, no new version, and `save`
   * never writes it. `set` replaces those fields, `unset` removes them,
   * `pushDraft` appends a reply draft.
   */
  updateAssist(id: string, change: AssistChange): Promise<void>;
  /**
   * The same change with an audit entry for it, in one write that makes
   * version `ticket.version + 1` (the entry joins the history, the rest of
   * the ticket stays as stored). False, and nothing written, when the ticket
   * is no longer at `ticket.version`: the caller then writes the two apart.
   */
  updateAssistAudited(ticket: Ticket, change: AssistChange, entry: ActivityEntry): Promise<boolean>;
  /** The ticket whose agent card on `platform` is the message `messageId` (the root of the card's thread). */
  findByCard(platform: Platform, messageId: string): Promise<Ticket | null>;
  list(query: TicketQuery): Promise<Ticket[]>;
  /** Open tickets assigned to each of these people (in any of `statuses`), keyed `platform:id`; missing = 0. */
  openLoad(people: ReadonlyArray<{ platform: string; id: string }>, statuses: readonly TicketStatus[]): Promise<Map<string, number>>;
  /** What the similarity index needs of tickets changed at or after `since` (by any process), oldest change first. */
  changedSince(since: Date, limit: number): Promise<TicketChange[]>;
}
