import { UNKNOWN_CATEGORY } from '../../ai/classifier.port';
import type { DeskConfig, TeamDefinition } from '../../config/desk-config.schema';

function defaultTeam(desk: DeskConfig): TeamDefinition {
  const team = desk.teams.find((t) => t.id === desk.defaultTeam) ?? desk.teams[0];
  if (!team) throw new Error('desk configuration has no team'); // unreachable: the schema requires one
  return team;
}

/** The team that owns a category; the default team takes triage and unrouted categories. */
export function teamForCategory(desk: DeskConfig, category: string): TeamDefinition {
  const byCategory = category === UNKNOWN_CATEGORY ? undefined : desk.teams.find((t) => t.categories.includes(category));
  return byCategory ?? defaultTeam(desk);
}

/** A stored ticket's team; the default team when the configuration no longer has it. */
export function teamById(desk: DeskConfig, teamId: string): TeamDefinition {
  return desk.teams.find((t) => t.id === teamId) ?? defaultTeam(desk);
}
