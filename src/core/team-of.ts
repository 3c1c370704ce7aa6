import type { DeskConfig, TeamDefinition } from '../config/desk-config.schema';
import type { Ticket } from '../domain/ticket/ticket';

export function teamForTicket(desk: DeskConfig, ticket: Pick<Ticket, 'team'>): TeamDefinition {
  const team = desk.teams.find((t) => t.id === ticket.team) ?? desk.teams.find((t) => t.id === desk.defaultTeam) ?? desk.teams[0];
  if (!team) throw new Error('desk configuration has no team'); // unreachable: the schema requires one
  return team;
}
