/**
 * Cross-reference checks of the raw `sla` config (calendar names, escalation recipients
 * against the directory). They run on the raw input, so they are reported together with
 * schema problems instead of only after the schema passes.
 */
import { REQUESTER_MANAGER } from './config-schema';

export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

const rec = (x: unknown): Record<string, unknown> => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : {});

/** Cross-reference checks; run on the raw input so they report even when the schema fails. */
export function crossCheck(input: unknown, prefix: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const raw = rec(input);
  const calendarIds = new Set(['24x7', ...Object.keys(rec(raw.calendars))]);
  const known = [...calendarIds].join(', ');
  const checkCalendar = (id: unknown, path: string) => {
    if (typeof id === 'string' && !calendarIds.has(id)) {
      problems.push({ path, message: `unknown calendar ${JSON.stringify(id)} (known: ${known})` });
    }
  };
  checkCalendar(raw.defaultCalendar, `${prefix}.defaultCalendar`);

  const directory = rec(raw.directory);
  const managers = rec(directory.managers);
  const knownUsers = Array.isArray(directory.knownUsers) ? new Set(directory.knownUsers) : undefined;
  const directoryUsers = new Set([...Object.keys(managers), ...Object.values(managers)]);
  if (knownUsers) {
    for (const [user, manager] of Object.entries(managers)) {
      if (typeof manager === 'string' && !knownUsers.has(manager)) {
        problems.push({ path: `${prefix}.directory.managers.${user}`, message: `unknown user ${JSON.stringify(manager)}` });
      }
    }
  }
  const checkChain = (chain: unknown, path: string) => {
    if (!Array.isArray(chain)) return;
    chain.forEach((lvl, i) => {
      const notify = rec(lvl).notify;
      if (typeof notify !== 'string' || notify === '') return;
      const at = `${path}[${i}].notify`;
      if (notify === REQUESTER_MANAGER) {
        if (directoryUsers.size === 0) problems.push({ path: at, message: `requester_manager needs ${prefix}.directory.managers` });
      } else if (knownUsers && !knownUsers.has(notify)) {
        problems.push({ path: at, message: `unknown user ${JSON.stringify(notify)} (not in ${prefix}.directory.knownUsers)` });
      } else if (!knownUsers && directoryUsers.size > 0 && !directoryUsers.has(notify)) {
        problems.push({ path: at, message: `user ${JSON.stringify(notify)} is not in ${prefix}.directory` });
      }
    });
  };
  checkChain(raw.escalation, `${prefix}.escalation`);
  for (const [teamId, team] of Object.entries(rec(raw.teams))) {
    checkCalendar(rec(team).calendar, `${prefix}.teams.${teamId}.calendar`);
    checkChain(rec(team).escalation, `${prefix}.teams.${teamId}.escalation`);
  }
  return problems;
}
