import type { DeskConfig } from '../config/desk-config.schema';
import type { AccessGate } from '../core/access/access-gate';
import { type Roles, rolesOf } from '../domain/access/roles';
import { apiActor, type Principal } from './api-auth';

/**
 * The roles an API token acts with in the permission matrix (the same rules
 * as chat, src/domain/access/permissions.ts):
 * - the `admin` scope: a desk admin;
 * - created `as` a person (`--as slack:U123`): that person's roles, their
 *   platform groups included (the gate looks them up as for a chat click);
 * - created with a `role` for `teams` (`--role agent --team it`): agent, or
 *   manager, of those teams;
 * - neither: a person the desk file does not list (a requester of its own
 *   tickets; on a desk that names no agents, an agent of every team).
 * Scopes say which routes a token may call; these roles say what it may do
 * there. Both must allow an action.
 */
export async function tokenRoles(p: Principal, desk: DeskConfig, gate: AccessGate): Promise<Roles> {
  const teams = desk.teams.map((t) => t.id);
  if (p.scopes.includes('admin')) return { admin: true, agentOf: new Set(teams), managerOf: new Set(teams), open: false };
  if (p.as) return gate.roles(p.as);
  const base = rolesOf(desk, apiActor(p));
  if (!p.role) return base;
  const named = (p.teams ?? []).filter((t) => teams.includes(t));
  return {
    admin: base.admin,
    agentOf: new Set([...base.agentOf, ...named]),
    managerOf: p.role === 'manager' ? new Set([...base.managerOf, ...named]) : base.managerOf,
    open: base.open,
  };
}
