/**
 * The permission matrix (README, "Who may do what") as one table of
 * {role, action, allowed}: the unit test checks every row against the pure
 * rules (src/domain/access/permissions.ts), the adapter contract suite runs the
 * rows a messenger can exercise through each messenger. A rule is written here once.
 *
 * The ticket is an IT ticket raised by the requester, escalated once to the escalation contact.
 */
import { PERMISSION_ACTIONS, type PermissionAction } from '../../src/domain/access/permissions';

export const ROLES = [
  'requester',
  /** Anyone the desk file does not name (a requester only). */
  'stranger',
  /** An agent of IT, named in person. */
  'agent',
  /** An agent of IT through a platform group the team names (Slack user group, Discord role, …). */
  'groupAgent',
  /** An agent of another team (People). */
  'otherTeamAgent',
  /** A manager of IT. */
  'teamManager',
  /** A desk-wide manager. */
  'deskManager',
  'admin',
  /** The person an escalation of this ticket was sent to (and nothing else). */
  'escalationContact',
] as const;
export type Role = (typeof ROLES)[number];

/** The matrix's actions; `assign` assigns to an agent of the team, `assign_outside_team` to someone who is not one. */
export type MatrixAction = PermissionAction | 'assign_outside_team';
export const MATRIX_ACTIONS: readonly MatrixAction[] = [...PERMISSION_ACTIONS, 'assign_outside_team'];

export interface PermissionRule {
  role: Role;
  action: MatrixAction;
  allowed: boolean;
}

const AGENTS: Role[] = ['agent', 'groupAgent', 'teamManager', 'deskManager', 'admin'];
const REQUESTER_OR_AGENTS: Role[] = ['requester', ...AGENTS];
const MANAGERS: Role[] = ['teamManager', 'deskManager', 'admin', 'escalationContact'];

/** Who is allowed each action; everyone else is refused it. */
const ALLOWED: Record<MatrixAction, Role[]> = {
  view: REQUESTER_OR_AGENTS,
  requester_reply: ['requester', 'admin'],
  answer_offer: ['requester', 'admin'],
  // The requester's own say: not even an admin rates for them.
  rate: ['requester'],
  resolve: REQUESTER_OR_AGENTS,
  reopen: REQUESTER_OR_AGENTS,
  claim: AGENTS,
  assign: AGENTS,
  assign_outside_team: ['teamManager', 'deskManager', 'admin'],
  wait: AGENTS,
  reply: AGENTS,
  recategorize: AGENTS,
  tag: AGENTS,
  note: AGENTS,
  close: AGENTS,
  escalate: AGENTS,
  draft: AGENTS,
  knowledge: AGENTS,
  // Agent-facing (it may draw on internal notes): not for the requester, nor for an escalation contact who is no agent.
  summary: AGENTS,
  take_over: MANAGERS,
  acknowledge: MANAGERS,
};

/** Every role × every action, allowed or refused. */
export const PERMISSION_RULES: readonly PermissionRule[] = MATRIX_ACTIONS.flatMap((action) =>
  ROLES.map((role) => ({ role, action, allowed: ALLOWED[action].includes(role) })),
);
