import { PRIORITIES, type Priority } from '../../ai/classifier.port';
import { ChatdeskError } from '../errors';
import { acknowledgeEscalation } from '../sla/clock';
import { clockAfterChange } from '../sla/ticket-clock';
import { type ActivityEntry, sameUser, userKey, type Ticket, type TicketStatus, type UserRef } from './ticket';

export type TicketAction =
  | { kind: 'claim' }
  | { kind: 'assign'; assignee: UserRef }
  | { kind: 'resolve'; note?: string }
  | { kind: 'reopen' }
  | { kind: 'escalate'; note?: string /** Ask this person (a lead, a manager) to step in: they get the escalation DM. */; to?: UserRef }
  | { kind: 'wait_on_requester' }
  /** The requester wrote in their thread: resumes a ticket waiting on them (the clock with it). */
  | { kind: 'requester_replied'; text?: string }
  /** An agent's reply to the requester (sent from a draft or typed). */
  | { kind: 'reply'; text: string }
  /** An agent corrects the category (the offline model learns from it). */
  | { kind: 'recategorize'; category: string }
  /** An agent adds and removes tags (already normalised: see normalizeTag). */
  | { kind: 'tag'; add: string[]; remove: string[] }
  /** The requester agreed this is the same problem as ticket `of` (a key): closed and linked. */
  | { kind: 'link_duplicate'; of: string }
  /** On the original ticket: `requester` (of duplicate `from`) now follows it. */
  | { kind: 'add_watcher'; watcher: UserRef; from: string }
  /** The requester said a suggested answer solved it. */
  | { kind: 'deflect'; entryId: string }
  | { kind: 'close' }
  /** Resolved for longer than the desk allows (see autoCloseDue): closed by chatdesk itself. */
  | { kind: 'auto_close' }
  /** An agent's internal note: recorded for agents only (a separate activity type, never a reply). */
  | { kind: 'note'; text: string }
  /** On a closed ticket: the requester wrote again and ticket `to` (a key) was opened for it. */
  | { kind: 'link_follow_up'; to: string }
  /** Records what happened around the ticket (a draft sent, knowledge edited, an offer answered): the audit trail only, nothing else changes. */
  | { kind: 'audit'; entry: Pick<ActivityEntry, 'action' | 'from' | 'to' | 'note'> }
  /** A manager acknowledges an SLA escalation: later escalation levels stop. */
  | { kind: 'acknowledge_escalation' }
  /** The requester's satisfaction rating (CSAT), 1 (bad) to 5 (great), once per ticket, after it is resolved. */
  | { kind: 'rate'; score: number }
  /** The rater's optional comment on their rating: once per ticket, after the rating, at most CSAT_COMMENT_MAX characters. */
  | { kind: 'csat_comment'; text: string };

/** Allowed in every open status. */
const OPEN_ANYTIME = ['note', 'audit', 'requester_replied', 'reply', 'recategorize', 'tag', 'link_duplicate', 'add_watcher', 'deflect'] as const;

/** Which actions each status allows. Anything else is an illegal transition. */
const ALLOWED: Record<TicketStatus, ReadonlyArray<TicketAction['kind']>> = {
  new: ['claim', 'assign', 'resolve', 'escalate', 'close', 'acknowledge_escalation', ...OPEN_ANYTIME],
  triaged: ['claim', 'assign', 'resolve', 'escalate', 'close', 'acknowledge_escalation', ...OPEN_ANYTIME],
  in_progress: ['claim', 'assign', 'resolve', 'escalate', 'wait_on_requester', 'close', 'acknowledge_escalation', ...OPEN_ANYTIME],
  waiting_on_requester: ['assign', 'resolve', 'escalate', 'close', 'acknowledge_escalation', ...OPEN_ANYTIME],
  resolved: ['reopen', 'close', 'auto_close', 'add_watcher', 'note', 'audit', 'rate', 'csat_comment'],
  closed: ['note', 'audit', 'link_follow_up', 'rate', 'csat_comment'],
};

