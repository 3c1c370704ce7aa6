/**
 * What a hand-off summary is made of, read from the ticket alone: what was
 * asked (title, description, fields, the requester's later messages), what was
 * tried (agents' replies; for agents also internal notes and resolution
 * notes), the audit trail of who had it (claims, reassignments, escalations,
 * status changes), and what is pending. Pure and deterministic: takes `now`.
 *
 * `audience: 'requester'` is the requester-facing view: built from a whitelist
 * of public entries, and the only texts it carries are the requester's own
 * messages and the agents' replies to them, so an internal note (or a
 * resolution note with internal lines) can never be in it.
 */
import type { SlaConfig } from '../../domain/sla/policy';
import { ticketSlaStatus } from '../../domain/sla/ticket-sla';
import type { ActivityEntry, Ticket, TicketStatus, UserRef } from '../../domain/ticket/ticket';
import { oneLine } from '../llm/sanitize';

export type SummaryAudience = 'agent' | 'requester';
export type SummaryLocale = 'en' | 'zh';

/** A message or note, one line, capped. */
export interface SummaryItem {
  at: Date;
  who: string;
  text: string;
  kind: 'requester' | 'reply' | 'note' | 'resolution';
}

/** One step of the audit trail: who had the ticket and what happened to it. */
export interface TrailStep {
  at: Date;
  kind: 'claimed' | 'took_over' | 'assigned' | 'escalated' | 'waiting' | 'reopened' | 'resolved' | 'closed';
  by: string;
  /** assigned: the new owner; escalated: the new priority (or the person asked to step in, agents only). */
  to?: string;
}

export type PendingFact =
  | { kind: 'closed' }
  | { kind: 'resolved' }
  | { kind: 'waiting_on_requester' }
  /** The requester wrote after the last agent reply: `text` is their last message. */
  | { kind: 'unanswered'; text: string }
  /** No agent has replied to the requester yet. */
  | { kind: 'no_reply' }
  | { kind: 'unassigned' }
  /** Open, and nothing above: the next step is the owner's. */
  | { kind: 'with_owner' }
  | { kind: 'escalated'; level: number; acknowledged: boolean }
  | { kind: 'sla_breached'; target: 'first_response' | 'resolution'; label: string };

export interface SummaryFacts {
  audience: SummaryAudience;
  locale: SummaryLocale;
  /** When the summary is made (every "ago" counts from it). */
  now: Date;
  key: string;
  title: string;
  description: string;
  fields: Array<{ name: string; value: string }>;
  status: TicketStatus;
  /** The status as people read it ("In progress", "处理中"). */
  statusLabel: string;
  priority: string;
  team: string;
  requester: string;
  assignee?: string;
  /** The requester's messages after the ticket was opened, oldest first (the newest few). */
  asked: SummaryItem[];
  /** Agents' replies (and, for agents, notes and resolution notes), oldest first (the newest few). */
  tried: SummaryItem[];
  trail: TrailStep[];
  /** Everyone who owned it, in order (the current assignee last). */
  owners: string[];
  openForMs: number;
  /** The SLA targets still running or breached, with their labels. */
  sla: Array<{ target: 'first_response' | 'resolution'; phase: string; label: string }>;
  pending: PendingFact[];
}

export interface SummaryFactsOptions {
  audience: SummaryAudience;
  now: Date;
  locale: SummaryLocale;
  /** The team's display name. */
  team: string;
  /** The status in the summary's language (default: its id, spaced). */
  statusLabel?: string;
  sla?: SlaConfig;
}

/** Characters of one message or note in a summary. */
export const ITEM_CHARS = 160;
export const DESCRIPTION_CHARS = 400;
const MAX_ASKED = 3;
const MAX_TRIED = 4;
const MAX_TRAIL = 6;

const nameOf = (u: { name?: string; id: string }): string => u.name ?? u.id;

function isPerson(entry: ActivityEntry): entry is ActivityEntry & { actor: UserRef } {
  return entry.actor.platform !== 'system';
}

function actorName(entry: ActivityEntry): string {
  return isPerson(entry) ? nameOf(entry.actor) : 'chatdesk';
}

/** The name of the person with this platform id, from the ticket's assignee and the people in its activity. */
function personNamed(ticket: Ticket, id: string): string {
  if (ticket.assignee?.id === id) return nameOf(ticket.assignee);
  const seen = ticket.activity.find((a) => a.actor.id === id && a.actor.platform !== 'system');
  return seen ? actorName(seen) : id;
}

const TRAIL: Partial<Record<ActivityEntry['action'], TrailStep['kind']>> = {
  claimed: 'claimed',
  assigned: 'assigned',
  escalated: 'escalated',
  waiting_on_requester: 'waiting',
  reopened: 'reopened',
  resolved: 'resolved',
  deflected: 'resolved',
  closed: 'closed',
  auto_closed: 'closed',
  duplicate_linked: 'closed',
};

function trailStep(ticket: Ticket, entry: ActivityEntry, audience: SummaryAudience): TrailStep | undefined {
  if (entry.action === 'escalation_notified' && audience === 'agent' && entry.to) {
    const id = entry.to.slice(entry.to.indexOf(':') + 1);
    return { at: entry.at, kind: 'escalated', by: actorName(entry), to: personNamed(ticket, id) };
  }
  const kind = TRAIL[entry.action];
  if (!kind) return undefined;
  if (entry.action === 'duplicate_linked' && !entry.from) return undefined;
  const step: TrailStep = { at: entry.at, kind, by: actorName(entry) };
  // Assigned to oneself (Take over): a step of its own.
  if (kind === 'assigned' && entry.to === entry.actor.id && isPerson(entry)) step.kind = 'took_over';
  else if (kind === 'assigned' && entry.to) step.to = personNamed(ticket, entry.to);
  if (kind === 'escalated' && entry.to) step.to = entry.to;
  return step;
}

