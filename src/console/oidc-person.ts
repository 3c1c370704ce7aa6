import type { DeskConfig } from '../config/desk-config.schema';
import { isGoverned, type Roles } from '../domain/access/roles';
import type { Platform, UserRef } from '../domain/ticket/ticket';
import { consoleRole, ROLE_RANK } from './console-role';

/** The chat ids a directory entry can hold, in the order ties are broken. */
const CHAT_IDS = ['slack', 'teams', 'discord', 'feishu', 'playground'] as const satisfies readonly Platform[];

export interface PersonLookup {
  desk: DeskConfig;
  /** Messengers that are on: a directory id counts only on one of these. */
  connected: () => readonly Platform[];
  roles: (user: UserRef) => Promise<Roles>;
  unknownPeople: 'requester' | 'refuse';
}

/**
 * Who someone the identity provider vouched for (a verified address) is on the
 * desk. A directory entry (`people: [{ email, slack: 'U123' }]`) makes them
 * that messenger identity, so they get the role and view the link from that
 * messenger gives; with several ids on messengers that are on, the one whose
 * console role is strongest (admin, manager, agent, requester), ties in the
 * entry's order (slack, teams, discord, feishu, playground). Anyone else is the
 * email requester `email:<address>` (who sees the tickets they raised by mail),
 * unless the operator refuses them, or the desk names no agents: there everyone
 * acts as an agent of every team, which is for the people chat already knows,
 * so an unknown address is refused (undefined).
 */
export async function consolePersonFor(email: string, name: string | undefined, deps: PersonLookup): Promise<UserRef | undefined> {
  const named = name ? { name } : {};
  const entry = deps.desk.people.find((p) => p.email === email);
  const on = deps.connected();
  const ids: UserRef[] = CHAT_IDS.filter((platform) => entry?.[platform] && on.includes(platform)).map((platform) => ({
    platform,
    id: entry![platform]!,
    ...named,
  }));
  if (ids.length > 0) {
    const ranks = await Promise.all(ids.map(async (user) => ROLE_RANK[consoleRole(await deps.roles(user))]));
    const best = Math.max(...ranks);
    return ids[ranks.indexOf(best)];
  }
  if (deps.unknownPeople === 'refuse' || !isGoverned(deps.desk)) return undefined;
  return { platform: 'email', id: email, ...named };
}
