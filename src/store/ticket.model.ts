import { type Connection, type Model, Schema } from 'mongoose';
import { TICKET_STATUSES } from '../domain/ticket/ticket';
import { registerSlaModels, type SlaModels } from './sla.model';

/**
 * The tickets collection. Stays inside the MongoDB subset FerretDB 1.24
 * supports: plain single/compound/unique indexes, no TTL/partial/text indexes,
 * no nested arrays, no transactions.
 */
const userRef = new Schema({ platform: String, id: String, name: String }, { _id: false });
const messageRef = new Schema({ platform: String, channelId: String, messageId: String, threadId: String }, { _id: false });
const activity = new Schema({ at: Date, action: String, actor: userRef, from: String, to: String, note: String }, { _id: false });

export interface TicketRecord {
  _id: string;
  number: number;
  key: string;
  title: string;
  description: string;
  type: string;
  fields: Record<string, string | number>;
  requester: { platform: string; id: string; name?: string };
  team: string;
  category: string;
  categoryConfidence: number;
  priority: string;
  priorityConfidence: number;
  classificationReason: string;
  status: string;
  assignee?: { platform: string; id: string; name?: string } | null;
  escalationLevel: number;
  tags: string[];
  requesterThread?: { platform: string; channelId: string; messageId: string; threadId?: string } | null;
  agentCards: Array<{ platform: string; channelId: string; messageId: string; threadId?: string }>;
  createdAt: Date;
  updatedAt: Date;
  /** The second of `updatedAt`: other processes follow changes by equality on it (see second-slots.ts). */
  updatedSec?: number;
  /** The list's buckets (ticket-buckets.ts): number / 100, and the hour of `updatedAt`. */
  numberBlock?: number;
  updatedHour?: number;
  /** UTC day numbers of creation and resolution, and the search words (see search-words.ts): the console reads them by equality. */
  createdDay?: number;
  createdMonth?: number;
  resolvedDay?: number | null;
  words?: string[];
  /** `platform:id` of the requester and the assignee: top-level, so an equality on them reaches PostgreSQL's index (a dotted one does not). */
  requesterKey?: string;
  assigneeKey?: string | null;
  firstResponseAt?: Date | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  activity: Array<{ at: Date; action: string; actor: { platform: string; id: string; name?: string }; from?: string; to?: string; note?: string }>;
  sla?: Record<string, unknown> | null;
  slaNextAt?: Date | null;
  /**
   * The second (epoch s) the SLA worker reads this ticket in: its `slaNextAt`, or the second
   * it was written when that had passed. The worker reads the coming seconds by equality
   * on it, which FerretDB hands to PostgreSQL as an index lookup (a range it would not).
   */
  slaSlot?: number | null;
  /**
   * True while the ticket has an SLA wake-up (`slaNextAt`), else null: the worker's full read of
   * every due wake-up looks up `{slaLive: true}` by equality, so it reads the live timers and not the
   * desk's history (a range on `slaSlot` decoded all 100,000 tickets of a two-year desk, about 40 s
   * of FerretDB's CPU every 5 minutes).
   */
  slaLive?: true | null;
  /** Keys of the SLA reminders and escalations sent (written by the SLA worker with their activity entries; never by a save). */
  slaSent?: string[];
  watchers?: Array<{ platform: string; id: string; name?: string }>;
  assist?: Record<string, unknown> | null;
  /** The inbound request's id (`direct:<_id>` when there was none); unique. Null only in data stored before it was (backfilled at start). */
  intakeId?: string | null;
  /**
   * `platform:messageId` of each agent card (written with agentCards by saveDelivery): an agent's
   * reply in a card's thread finds its ticket by equality on it (FerretDB sends `@>`, served by the GIN twin).
   */
  cardKeys?: string[];
  version: number;
}

