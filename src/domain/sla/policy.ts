/**
 * SLA configuration: validation (raw config -> frozen {@link SlaConfig}, or one
 * ChatdeskError('chatdesk_sla_config_invalid') listing every problem with its setting path)
 * and policy resolution.
 *
 * Policy resolution order, per priority and per target (first response / resolution):
 *   1. ticket type override  (`sla.ticketTypes.<type>.policies.<P>`)
 *   2. team override         (`sla.teams.<team>.policies.<P>`)
 *   3. global default        (`sla.policies.<P>`, itself falling back to DEFAULT_POLICIES)
 */
import { PRIORITIES, type Priority } from '../../ai/classifier.port';
import { ChatdeskError } from '../errors';
import { CALENDAR_24X7, WEEKDAYS, makeCalendar, type Calendar, type WorkInterval } from './calendar';
import { crossCheck, type ConfigProblem } from './config-checks';
import { offsetMs, parseInterval, slaConfigSchema, type ParsedSlaConfig } from './config-schema';
import { DEFAULT_POLICIES, DEFAULT_REMINDER_FRACTIONS, type PriorityTargets, type SlaTarget, type TargetKind } from './targets';

export type PolicyOverrides = Readonly<Partial<Record<Priority, Readonly<Partial<PriorityTargets>>>>>;

export interface EscalationLevel {
  /** 1-based position within its target's chain. */
  readonly level: number;
  readonly on: TargetKind;
  /** Offset after the breach, measured on the breached target's clock. */
  readonly afterMs: number;
  /** A user id, or `requester_manager` (looked up in the directory). */
  readonly notify: string;
}

export interface Directory {
  /** userId -> managerId */
  readonly managers: Readonly<Record<string, string>>;
  readonly knownUsers?: readonly string[];
}

export interface TeamSla {
  readonly calendarId: string;
  readonly policies: PolicyOverrides;
  readonly escalation?: readonly EscalationLevel[];
}

export interface SlaConfig {
  readonly calendars: Readonly<Record<string, Calendar>>;
  readonly defaultCalendarId: string;
  readonly policies: Readonly<Record<Priority, PriorityTargets>>;
  readonly teams: Readonly<Record<string, TeamSla>>;
  readonly ticketTypes: Readonly<Record<string, { readonly policies: PolicyOverrides }>>;
  readonly reminderFractions: readonly number[];
  readonly escalation: readonly EscalationLevel[];
  readonly directory: Directory;
}

export type PolicySource = 'ticket_type' | 'team' | 'default';

export interface ResolvedPolicy {
  readonly priority: Priority;
  readonly calendarId: string;
  readonly firstResponse: SlaTarget;
  readonly resolution: SlaTarget;
  readonly reminderFractions: readonly number[];
  readonly sources: Readonly<{ firstResponse: PolicySource; resolution: PolicySource }>;
}

export type { ConfigProblem } from './config-checks';

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), prefix);
}

type RawPolicies = ParsedSlaConfig['policies'];

function toOverrides(raw: RawPolicies): PolicyOverrides {
  const out: Partial<Record<Priority, Partial<PriorityTargets>>> = {};
  for (const p of PRIORITIES) {
    const entry = raw[p];
    if (!entry) continue;
    const o: { firstResponse?: SlaTarget; resolution?: SlaTarget } = {};
    if (entry.firstResponse !== undefined) o.firstResponse = entry.firstResponse;
    if (entry.resolution !== undefined) o.resolution = entry.resolution;
    out[p] = Object.freeze(o);
  }
  return Object.freeze(out);
}

function toChain(raw: ParsedSlaConfig['escalation']): readonly EscalationLevel[] {
  const counters: Record<TargetKind, number> = { first_response: 0, resolution: 0 };
  return Object.freeze(raw.map((lvl) => Object.freeze({ level: ++counters[lvl.on], on: lvl.on, afterMs: offsetMs(lvl.after), notify: lvl.notify })));
}

