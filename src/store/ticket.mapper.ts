import { hourOf, numberBlockOf, personKey } from './ticket-buckets';
import type { Priority } from '../ai/classifier.port';
import type { SlaClockState } from '../domain/sla/clock';
import type { ActivityEntry, MessageRef, Ticket, TicketAssist, TicketStatus, UserRef } from '../domain/ticket/ticket';
import { dayOf, monthOf, searchWords } from '../domain/ticket/search-words';
import { secondOf } from './second-slots';
import type { TicketRecord } from './ticket.model';

/** The `intakeId` prefix of tickets opened with no inbound request (the id is unique, so each gets its own). */
export const DIRECT_INTAKE = 'direct:';

/** See TicketRecord.slaSlot: `notBefore` is the writer's now. */
export const slaSlotOf = (at: Date | undefined, notBefore: Date): number | null => (at ? Math.floor(Math.max(at.getTime(), notBefore.getTime()) / 1000) : null);

const orUndefined = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

function userRef(r: { platform: string; id: string; name?: string } | null | undefined): UserRef | undefined {
  if (!r) return undefined;
  return { platform: r.platform as UserRef['platform'], id: r.id, ...(r.name ? { name: r.name } : {}) };
}

function messageRef(r: TicketRecord['requesterThread']): MessageRef | undefined {
  if (!r) return undefined;
  return { platform: r.platform as MessageRef['platform'], channelId: r.channelId, messageId: r.messageId, ...(r.threadId ? { threadId: r.threadId } : {}) };
}

/** Database record -> domain ticket. Mongoose documents never leave src/store. */
export function toTicket(r: TicketRecord): Ticket {
  return {
    id: r._id,
    number: r.number,
    key: r.key,
    title: r.title,
    description: r.description ?? '',
    type: r.type,
    fields: { ...(r.fields ?? {}) },
    requester: userRef(r.requester) as UserRef,
    team: r.team,
    category: r.category,
    categoryConfidence: r.categoryConfidence ?? 0,
    priority: r.priority as Priority,
    priorityConfidence: r.priorityConfidence ?? 0,
    classificationReason: r.classificationReason ?? '',
    status: r.status as TicketStatus,
    assignee: userRef(r.assignee),
    escalationLevel: r.escalationLevel ?? 0,
    tags: [...(r.tags ?? [])],
    requesterThread: messageRef(r.requesterThread),
    agentCards: (r.agentCards ?? []).map((c) => messageRef(c) as MessageRef),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    firstResponseAt: orUndefined(r.firstResponseAt),
    resolvedAt: orUndefined(r.resolvedAt),
    closedAt: orUndefined(r.closedAt),
    activity: (r.activity ?? []).map((a) => ({ ...a, actor: userRef(a.actor) ?? { platform: 'system', id: 'chatdesk' } }) as ActivityEntry),
    sla: r.sla ? (r.sla as unknown as SlaClockState) : undefined,
    slaNextAt: orUndefined(r.slaNextAt),
    ...(r.watchers?.length ? { watchers: r.watchers.map((w) => userRef(w) as UserRef) } : {}),
    ...(r.assist && Object.keys(r.assist).length > 0 ? { assist: r.assist as unknown as TicketAssist } : {}),
    ...(r.intakeId && !r.intakeId.startsWith(DIRECT_INTAKE) ? { intakeId: r.intakeId } : {}),
    version: r.version,
  };
}

/** Domain ticket -> record fields (without _id). Absent optionals are stored as null so $set clears them. */
export function toRecord(t: Omit<Ticket, 'id'>): Omit<TicketRecord, '_id'> {
  return {
    number: t.number,
    key: t.key,
    title: t.title,
    description: t.description,
    type: t.type,
    fields: t.fields,
    requester: t.requester,
    team: t.team,
    category: t.category,
    categoryConfidence: t.categoryConfidence,
    priority: t.priority,
    priorityConfidence: t.priorityConfidence,
    classificationReason: t.classificationReason,
    status: t.status,
    assignee: t.assignee ?? null,
    escalationLevel: t.escalationLevel,
    tags: t.tags,
    requesterThread: t.requesterThread ?? null,
    agentCards: t.agentCards,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    updatedSec: secondOf(t.updatedAt),
    numberBlock: numberBlockOf(t.number),
    updatedHour: hourOf(t.updatedAt),
    requesterKey: personKey(t.requester)!,
    assigneeKey: personKey(t.assignee),
    createdDay: dayOf(t.createdAt),
    createdMonth: monthOf(t.createdAt),
    resolvedDay: t.resolvedAt ? dayOf(t.resolvedAt) : null,
    words: searchWords(`${t.key} ${t.title} ${t.description} ${t.tags.join(' ')}`),
    firstResponseAt: t.firstResponseAt ?? null,
    resolvedAt: t.resolvedAt ?? null,
    closedAt: t.closedAt ?? null,
    activity: t.activity.map((a) => ({ ...a, actor: { ...a.actor } })),
    sla: t.sla ? (JSON.parse(JSON.stringify(t.sla)) as Record<string, unknown>) : null,
    slaNextAt: t.slaNextAt ?? null,
    slaSlot: slaSlotOf(t.slaNextAt, t.updatedAt),
    slaLive: t.slaNextAt ? true : null,
    watchers: t.watchers ?? [],
    // Mixed: a plain JSON copy (dates inside are not needed as dates).
    // An object from the start, so the assistant's field-by-field writes (updateAssist) need no read first.
    assist: t.assist ? (JSON.parse(JSON.stringify(t.assist)) as Record<string, unknown>) : {},
    intakeId: t.intakeId ?? null,
    version: t.version,
  };
}

/** The whole record of a new ticket stored under `id` (its own `direct:` intake id when no inbound request opened it). */
export function toNewRecord(id: string, t: Omit<Ticket, 'id'>): TicketRecord {
  return { _id: id, ...toRecord(t), intakeId: t.intakeId ?? `${DIRECT_INTAKE}${id}` };
}