const DONE: Record<TicketAction['kind'], string> = {
  claim: 'claimed',
  assign: 'assigned',
  resolve: 'resolved',
  reopen: 'reopened',
  escalate: 'escalated',
  wait_on_requester: 'put on hold',
  requester_replied: 'answered',
  reply: 'answered',
  recategorize: 'recategorised',
  tag: 'tagged',
  link_duplicate: 'linked as a duplicate',
  add_watcher: 'followed',
  deflect: 'resolved by an answer',
  close: 'closed',
  auto_close: 'closed',
  note: 'noted',
  link_follow_up: 'followed up',
  audit: 'recorded',
  acknowledge_escalation: 'acknowledged',
  rate: 'rated',
  csat_comment: 'commented on',
};

/** Highest CSAT score (scores are 1 to CSAT_SCALE). */
export const CSAT_SCALE = 5;

/** The requester's CSAT score for the ticket, if they gave one. */
export function csatOf(ticket: Pick<Ticket, 'activity'>): number | undefined {
  const rated = ticket.activity.findLast((a) => a.action === 'rated');
  return rated?.to ? Number(rated.to) : undefined;
}

/** Longest comment a requester may add to their rating (characters). */
export const CSAT_COMMENT_MAX = 1000;

/** The comment the requester added to their rating, if they added one. */
export function csatCommentOf(ticket: Pick<Ticket, 'activity'>): string | undefined {
  return ticket.activity.findLast((a) => a.action === 'csat_commented')?.note;
}

/** Most tags a ticket keeps. */
export const MAX_TAGS = 20;

