import { sameUser, type Ticket, type UserRef, userKey } from '../ticket/ticket';
import type { Roles } from './roles';

/**
 * Everything a person can ask of a ticket, in the permission matrix's words
 * (README, "Who may do what"). Buttons, commands and requester messages map
 * to one of these before anything runs.
 */
export const PERMISSION_ACTIONS = [
  'view',
  /** The requester writes in their ticket's thread. */
  'requester_reply',
  /** The requester answers an intake offer: same problem as another ticket, or "this answer solved it". */
  'answer_offer',
  'resolve',
  'reopen',
  'claim',
  /** The assign picker (within the team; outside it needs a manager). */
  'assign',
  'wait',
  'reply',
  'recategorize',
  'tag',
  /** Add an internal note (only agents ever see notes). */
  'note',
  /** Close a ticket (resolved ones also close themselves after the desk's autoCloseAfterDays). */
  'close',
  'escalate',
  /** Send / Edit / Dismiss a suggested reply. */
  'draft',
  /** Edit / Reject a knowledge entry drawn from the ticket. */
  'knowledge',
  'take_over',
  'acknowledge',
  /** Read a ticket's hand-off summary (`/ticket summary`): agent-facing, it may draw on internal notes. */
  'summary',
  /** Rate the service (CSAT) once the ticket is resolved, and comment on the rating: the requester's own say, no one else's (not even an admin's). */
  'rate',
] as const;
export type PermissionAction = (typeof PERMISSION_ACTIONS)[number];

export type RefusalReason =
  /** Needs an agent of the ticket's team. */
  | 'not_team_agent'
  /** Needs the ticket's requester or an agent of its team. */
  | 'not_requester_or_agent'
  /** Needs the ticket's requester. */
  | 'not_requester'
  /** Needs a manager of the ticket's team (or the person the escalation was sent to). */
  | 'not_manager'
  /** An agent may assign within the team only; this assignee is not one of its agents. */
  | 'assignee_outside_team';

export type Decision = { allowed: true; as: 'requester' | 'agent' | 'manager' | 'admin' | 'escalation_contact' } | { allowed: false; reason: RefusalReason };

export interface AccessRequest {
  actor: UserRef;
  roles: Roles;
  action: PermissionAction;
  ticket: Pick<Ticket, 'team' | 'requester' | 'activity'>;
  /** For `assign`: the person picked and their roles. */
  assignee?: { user: UserRef; roles: Roles };
}

const AGENT_ACTIONS: ReadonlySet<PermissionAction> = new Set([
  'claim',
  'wait',
  'reply',
  'recategorize',
  'tag',
  'note',
  'close',
  'escalate',
  'draft',
  'knowledge',
  'summary',
]);
const REQUESTER_OR_AGENT: ReadonlySet<PermissionAction> = new Set(['view', 'resolve', 'reopen']);
const MANAGER_ACTIONS: ReadonlySet<PermissionAction> = new Set(['take_over', 'acknowledge']);

/** Agent of the ticket's team. On an open desk everyone is, except on the tickets they raised. */
export function isTeamAgent(roles: Roles, user: UserRef, ticket: Pick<Ticket, 'team' | 'requester'>): boolean {
  if (roles.open && sameUser(user, ticket.requester) && !roles.admin) return false;
  return roles.admin || roles.agentOf.has(ticket.team);
}

function isTeamManager(roles: Roles, user: UserRef, ticket: Pick<Ticket, 'team' | 'requester'>): boolean {
  if (roles.open && sameUser(user, ticket.requester) && !roles.admin) return false;
  return roles.admin || roles.managerOf.has(ticket.team);
}

/** The ticket was escalated to this person (an SLA level or an agent's Escalate): they were asked to step in. */
function wasAskedToStepIn(user: UserRef, ticket: Pick<Ticket, 'activity'>): boolean {
  const me = userKey(user);
  return ticket.activity.some((a) => a.action === 'escalation_notified' && a.to === me);
}

/** The permission matrix. Pure: who (roles), what (action), on which ticket. */
export function decide(req: AccessRequest): Decision {
  const { actor, roles, action, ticket } = req;
  if (action === 'rate') return sameUser(actor, ticket.requester) ? { allowed: true, as: 'requester' } : { allowed: false, reason: 'not_requester' };
  if (roles.admin) return { allowed: true, as: 'admin' };
  const requester = sameUser(actor, ticket.requester);
  const agent = isTeamAgent(roles, actor, ticket);
  const manager = isTeamManager(roles, actor, ticket);
  if (action === 'requester_reply' || action === 'answer_offer')
    return requester ? { allowed: true, as: 'requester' } : { allowed: false, reason: 'not_requester' };
  if (REQUESTER_OR_AGENT.has(action)) {
    if (agent) return { allowed: true, as: manager ? 'manager' : 'agent' };
    return requester ? { allowed: true, as: 'requester' } : { allowed: false, reason: 'not_requester_or_agent' };
  }
  if (AGENT_ACTIONS.has(action)) return agent ? { allowed: true, as: manager ? 'manager' : 'agent' } : { allowed: false, reason: 'not_team_agent' };
  if (MANAGER_ACTIONS.has(action)) {
    if (manager) return { allowed: true, as: 'manager' };
    return wasAskedToStepIn(actor, ticket) ? { allowed: true, as: 'escalation_contact' } : { allowed: false, reason: 'not_manager' };
  }
  // assign
  if (manager) return { allowed: true, as: 'manager' };
  if (!agent) return { allowed: false, reason: 'not_team_agent' };
  const to = req.assignee;
  if (!to || sameUser(to.user, actor) || isTeamAgent(to.roles, to.user, ticket)) return { allowed: true, as: 'agent' };
  return { allowed: false, reason: 'assignee_outside_team' };
}
