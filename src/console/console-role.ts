import type { Roles } from '../domain/access/roles';

/** What the console shows a person as: the strongest of their roles on the desk. */
export type ConsoleRole = 'requester' | 'agent' | 'manager' | 'admin';
export const ROLE_RANK: Record<ConsoleRole, number> = { requester: 0, agent: 1, manager: 2, admin: 3 };

export function consoleRole(roles: Roles): ConsoleRole {
  if (roles.admin) return 'admin';
  if (roles.managerOf.size > 0 && !roles.open) return 'manager';
  return roles.agentOf.size > 0 ? 'agent' : 'requester';
}