function item(entry: ActivityEntry, kind: SummaryItem['kind']): SummaryItem | undefined {
  const text = oneLine(entry.note ?? '', ITEM_CHARS);
  return text === '' ? undefined : { at: entry.at, who: actorName(entry), text, kind };
}

/** Who owned it, in order: each claim or assignment's new owner, repeats folded. */
function ownersOf(trail: readonly TrailStep[], current?: string): string[] {
  const owners: string[] = [];
  for (const s of trail) {
    const who = s.kind === 'claimed' || s.kind === 'took_over' ? s.by : s.kind === 'assigned' ? s.to : undefined;
    if (who && owners.at(-1) !== who) owners.push(who);
  }
  if (current && owners.at(-1) !== current) owners.push(current);
  return owners;
}

function pendingOf(ticket: Ticket, activity: readonly ActivityEntry[], sla: SummaryFacts['sla'], audience: SummaryAudience): PendingFact[] {
  if (ticket.status === 'closed') return [{ kind: 'closed' }];
  if (ticket.status === 'resolved') return [{ kind: 'resolved' }];
  const out: PendingFact[] = [];
  if (ticket.status === 'waiting_on_requester') out.push({ kind: 'waiting_on_requester' });
  const lastReply = activity.findLastIndex((a) => a.action === 'agent_replied');
  const lastAsk = activity.findLastIndex((a) => a.action === 'requester_replied' && !!a.note?.trim());
  if (lastAsk > lastReply && ticket.status !== 'waiting_on_requester')
    out.push({ kind: 'unanswered', text: oneLine(activity[lastAsk]?.note ?? '', ITEM_CHARS) });
  else if (lastReply < 0) out.push({ kind: 'no_reply' });
  if (!ticket.assignee) out.push({ kind: 'unassigned' });
  if (ticket.escalationLevel > 0 && audience === 'agent') {
    const lastEscalation = activity.findLastIndex((a) => a.action === 'escalated');
    const acknowledged = activity.findLastIndex((a) => a.action === 'sla_acknowledged') > lastEscalation;
    out.push({ kind: 'escalated', level: ticket.escalationLevel, acknowledged });
  }
  for (const s of sla) if (s.phase === 'breached') out.push({ kind: 'sla_breached', target: s.target, label: s.label });
  return out.length > 0 ? out : [{ kind: 'with_owner' }];
}

/** The facts of `ticket` for `audience` at `now`. */
export function summaryFacts(ticket: Ticket, opts: SummaryFactsOptions): SummaryFacts {
  const { audience, locale } = opts;
  const activity = ticket.activity;
  const asked: SummaryItem[] = [];
  const tried: SummaryItem[] = [];
  const trail: TrailStep[] = [];
  for (const entry of activity) {
    if (entry.action === 'requester_replied') {
      const it = item(entry, 'requester');
      if (it) asked.push(it);
    } else if (entry.action === 'agent_replied') {
      const it = item(entry, 'reply');
      if (it) tried.push(it);
    } else if (audience === 'agent' && entry.action === 'note') {
      const it = item(entry, 'note');
      if (it) tried.push(it);
    } else if (audience === 'agent' && entry.action === 'resolved' && entry.note) {
      const it = item(entry, 'resolution');
      if (it) tried.push(it);
    }
    const step = trailStep(ticket, entry, audience);
    if (step) trail.push(step);
  }
  const status = opts.sla && audience === 'agent' ? ticketSlaStatus(ticket, opts.now, opts.sla, locale) : undefined;
  const sla: SummaryFacts['sla'] = status
    ? [status.firstResponse, status.resolution]
        .filter((s) => s.phase === 'running' || s.phase === 'breached' || s.phase === 'paused')
        .map((s) => ({ target: s.target, phase: s.phase, label: s.label }))
    : [];
  const assignee = ticket.assignee ? nameOf(ticket.assignee) : undefined;
  return {
    audience,
    locale,
    now: opts.now,
    key: ticket.key,
    title: oneLine(ticket.title, ITEM_CHARS),
    description: oneLine(ticket.description, DESCRIPTION_CHARS),
    fields: Object.entries(ticket.fields)
      .map(([name, value]) => ({ name: oneLine(name, 40), value: oneLine(String(value), 100) }))
      .filter((f) => f.value !== '')
      .slice(0, 8),
    status: ticket.status,
    statusLabel: opts.statusLabel ?? ticket.status.replace(/_/g, ' '),
    priority: ticket.priority,
    team: opts.team,
    requester: nameOf(ticket.requester),
    ...(assignee ? { assignee } : {}),
    asked: asked.slice(-MAX_ASKED),
    tried: tried.slice(-MAX_TRIED),
    trail: trail.slice(-MAX_TRAIL),
    owners: ownersOf(trail, assignee),
    openForMs: Math.max(0, (ticket.closedAt ?? opts.now).getTime() - ticket.createdAt.getTime()),
    sla,
    pending: pendingOf(ticket, activity, sla, audience),
  };
}
