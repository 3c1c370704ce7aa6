import type { Chatdesk } from '../../src/app';
import type { Platform, Ticket, UserRef } from '../../src/domain/ticket/ticket';
import type { CsatButton } from '../../src/core/csat';
import type { TicketTextFormId } from '../../src/core/forms/ticket-text-forms';

/** The forms of one text area on a ticket: the card's Note, and "Add a comment" under the requester's rating. */
export type TextForm = TicketTextFormId;
/** The id of each form's text area, as every platform sends it back. */
export const TEXT_FORM_FIELD: Record<TextForm, string> = { note: 'note', csat_comment: 'comment' };

/** The card buttons every platform renders, by neutral action id. */
export type CardButton = 'claim' | 'resolve' | 'escalate' | 'reopen' | 'wait' | 'note' | 'close';

/** One message the bot posted in the agent channel, as it looks now (after any in-place updates). */
export interface SeenCard {
  /** Platform message id: the same id before and after an update in place. */
  messageId: string;
  /** All human-visible text of the card, flattened (title, facts, status, footer). */
  text: string;
  /** Neutral ids of the buttons it shows now; `assign` when it shows a people picker. */
  actions: Array<CardButton | 'assign'>;
}

/** A card the bot sent one person privately (a DM), as it looks now. */
export interface PrivateCard {
  messageId: string;
  /** All human-visible text of the card, flattened. */
  text: string;
  /** Neutral ids of its callback buttons (`acknowledge`, `take_over`, …). */
  actions: string[];
  /** Its link buttons, as the platform opens them. */
  links: Array<{ label: string; url: string }>;
}

/** Values of the ticket form, as a person would fill them in. */
export interface FormValues {
  type: string;
  title: string;
  description?: string;
  fields?: Record<string, string>;
}

/**
 * Drives one messenger's real SDK integration through its local emulator, the
 * way people on that platform would. The contract suite runs the same
 * scenarios, with the same expectations, against every driver.
 *
 * Every method that sends an inbound request resolves once the platform's
 * acknowledgement came back (the work behind it may still be running: the
 * suite waits with `eventually`).
 */
export interface ContractDriver {
  readonly platform: Platform;
  /** An employee, and two agents who are members of the agent channel. `name` is what the platform reports as display name. */
  readonly requester: UserRef;
  readonly agent: UserRef;
  readonly otherAgent: UserRef;
  /** The team lead: `start()` makes them a desk-wide manager and the first contact of the desk's SLA escalation chain. */
  readonly lead: UserRef;
  /**
   * A member of the agent channel the desk file does not name as an agent (a
   * requester only). `agent` is named in person; `otherAgent` through a platform
   * group where the platform has them (Slack user group, Discord role), else in person.
   */
  readonly stranger: UserRef;

  /** Starts the emulator and a chatdesk with only this messenger on (own database label), agent channel configured. */
  start(): Promise<Chatdesk>;
  stop(): Promise<void>;

  /** The platform's natural quick command with text (Slack `/ticket text`, Discord `/ticket` with a text option, Teams/Feishu a text command). */
  command(user: UserRef, text: string): Promise<void>;
  /** Opens the ticket form the platform's way, fills it and submits. Returns the field errors the user sees (field id -> message), {} when accepted. */
  submitForm(user: UserRef, values: FormValues): Promise<Record<string, string>>;
  /** Clicks a button on the ticket's card in the agent channel. */
  click(user: UserRef, ticket: Ticket, button: CardButton): Promise<void>;
  /**
   * How many forms of this kind the platform opened for this person on this ticket so far (Note pressed on
   * the card, "Add a comment" pressed under their rating: a Slack modal, a Teams dialog, a Discord modal, a
   * Feishu form card, the playground's form), as the emulator recorded them.
   */
  textForms(user: UserRef, ticket: Ticket, form: TextForm): Promise<number>;
  /**
   * Types `text` into the form of this kind the platform opened for this person on `ticket` and submits it.
   * Without one open (their press was refused), sends the submission a crafted client could send all the same.
   * Resolves with the error the form shows in place when it stays open with one (where the platform can), else undefined.
   */
  submitTextForm(user: UserRef, ticket: Ticket, form: TextForm, text: string): Promise<string | undefined>;
  /** Picks `assignee` in the card's people picker (or the platform's nearest equivalent). */
  assign(user: UserRef, ticket: Ticket, assignee: UserRef): Promise<void>;
  /**
   * The requester writes `text` (not a command) in their ticket's DM thread, the
   * platform's way: a reply under the confirmation `ticket.requesterThread` where
   * the platform has threads. Absent where the platform cannot deliver messages
   * to the bot (Discord over HTTP interactions only).
   */
  replyInThread?(user: UserRef, ticket: Ticket, text: string): Promise<void>;
  /** The person writes `text` to the bot in their DM, not in any ticket's thread. Absent where the bot receives no messages (Discord over HTTP interactions). */
  directMessage?(user: UserRef, text: string): Promise<void>;