function build(parsed: ParsedSlaConfig): SlaConfig {
  const calendars: Record<string, Calendar> = { '24x7': CALENDAR_24X7 };
  for (const [id, raw] of Object.entries(parsed.calendars)) {
    const hours: Partial<Record<(typeof WEEKDAYS)[number], WorkInterval[]>> = {};
    for (const day of WEEKDAYS) hours[day] = (raw.hours[day] ?? []).map((s) => parseInterval(s) as WorkInterval);
    const specialDays: Record<string, WorkInterval[]> = {};
    for (const [date, list] of Object.entries(raw.specialDays)) specialDays[date] = list.map((t) => parseInterval(t) as WorkInterval);
    const input = { id, zone: raw.timezone, hours, holidays: raw.holidays, specialDays };
    calendars[id] = makeCalendar(raw.businessDayHours === undefined ? input : { ...input, businessDayMs: raw.businessDayHours * 3_600_000 });
  }
  const globalOverrides = toOverrides(parsed.policies);
  const policies = {} as Record<Priority, PriorityTargets>;
  for (const p of PRIORITIES) policies[p] = Object.freeze({ ...DEFAULT_POLICIES[p], ...globalOverrides[p] });
  const teams: Record<string, TeamSla> = {};
  for (const [id, t] of Object.entries(parsed.teams)) {
    const team = { calendarId: t.calendar ?? parsed.defaultCalendar, policies: toOverrides(t.policies) };
    teams[id] = Object.freeze(t.escalation ? { ...team, escalation: toChain(t.escalation) } : team);
  }
  const ticketTypes: Record<string, { policies: PolicyOverrides }> = {};
  for (const [id, tt] of Object.entries(parsed.ticketTypes)) ticketTypes[id] = Object.freeze({ policies: toOverrides(tt.policies) });
  const { managers, knownUsers } = parsed.directory;
  return Object.freeze({
    calendars: Object.freeze(calendars),
    defaultCalendarId: parsed.defaultCalendar,
    policies: Object.freeze(policies),
    teams: Object.freeze(teams),
    ticketTypes: Object.freeze(ticketTypes),
    reminderFractions: Object.freeze([...(parsed.reminders?.fractions ?? DEFAULT_REMINDER_FRACTIONS)].sort((a, b) => a - b)),
    escalation: toChain(parsed.escalation),
    directory: Object.freeze({
      managers: Object.freeze({ ...managers }),
      ...(knownUsers ? { knownUsers: Object.freeze([...knownUsers]) } : {}),
    }),
  });
}

/** Lists every problem in a raw `sla` config section; empty when valid. */
export function checkSlaConfig(raw: unknown, prefix = 'sla'): ConfigProblem[] {
  const result = slaConfigSchema.safeParse(raw ?? {});
  const problems = result.success ? [] : result.error.issues.map((issue) => ({ path: formatPath(prefix, issue.path), message: issue.message }));
  return [...problems, ...crossCheck(raw, prefix)];
}

/**
 * Validates a raw `sla` config section into a frozen SlaConfig. Throws one
 * ChatdeskError('chatdesk_sla_config_invalid') listing all problems (`details.problems`).
 */
export function validateSlaConfig(raw: unknown, prefix = 'sla'): SlaConfig {
  const problems = checkSlaConfig(raw, prefix);
  const result = slaConfigSchema.safeParse(raw ?? {});
  if (problems.length > 0 || !result.success) {
    const list = problems.map((p) => `${p.path}: ${p.message}`);
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new ChatdeskError('chatdesk_sla_config_invalid', `Invalid SLA configuration (${count}):\n- ${list.join('\n- ')}`, {
      problems,
    });
  }
  return build(result.data);
}

/** The calendar a team's clocks run on (team calendar, else the default calendar). */
export function calendarFor(team: string | undefined, config: SlaConfig): Calendar {
  const id = (team !== undefined ? config.teams[team]?.calendarId : undefined) ?? config.defaultCalendarId;
  return config.calendars[id] ?? CALENDAR_24X7;
}

/** A team's escalation chain, else the global chain. */
export function escalationChainFor(team: string | undefined, config: SlaConfig): readonly EscalationLevel[] {
  return (team !== undefined ? config.teams[team]?.escalation : undefined) ?? config.escalation;
}

/** Targets for one ticket: ticket type override > team override > global default (per target). */
export function resolvePolicy(ticket: { team?: string | undefined; type?: string | undefined; priority: Priority }, config: SlaConfig): ResolvedPolicy {
  const { priority } = ticket;
  const byType = ticket.type !== undefined ? config.ticketTypes[ticket.type]?.policies[priority] : undefined;
  const byTeam = ticket.team !== undefined ? config.teams[ticket.team]?.policies[priority] : undefined;
  const pick = (key: keyof PriorityTargets): [SlaTarget, PolicySource] => {
    const fromType = byType?.[key];
    if (fromType) return [fromType, 'ticket_type'];
    const fromTeam = byTeam?.[key];
    if (fromTeam) return [fromTeam, 'team'];
    return [config.policies[priority][key], 'default'];
  };
  const [firstResponse, frSource] = pick('firstResponse');
  const [resolution, resSource] = pick('resolution');
  return Object.freeze({
    priority,
    calendarId: calendarFor(ticket.team, config).id,
    firstResponse,
    resolution,
    reminderFractions: config.reminderFractions,
    sources: Object.freeze({ firstResponse: frSource, resolution: resSource }),
  });
}
