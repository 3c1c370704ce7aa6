import { ChatdeskError, isChatdeskError } from '../domain/errors';
import { REQUESTER_MANAGER } from '../domain/sla/config-schema';
import { type SlaConfig, validateSlaConfig } from '../domain/sla/policy';
import { parseUserKey } from '../domain/ticket/ticket';
import type { DeskConfig } from './desk-config.schema';

const PREFIX = 'CHATDESK_CONFIG sla';

/**
 * Validates the desk file's `sla` section (absent: default targets on a 24x7
 * calendar, no escalation) and checks it against the desk: teams and ticket
 * types it overrides must exist, and every person it names must be written
 * `platform:id` (e.g. `slack:U0123`) so a DM can reach them. All problems are
 * reported at once; nothing is half-applied.
 */
export function loadSlaConfig(desk: DeskConfig): SlaConfig {
  const raw = (desk.sla ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const teams = new Set(desk.teams.map((t) => t.id));
  const types = new Set(desk.ticketTypes.map((t) => t.id));
  const rec = (x: unknown) => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {});
  for (const id of Object.keys(rec(raw.teams))) if (!teams.has(id)) problems.push(`${PREFIX}.teams.${id}: no team with id "${id}"`);
  for (const id of Object.keys(rec(raw.ticketTypes))) if (!types.has(id)) problems.push(`${PREFIX}.ticketTypes.${id}: no ticket type with id "${id}"`);
  const person = (value: unknown, path: string) => {
    if (typeof value === 'string' && value !== REQUESTER_MANAGER && !parseUserKey(value)) {
      problems.push(`${path}: "${value}" is not a person chatdesk can reach; write platform:id, e.g. slack:U0123 or teams:29:1abc`);
    }
  };
  const chain = (levels: unknown, path: string) => {
    if (Array.isArray(levels)) for (const [i, lvl] of levels.entries()) person(rec(lvl).notify, `${path}[${i}].notify`);
  };
  chain(raw.escalation, `${PREFIX}.escalation`);
  for (const [id, team] of Object.entries(rec(raw.teams))) chain(rec(team).escalation, `${PREFIX}.teams.${id}.escalation`);
  for (const [user, manager] of Object.entries(rec(rec(raw.directory).managers))) {
    person(user, `${PREFIX}.directory.managers (key)`);
    person(manager, `${PREFIX}.directory.managers.${user}`);
  }
  let config: SlaConfig | undefined;
  try {
    config = validateSlaConfig(raw, PREFIX);
  } catch (err) {
    if (!isChatdeskError(err, 'chatdesk_sla_config_invalid')) throw err;
    const listed = (err.details.problems as Array<{ path: string; message: string }>).map((p) => `${p.path}: ${p.message}`);
    problems.unshift(...listed);
  }
  if (problems.length > 0 || !config) {
    throw new ChatdeskError('chatdesk_config_invalid', `Invalid configuration:\n  ${problems.join('\n  ')}`, { problems });
  }
  return config;
}