const ticketSchema = new Schema<TicketRecord>(
  {
    _id: { type: String, required: true },
    number: { type: Number, required: true, unique: true },
    key: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    type: { type: String, required: true },
    fields: { type: Schema.Types.Mixed, default: {} },
    requester: { type: userRef, required: true },
    team: { type: String, required: true },
    category: { type: String, required: true },
    categoryConfidence: Number,
    priority: { type: String, required: true },
    priorityConfidence: Number,
    classificationReason: String,
    status: { type: String, enum: TICKET_STATUSES, required: true },
    assignee: { type: userRef, default: null },
    escalationLevel: { type: Number, default: 0 },
    tags: { type: [String], default: [] },
    requesterThread: { type: messageRef, default: null },
    agentCards: { type: [messageRef], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    updatedSec: Number,
    numberBlock: Number,
    updatedHour: Number,
    createdDay: Number,
    createdMonth: Number,
    resolvedDay: { type: Number, default: null },
    words: { type: [String], default: undefined },
    requesterKey: String,
    assigneeKey: { type: String, default: null },
    firstResponseAt: { type: Date, default: null },
    resolvedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    activity: { type: [activity], default: [] },
    sla: { type: Schema.Types.Mixed, default: null },
    slaNextAt: { type: Date, default: null },
    slaSlot: { type: Number, default: null },
    slaLive: { type: Boolean, default: null },
    slaSent: { type: [String], default: undefined },
    watchers: { type: [userRef], default: [] },
    assist: { type: Schema.Types.Mixed, default: null },
    intakeId: { type: String, required: true },
    cardKeys: { type: [String], default: undefined },
    version: { type: Number, required: true },
  },
  { collection: 'tickets', versionKey: false, minimize: false },
);
ticketSchema.index({ team: 1, status: 1 });
ticketSchema.index({ 'requester.platform': 1, 'requester.id': 1 });
ticketSchema.index({ slaSlot: 1 });
ticketSchema.index({ slaLive: 1 });
ticketSchema.index({ updatedAt: 1 });
// Other processes' changes, for the similarity indexes each process keeps (see src/core/assist/index-follower.ts).
ticketSchema.index({ updatedSec: 1 });
// The REST API's list reads buckets by equality (ticket-buckets.ts), and its selective filters alone.
ticketSchema.index({ numberBlock: 1 });
ticketSchema.index({ updatedHour: 1 });
ticketSchema.index({ status: 1 });
ticketSchema.index({ requesterKey: 1 });
ticketSchema.index({ assigneeKey: 1 });
ticketSchema.index({ category: 1 });
ticketSchema.index({ tags: 1 });
// The console: a day of tickets created or resolved (queue history, reports), and the search words.
ticketSchema.index({ createdDay: 1 });
ticketSchema.index({ resolvedDay: 1 });
ticketSchema.index({ words: 1 });
ticketSchema.index({ createdMonth: 1 });
// One ticket per inbound request (an API request's Idempotency-Key is in its id): a retry or a second worker cannot store another.
// Tickets opened with no inbound request get `direct:<_id>`.
ticketSchema.index({ intakeId: 1 }, { unique: true });
ticketSchema.index({ cardKeys: 1 });

const counterSchema = new Schema<{ _id: string; seq: number }>({ _id: String, seq: Number }, { collection: 'counters', versionKey: false });

/** One row per SLA reminder/escalation key: claimed before sending, confirmed after. Its unique _id makes each send happen once. */
export interface SlaNotificationRecord {
  _id: string;
  ticketId: string;
  state: 'sending' | 'sent';
  at: Date;
  /** The claiming worker (see `sla_workers`): once it stops beating, its claims are taken over without waiting for the lease. */
  owner?: string;
  /** On a `${key}#sent` row: the audit entry, for the ticket if its sender died before writing it there. */
  entry?: { at: Date; action: string; actor: { platform: string; id: string; name?: string }; to?: string; note?: string };
}
const slaNotificationSchema = new Schema<SlaNotificationRecord>(
  { _id: String, ticketId: String, state: String, at: Date, owner: String, entry: { type: Schema.Types.Mixed } },
  { collection: 'sla_notifications', versionKey: false },
);
slaNotificationSchema.index({ ticketId: 1 });

export interface StoreModels extends SlaModels {
  Ticket: Model<TicketRecord>;
  Counter: Model<{ _id: string; seq: number }>;
  SlaNotification: Model<SlaNotificationRecord>;
}

export function registerModels(conn: Connection): StoreModels {
  return {
    Ticket: conn.model<TicketRecord>('Ticket', ticketSchema),
    Counter: conn.model('Counter', counterSchema),
    SlaNotification: conn.model<SlaNotificationRecord>('SlaNotification', slaNotificationSchema),
    ...registerSlaModels(conn),
  };
}
