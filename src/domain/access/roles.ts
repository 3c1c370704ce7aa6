import type { DeskConfig, GroupRef } from '../../config/desk-config.schema';
import { type UserRef, userKey } from '../ticket/ticket';

/**
 * What a person is on this desk, from the desk file: agent of some teams,
 * manager of some, admin. Everyone is a requester (of their own tickets).
 * `open` is a desk that names no agents at all: everyone acts as an agent and
 * manager of every team (today's behaviour: the agent channel's members act),
 * except on the tickets they raised themselves.
 */
export interface Roles {
  admin: boolean;
  agentOf: ReadonlySet<string>;
  managerOf: ReadonlySet<string>;
  open: boolean;
}

/** True when the desk file names agents (people or groups) for some team: permissions are enforced. */
export function isGoverned(desk: DeskConfig): boolean {
  return desk.teams.some((t) => t.agents.length > 0 || t.agentGroups.length > 0);
}

/** `slack:S0123`: how a group membership is written for rolesOf. */
export function groupKey(group: GroupRef): string {
  return `${group.platform}:${group.id}`;
}

/** The groups the desk file names on this platform (the only ones worth looking up). */
export function groupsNamedFor(desk: DeskConfig, platform: string): GroupRef[] {
  const all = desk.teams.flatMap((t) => [...t.agentGroups, ...t.managerGroups]).filter((g) => g.platform === platform);
  return all.filter((g, i) => all.findIndex((o) => o.id === g.id) === i);
}

/**
 * The roles of `user`. `groups` are the platform groups they belong to
 * (`platform:groupId`, from a lookup), of those the desk file names.
 */
export function rolesOf(desk: DeskConfig, user: UserRef, groups: readonly string[] = []): Roles {
  const me = userKey(user);
  const inGroup = (refs: readonly GroupRef[]) => refs.some((g) => groups.includes(groupKey(g)));
  const allTeams = desk.teams.map((t) => t.id);
  const admin = desk.admins.includes(me);
  const deskManager = admin || desk.managers.includes(me);
  const managerOf = new Set(deskManager ? allTeams : desk.teams.filter((t) => t.managers.includes(me) || inGroup(t.managerGroups)).map((t) => t.id));
  const listed = desk.teams.filter((t) => t.agents.some((a) => a.platform === user.platform && a.id === user.id) || inGroup(t.agentGroups)).map((t) => t.id);
  const open = !isGoverned(desk);
  const agentOf = new Set(open ? allTeams : [...listed, ...managerOf]);
  return { admin, agentOf, managerOf: open ? new Set(allTeams) : managerOf, open };
}
