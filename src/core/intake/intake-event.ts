import type { ActorPlatform, UserRef } from '../../domain/ticket/ticket';
import type { RawTicketDraft } from '../../domain/ticket/ticket-draft';
import type { OutboundMessage } from '../cards/card';
import type { Form } from '../forms/ticket-form';
import type { Locale } from '../i18n';

/**
 * What a person asked for, in the core's words, whatever the messenger. Adapters
 * verify and parse the platform's request into one of these; the core persists
 * it before the platform is acknowledged, then does the work.
 */
export type IntakeRequest =
  /** `/ticket <text>` with text: a quick ticket or a sub-command (help, escalations, reply, category, kb). */
  | { kind: 'command'; text: string }
  /** A submitted ticket form (already checked field by field by the adapter, which shows errors in place). */
  | { kind: 'submit'; draft: RawTicketDraft /** Who submits it for the requester (an API client); the audit trail names them. */; by?: UserRef }
  /** A message to the bot that is not a command (a DM, or a reply in a ticket's thread). */
  | { kind: 'message'; text: string; threadId?: string }
  /** A card button (claim, resolve, …; assist buttons too) or the assign picker (`assignee`). */
  | { kind: 'button'; action: string; ticketId: string; assignee?: UserRef }
  /** A submitted note form (the card's Note button): the same internal note as `/ticket note`. */
  | { kind: 'note'; ticketId: string; text: string }
  /** A submitted comment form (the "Add a comment" under the requester's rating): the same comment as `/ticket comment`. */
  | { kind: 'csat_comment'; ticketId: string; text: string }
  /**
   * A chat message turned into a ticket: the form of a message shortcut / action / context-menu
   * command, submitted (`draft`), or a reaction with the desk's ticket emoji (no draft: the
   * message is read when the work starts). The message's author is the requester; the person
   * who acted (`user`) is recorded as its reporter.
   */
  | { kind: 'from_message'; via: 'shortcut' | 'reaction'; source: SourceMessage; draft?: RawTicketDraft }
  /**
   * Someone wrote in the thread of a ticket's card (`card`: the card's message id on this
   * platform). Relayed to the requester only when it starts with `>>`; anything else stays in the thread.
   */
  | { kind: 'card_reply'; text: string; card: string };

/** The message a ticket is opened from, on the event's platform (ids are the platform's own). */
export interface SourceMessage {
  channelId: string;
  messageId: string;
  /** The thread it is in, where the platform has threads (the reply goes there). */
  threadId?: string;
  /** Who wrote it and what, when the platform sent it with the request; otherwise read with ChatAdapter.readMessage. */
  author?: UserRef;
  text?: string;
  /** Its link, when the adapter has it already. */
  link?: string;
  /** Written by a bot (chatdesk's own cards and answers included). */
  fromBot?: boolean;
}

export type IntakeKind = IntakeRequest['kind'];

export interface IntakeEvent {
  /**
   * The platform's delivery id, prefixed by platform (`slack:cmd:<trigger_id>`).
   * Stored unique: a redelivery of the same request is the same event.
   */
  id: string;
  /** The messenger it came from, or `api` (the REST API, which has no replier: its client gets the outcome in the HTTP answer). */
  platform: ActorPlatform;
  user: UserRef;
  locale: Locale;
  request: IntakeRequest;
  /**
   * Where the answer goes (a response URL, an interaction token, a message to
   * reply to): the platform's own data, opaque to the core and read only by that
   * platform's replier. Must be plain JSON.
   */
  reply: Record<string, unknown>;
}

/** What became of an event, told once to the person through their platform's replier. */
export interface IntakeOutcome {
  /**
   * `created`: a ticket was opened; `answered`: a command or message was answered;
   * `refused`: the request was understood and declined (not permitted, already claimed …);
   * `failed`: chatdesk gave up after its retries (the person is told to try again).
   */
  status: 'created' | 'answered' | 'refused' | 'failed';
  /** The private answer to the person; none when there is nothing to say (e.g. a click that updated the card). */
  message?: OutboundMessage;
  /** The ticket opened or acted on, as it is after the work (status and assignee id for a button). */
  ticket?: { id: string; key: string; status?: string; assignee?: string | null };
  /** A button's message when it is not the ticket card (a draft, an offer) as it now shows; the core already updated it where the platform lets it. */
  clicked?: OutboundMessage;
  /** A message that answered none of the person's tickets (they were shown help instead). */
  unmatched?: boolean;
  /**
   * A form for the person to fill in (the Note button's, the rating's comment, once allowed): the adapter
   * opens it the platform's way; `message` says the same in words where it cannot.
   */
  form?: Form;
  /** Field errors of a submitted form that the adapter could not show in place. */
  errors?: Record<string, string>;
}

/** A platform's way of telling one person the outcome of their event (ephemeral, reply, DM …). */
export interface IntakeReplier {
  readonly platform: ActorPlatform;
  answer(event: IntakeEvent, outcome: IntakeOutcome): Promise<void>;
  /**
   * The person as the platform shows them (display name, the platform's own id
   * for a picked assignee), looked up when the work starts, not before the ack.
   */
  resolveUser?(user: UserRef, event: IntakeEvent, role: 'actor' | 'assignee'): Promise<UserRef>;
}