/** A tag as stored: lower case, letters, digits, `-` and `_`, at most 40 characters; undefined for anything else. */
export function normalizeTag(raw: string): string | undefined {
  const tag = raw.trim().toLowerCase().replace(/^#/, '');
  return /^[\p{L}\p{N}_-]{1,40}$/u.test(tag) ? tag : undefined;
}

/** Days a resolved ticket stays open to the requester's reply before it closes itself (desk file `autoCloseAfterDays`). */
export const DEFAULT_AUTO_CLOSE_DAYS = 7;

/** True when a resolved ticket has been resolved for `afterDays` days or more at `now`: it closes itself. Pure. */
export function autoCloseDue(ticket: Pick<Ticket, 'status' | 'resolvedAt'>, now: Date, afterDays: number = DEFAULT_AUTO_CLOSE_DAYS): boolean {
  if (ticket.status !== 'resolved' || !ticket.resolvedAt) return false;
  return now.getTime() - ticket.resolvedAt.getTime() >= afterDays * 86_400_000;
}

/** When a resolved ticket closes itself (undefined when it is not resolved). */
export function autoCloseAt(ticket: Pick<Ticket, 'status' | 'resolvedAt'>, afterDays: number = DEFAULT_AUTO_CLOSE_DAYS): Date | undefined {
  return ticket.status === 'resolved' && ticket.resolvedAt ? new Date(ticket.resolvedAt.getTime() + afterDays * 86_400_000) : undefined;
}

/** Default confidence at which a classification counts as triage. */
export const DEFAULT_TRIAGED_CONFIDENCE = 0.8;

/** A classification confident enough (category and priority) to count as triage: the ticket starts `triaged`, not `new`. Pure. */
export function isConfidentTriage(
  c: { category: string; categoryConfidence: number; priorityConfidence: number },
  threshold: number = DEFAULT_TRIAGED_CONFIDENCE,
): boolean {
  return c.category !== '' && c.categoryConfidence >= threshold && c.priorityConfidence >= threshold;
}

/** Was the ticket ever triaged (so a reopened, unassigned ticket goes back to `triaged`, not `new`)? */
function wasTriaged(ticket: Pick<Ticket, 'status' | 'activity'>): boolean {
  return ticket.status === 'triaged' || ticket.activity.some((a) => a.action === 'triaged');
}

function raisePriority(p: Priority): Priority {
  const i = PRIORITIES.indexOf(p);
  return PRIORITIES[Math.max(0, i - 1)] ?? p;
}

/** The comment's audit entry (`to`: the score it comments on), or the coded reason it is refused. */
function csatCommentEntry(ticket: Ticket, text: string, actor: UserRef, now: Date): ActivityEntry {
  const refuse = (why: string) =>
    new ChatdeskError('chatdesk_transition_illegal', `${ticket.key} ${why}`, { ticket: ticket.key, status: ticket.status, action: 'csat_comment' });
  const rated = ticket.activity.findLast((a) => a.action === 'rated');
  if (!rated?.to) throw refuse('is not rated yet: a comment goes with a rating');
  // The comment is the rater's own word on their rating (the requester's: nobody else may rate).
  if (rated.actor.platform === 'system' || !sameUser(rated.actor as UserRef, actor)) {
    throw new ChatdeskError('chatdesk_forbidden', `only the person who rated ${ticket.key} can comment on the rating`, {
      reason: 'not_requester',
      action: 'rate',
      ticket: ticket.key,
      team: ticket.team,
    });
  }
  if (csatCommentOf(ticket) !== undefined) throw refuse('already has a comment on its rating');
  const chars = Array.from(text.trim()).length;
  if (chars === 0 || chars > CSAT_COMMENT_MAX) {
    throw new ChatdeskError('chatdesk_ticket_invalid', `a comment on a rating has 1 to ${CSAT_COMMENT_MAX} characters`, { ticket: ticket.key });
  }
  return { at: now, action: 'csat_commented', actor, to: rated.to, note: text.trim() };
}

/**
 * The one status-transition function. Pure: takes the ticket, the action, who
 * acts and `now`; returns the next ticket (version + 1) or throws a coded error.
 */
export function applyAction(ticket: Ticket, action: TicketAction, actor: UserRef, now: Date): Ticket {
  if (!ALLOWED[ticket.status].includes(action.kind)) {
    throw new ChatdeskError('chatdesk_transition_illegal', `${ticket.key} is ${ticket.status.replace(/_/g, ' ')}: it cannot be ${DONE[action.kind]} now`, {
      ticket: ticket.key,
      status: ticket.status,
      action: action.kind,
    });
  }
  const log: ActivityEntry[] = [];
  const next: Ticket = { ...ticket, updatedAt: now, version: ticket.version + 1 };
  const firstResponse = () => {
    if (!next.firstResponseAt) next.firstResponseAt = now;
  };

  switch (action.kind) {
    case 'claim':
      if (ticket.assignee && !sameUser(ticket.assignee, actor)) {
        throw new ChatdeskError('chatdesk_ticket_already_claimed', `${ticket.key} is already claimed by ${ticket.assignee.name ?? ticket.assignee.id}`, {
          ticket: ticket.key,
          assignee: ticket.assignee,
        });
      }
      if (sameUser(ticket.assignee, actor)) return ticket; // a second click by the same agent changes nothing
      next.assignee = actor;
      next.status = 'in_progress';
      firstResponse();
      log.push({ at: now, action: 'claimed', actor, from: ticket.status, to: 'in_progress' });
      break;
    case 'assign':
      if (sameUser(ticket.assignee, action.assignee)) return ticket;
      next.assignee = action.assignee;
      if (ticket.status === 'new' || ticket.status === 'triaged') next.status = 'in_progress';
      firstResponse();
      log.push({ at: now, action: 'assigned', actor, from: ticket.assignee?.id, to: action.assignee.id });
      break;
    case 'resolve':
      next.status = 'resolved';
      next.resolvedAt = now;
      // The requester marking their own ticket solved neither becomes its assignee nor counts as a response.
      if (!sameUser(actor, ticket.requester)) {
        next.assignee = ticket.assignee ?? actor;
        firstResponse();
      }
      log.push({ at: now, action: 'resolved', actor, from: ticket.status, to: 'resolved', note: action.note });
      break;
    case 'reopen':
      next.status = ticket.assignee ? 'in_progress' : wasTriaged(ticket) ? 'triaged' : 'new';
      next.resolvedAt = undefined;
      log.push({ at: now, action: 'reopened', actor, from: ticket.status, to: next.status });
      break;
    case 'escalate':
      next.escalationLevel = ticket.escalationLevel + 1;
      next.priority = raisePriority(ticket.priority);
      log.push({ at: now, action: 'escalated', actor, from: ticket.priority, to: next.priority, note: action.note });
      if (action.to) log.push({ at: now, action: 'escalation_notified', actor, to: userKey(action.to), note: action.note });
      break;
    case 'wait_on_requester':
      next.status = 'waiting_on_requester';
      firstResponse();
      log.push({ at: now, action: 'waiting_on_requester', actor, from: ticket.status, to: next.status });
      break;
    case 'requester_replied':
      // Only a ticket waiting on them changes status (and resumes its clock); otherwise the reply is recorded for the agents.
      if (ticket.status === 'waiting_on_requester') next.status = 'in_progress';
      log.push({ at: now, action: 'requester_replied', actor, from: ticket.status, to: next.status, note: action.text });
      break;
    case 'reply':
      firstResponse();
      log.push({ at: now, action: 'agent_replied', actor, note: action.text });
      break;
    case 'recategorize':
      if (action.category === ticket.category) return ticket;
      next.category = action.category;
      next.categoryConfidence = 1;
      log.push({ at: now, action: 'recategorized', actor, from: ticket.category, to: action.category });
      // A person set the category: a new ticket is triaged.
      if (ticket.status === 'new') {
        next.status = 'triaged';
        log.push({ at: now, action: 'triaged', actor, from: 'new', to: `${action.category}/${ticket.priority}` });
      }
      break;
    case 'tag': {
      const tags = [...ticket.tags.filter((x) => !action.remove.includes(x)), ...action.add.filter((x) => !ticket.tags.includes(x))].slice(0, MAX_TAGS);
      if (tags.length === ticket.tags.length && tags.every((x, i) => x === ticket.tags[i])) return ticket;
      next.tags = tags;
      log.push({ at: now, action: 'tagged', actor, from: ticket.tags.join(' '), to: tags.join(' ') });
      break;
    }
    case 'link_duplicate':
      next.status = 'closed';
      next.closedAt = now;
      log.push({ at: now, action: 'duplicate_linked', actor, from: ticket.status, to: action.of });
      break;
    case 'add_watcher':
      if ((ticket.watchers ?? []).some((w) => sameUser(w, action.watcher)) || sameUser(ticket.requester, action.watcher)) {
        next.watchers = ticket.watchers;
      } else next.watchers = [...(ticket.watchers ?? []), action.watcher];
      log.push({ at: now, action: 'duplicate_linked', actor, from: action.from });
      break;
    case 'deflect':
      next.status = 'resolved';
      next.resolvedAt = now;
      log.push({ at: now, action: 'deflected', actor, from: ticket.status, to: 'resolved', note: action.entryId });
      break;
    case 'rate':
      if (!Number.isInteger(action.score) || action.score < 1 || action.score > CSAT_SCALE) {
        throw new ChatdeskError('chatdesk_ticket_invalid', `a rating is a whole number from 1 to ${CSAT_SCALE}`, { ticket: ticket.key });
      }
      if (csatOf(ticket) !== undefined) {
        throw new ChatdeskError('chatdesk_transition_illegal', `${ticket.key} was already rated`, {
          ticket: ticket.key,
          status: ticket.status,
          action: 'rate',
        });
      }
      log.push({ at: now, action: 'rated', actor, to: String(action.score) });
      break;
    case 'csat_comment':
      log.push(csatCommentEntry(ticket, action.text, actor, now));
      break;
    case 'acknowledge_escalation': {
      if (!ticket.sla) return ticket;
      const acked = acknowledgeEscalation(acknowledgeEscalation(ticket.sla, now, 'first_response'), now, 'resolution');
      if (acked === ticket.sla) return ticket; // already acknowledged: a second click changes nothing
      next.sla = acked;
      next.activity = [...ticket.activity, { at: now, action: 'sla_acknowledged', actor }];
      return next;
    }
    case 'close':
      next.status = 'closed';
      next.closedAt = now;
      log.push({ at: now, action: 'closed', actor, from: ticket.status, to: 'closed' });
      break;
    case 'auto_close':
      next.status = 'closed';
      next.closedAt = now;
      log.push({ at: now, action: 'auto_closed', actor, from: 'resolved', to: 'closed' });
      break;
    case 'note':
      // Internal: no first response, no message to anyone but the agents.
      log.push({ at: now, action: 'note', actor, note: action.text });
      break;
    case 'link_follow_up':
      log.push({ at: now, action: 'follow_up_linked', actor, to: action.to });
      break;
    case 'audit':
      log.push({ at: now, actor, ...action.entry });
      break;
  }
  next.activity = [...ticket.activity, ...log];
  next.sla = clockAfterChange(ticket, next, now);
  return next;
}