  /**
   * `author` writes `text` in a public channel (not the agent channel); `'bot'` is a message the bot
   * itself posted there. Returns the message's id. Absent where chatdesk cannot turn messages into tickets.
   */
  channelMessage?(author: UserRef | 'bot', text: string): Promise<string>;
  /**
   * `clicker` turns the channel message `messageId` into a ticket the platform's way (Slack message
   * shortcut, Teams message action, Discord context-menu command, Feishu message action) and submits
   * the form as it opened. Returns what the form was prefilled with, or undefined when no form opened.
   */
  messageAction?(clicker: UserRef, messageId: string): Promise<{ title: string; description: string } | undefined>;
  /** `user` reacts to the channel message `messageId` with `emoji` (default: the desk's ticket emoji). Absent where the bot hears no reactions. */
  react?(user: UserRef, messageId: string, emoji?: string): Promise<void>;
  /** What the bot posted in the thread of (or in reply to) the channel message `messageId`, oldest first. */
  messageThread?(messageId: string): Promise<string[]>;
  /** The link to the channel message `messageId`, as the platform forms it. */
  messageLink?(messageId: string): Promise<string | undefined>;
  /** `user` writes `text` in the thread of the ticket's card in the agent channel, the platform's way. Absent where the bot cannot hear it. */
  replyInCardThread?(user: UserRef, ticket: Ticket, text: string): Promise<void>;

  /** Messages in the agent channel about this ticket (matched by key), as they look now. */
  cards(ticket: Ticket): Promise<SeenCard[]>;
  /** Texts the bot posted under the ticket's card (its thread in the agent channel), oldest first. */
  cardThread(ticket: Ticket): Promise<string[]>;
  /** Texts the bot sent that only this user sees (DM, DM thread, ephemeral, invoke reply), oldest first. */
  privateTexts(user: UserRef): Promise<string[]>;
  /** Cards the bot sent this user privately, oldest first, with their buttons and link buttons as the platform recorded them. */
  privateCards(user: UserRef): Promise<PrivateCard[]>;
  /** The link that opens the ticket's card in the agent channel, as this platform forms it (from the emulator's own data). */
  expectedCardLink(ticket: Ticket): Promise<string>;
  /** Clicks a callback button on a card the bot sent this user privately (`messageId` from privateCards). */
  clickPrivate(user: UserRef, messageId: string, button: 'acknowledge' | 'take_over' | 'open_from_message' | CsatButton | 'csat_comment'): Promise<void>;
  /**
   * Clicks a link button the way the platform reports it to the bot, where it does
   * (Slack sends a block_actions even for a URL button). Absent where the click never reaches the bot.
   */
  followLink?(user: UserRef, messageId: string, label: string): Promise<void>;

  /**
   * Sends a ticket-creating request whose authentication is broken the given way
   * (no signature/token; body changed after signing; timestamp or token older than
   * the platform allows; signed with another key). Returns the HTTP status chatdesk answered.
   * Absent where inbound requests are not signed (the localhost playground: no auth by design).
   */
  forged?(kind: 'unsigned' | 'tampered' | 'stale' | 'wrong-key', user: UserRef, text: string): Promise<number>;
  /**
   * Sends a correctly signed ticket-creating request as it would come from
   * another workspace / tenant / server the app is installed in. Returns the
   * HTTP status chatdesk answered, or undefined where the platform delivers it
   * with no response to read (the Discord Gateway). Absent without workspaces (the playground).
   */
  fromOtherWorkspace?(user: UserRef, text: string): Promise<number | undefined>;
  /** How many API calls chatdesk has made to the platform so far (posts, updates, look-ups). */
  outboundCalls?(): number;
  /** Delivers one ticket-creating request twice, exactly as the platform retries or replays it. */
  deliverTwice(user: UserRef, text: string): Promise<void>;
  /** The platform's next message post (card or DM) answers 429 with Retry-After: 1. */
  throttleNextPost(): void;
  /** DMs to this user fail the way the platform fails them (Discord 50007, Teams app not installed, …). Undefined where a DM cannot fail. */
  blockDirectMessages?(user: UserRef): void;
  /** Outbound payloads that broke the platform's official schema or limits (should stay empty). */
  schemaViolations(): string[];
}
