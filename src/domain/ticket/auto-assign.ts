/**
 * Auto-assignment, pure: among a team's agents who have a skill matching the
 * ticket's category (or the wildcard skill `*`) and are available, pick the
 * one with the fewest open tickets; on a tie, round robin — the first tied
 * agent after the last auto-assigned one in the team's list. The same input
 * always gives the same agent; the caller stores the returned index as the
 * next `lastAssignedIndex`. No agent (undefined) when nobody matches, is
 * available or has room under `maxOpenPerAgent`.
 */
import type { Platform, UserRef } from './ticket';

export interface AssignableAgent {
  platform: Platform;
  id: string;
  name?: string;
  /** Categories this agent handles; `*` = any. Compared case-insensitively. */
  skills: readonly string[];
  /** false = away / on leave. Default true. */
  available?: boolean;
}

export interface PickAssigneeInput {
  agents: readonly AssignableAgent[];
  /** Open tickets per agent, keyed by agentKey(agent); missing = 0. */
  openLoadByAgent: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
  category: string;
  /** Index (in `agents`) of the agent picked last time; undefined or -1 = none yet. */
  lastAssignedIndex?: number;
  /** Agents with this many open tickets or more are skipped. */
  maxOpenPerAgent?: number;
}

export interface PickedAssignee {
  agent: UserRef;
  /** Index in `agents`: store it as the next lastAssignedIndex. */
  index: number;
  /** The agent's open load before this ticket. */
  load: number;
}

export function agentKey(agent: { platform: string; id: string }): string {
  return `${agent.platform}:${agent.id}`;
}

export function hasSkill(agent: AssignableAgent, category: string): boolean {
  const c = category.trim().toLowerCase();
  return agent.skills.some((s) => {
    const skill = s.trim().toLowerCase();
    return skill === '*' || skill === c;
  });
}

export function pickAssignee(input: PickAssigneeInput): PickedAssignee | undefined {
  const { agents, openLoadByAgent, category } = input;
  const loadOf = (a: AssignableAgent): number => {
    const raw = openLoadByAgent instanceof Map ? openLoadByAgent.get(agentKey(a)) : (openLoadByAgent as Record<string, number>)[agentKey(a)];
    return typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? raw : 0;
  };
  const candidates: Array<{ index: number; load: number }> = [];
  agents.forEach((a, index) => {
    if (a.available === false || !hasSkill(a, category)) return;
    const load = loadOf(a);
    if (input.maxOpenPerAgent !== undefined && load >= input.maxOpenPerAgent) return;
    candidates.push({ index, load });
  });
  if (candidates.length === 0) return undefined;
  const min = Math.min(...candidates.map((c) => c.load));
  const tied = candidates.filter((c) => c.load === min);
  const last = input.lastAssignedIndex ?? -1;
  const next = tied.find((c) => c.index > last) ?? tied[0]!;
  const a = agents[next.index]!;
  return { agent: { platform: a.platform, id: a.id, ...(a.name ? { name: a.name } : {}) }, index: next.index, load: next.load };
}
