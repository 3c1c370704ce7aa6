import { UNKNOWN_CATEGORY } from '../../ai/classifier.port';
import type { DeskConfig, TeamDefinition } from '../../config/desk-config.schema';

/** The team that owns a category; the default team takes triage and unrouted categories. */
export function teamForCategory(desk: DeskConfig, category: string): TeamDefinition {
  const byCategory = category === UNKNOWN_CATEGORY ? undefined : desk.teams.find((t) => t.categories.includes(category));
  const fallback = desk.teams.find((t) => t.id === desk.defaultTeam);
  const team = byCategory ?? fallback ?? desk.teams[0];
  if (!team) throw new Error('desk configuration has no team'); // unreachable: the schema requires one
  return team;
}
