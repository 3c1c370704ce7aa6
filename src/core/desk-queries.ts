import { DateTime } from 'luxon';
import type { DeskConfig } from '../config/desk-config.schema';
import type { Roles } from '../domain/access/roles';
import { ticketSlaStatus } from '../domain/sla/ticket-sla';
import type { SlaConfig } from '../domain/sla/policy';
import { type Ticket, TICKET_STATUSES, type UserRef, userKey } from '../domain/ticket/ticket';
import type { TicketRepository } from '../domain/ticket/ticket.repository.port';
import type { OutboundMessage } from './cards/card';
import { type Locale, t } from './i18n';
import { OPEN_STATUSES } from './assist/open-tickets';

const SEARCH_LIMIT = 10;
const LIST_LIMIT = 15;
/** Open tickets read for the figures (the backlog of a help desk, not its history). */
const BACKLOG_LIMIT = 5000;
const DUE_SOON_MS = 4 * 60 * 60 * 1000;
/** `/ticket stats` shows the CSAT of the ratings given in this many days, today included. */
const CSAT_DAYS = 7;

/** The teams a person sees all tickets of: every team for admins (and on a desk that names no agents), else the teams they are an agent or manager of. */
export function visibleTeams(roles: Roles, desk: DeskConfig): string[] | 'all' {
  if (roles.admin || roles.open) return 'all';
  return desk.teams.map((team) => team.id).filter((id) => roles.agentOf.has(id) || roles.managerOf.has(id));
}

/**
 * What people ask of the desk in chat, the same on every messenger:
 * `/ticket mine`, `/ticket search words`, `/ticket stats`. Everyone sees the
 * tickets they raised; agents and managers also those of their teams (the
 * permission matrix's "view").
 */
export class DeskQueries {
  constructor(
    private readonly deps: {
      desk: DeskConfig;
      tickets: TicketRepository;
      sla: SlaConfig;
      roles: (user: UserRef) => Promise<Roles>;
      clock: () => { now: Date; timeZone: string };
      /** CSAT of the teams' tickets rated in the last `days` days (the reports' summary); unset: not shown. */
      satisfaction?: () => ((teams: readonly string[] | 'all', days: number) => Promise<{ n: number; average: number | null }>) | undefined;
    },
  ) {}

  /** What `/ticket escalations` answers: the open tickets escalated to this person that no one acknowledged since. */
  async escalations(user: UserRef, locale: Locale): Promise<OutboundMessage> {
    const me = userKey(user);
    const open = await this.deps.tickets.list({ status: [...OPEN_STATUSES], notified: me, limit: 200 });
    const mine = open.filter((tk) => {
      const last = tk.activity.findLastIndex((a) => a.action === 'escalation_notified' && a.to === me);
      return last >= 0 && !tk.activity.slice(last).some((a) => a.action === 'sla_acknowledged');
    });
    if (mine.length === 0) return { text: t(locale, 'escalations.none') };
    return { text: `${t(locale, 'escalations.title', { count: mine.length })}\n${this.lines(mine, locale)}` };
  }

  async mine(user: UserRef, locale: Locale): Promise<OutboundMessage> {
    const open = [...OPEN_STATUSES];
    const [raised, assigned] = await Promise.all([
      this.deps.tickets.list({ requester: user, status: open, limit: 100 }),
      this.deps.tickets.list({ assignee: user, status: open, limit: 100 }),
    ]);
    const ownRaised = raised;
    const ownAssigned = assigned;
    if (ownRaised.length + ownAssigned.length === 0) return { text: t(locale, 'mine.none') };
    const parts: string[] = [];
    if (ownRaised.length > 0) parts.push(`${t(locale, 'mine.raised', { count: ownRaised.length })}\n${this.lines(ownRaised, locale)}`);
    if (ownAssigned.length > 0) parts.push(`${t(locale, 'mine.assigned', { count: ownAssigned.length })}\n${this.lines(ownAssigned, locale)}`);
    return { text: parts.join('\n\n') };
  }

  async search(user: UserRef, words: string, locale: Locale): Promise<OutboundMessage> {
    const text = words.trim();
    if (text === '') return { text: t(locale, 'search.usage') };
    const teams = visibleTeams(await this.deps.roles(user), this.deps.desk);
    const [own, team] = await Promise.all([
      this.deps.tickets.list({ requester: user, text, limit: SEARCH_LIMIT }),
      teams === 'all' || teams.length > 0 ? this.deps.tickets.list({ ...(teams === 'all' ? {} : { teams }), text, limit: SEARCH_LIMIT }) : Promise.resolve([]),
    ]);
    const byId = new Map<string, Ticket>();
    for (const tk of [...team, ...own]) byId.set(tk.id, tk);
    const found = [...byId.values()].sort((a, b) => b.number - a.number).slice(0, SEARCH_LIMIT);
    if (found.length === 0) return { text: t(locale, 'search.none', { words: text }) };
    return { text: `${t(locale, 'search.title', { words: text, count: found.length })}\n${this.lines(found, locale)}` };
  }

  async stats(user: UserRef, locale: Locale): Promise<OutboundMessage> {
    const teams = visibleTeams(await this.deps.roles(user), this.deps.desk);
    // A requester's figures are their own tickets.
    if (teams !== 'all' && teams.length === 0) return this.mine(user, locale);
    const scope = teams === 'all' ? {} : { teams };
    const { now, timeZone } = this.deps.clock();
    const startOfDay = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day').toJSDate();
    const satisfaction = this.deps.satisfaction?.();
    const [open, opened, resolved, csat] = await Promise.all([
      this.deps.tickets.list({ ...scope, status: [...OPEN_STATUSES], limit: BACKLOG_LIMIT }),
      this.deps.tickets.list({ ...scope, createdFrom: startOfDay, limit: BACKLOG_LIMIT }),
      this.deps.tickets.list({ ...scope, resolvedFrom: startOfDay, limit: BACKLOG_LIMIT }),
      satisfaction ? satisfaction(teams, CSAT_DAYS) : Promise.resolve(undefined),
    ]);
    const byStatus = Object.fromEntries(TICKET_STATUSES.map((s) => [s, open.filter((tk) => tk.status === s).length]));
    let breached = 0;
    let dueSoon = 0;
    for (const tk of open) {
      const status = ticketSlaStatus(tk, now, this.deps.sla, locale);
      if (!status) continue;
      const targets = [status.firstResponse, status.resolution];
      if (targets.some((x) => x.breached)) breached++;
      else if (targets.some((x) => x.phase === 'running' && x.dueAt && x.dueAt.getTime() - now.getTime() <= DUE_SOON_MS)) dueSoon++;
    }
    const mine = open.filter((tk) => tk.assignee?.platform === user.platform && tk.assignee.id === user.id).length;
    const scopeName =
      teams === 'all'
        ? t(locale, 'stats.scope.all')
        : this.deps.desk.teams
            .filter((x) => teams.includes(x.id))
            .map((x) => x.name)
            .join(', ');
    return {
      text: [
        t(locale, 'stats.title', { scope: scopeName }),
        `• ${t(locale, 'stats.open', { open: open.length, ...byStatus })}`,
        `• ${t(locale, 'stats.sla', { breached, dueSoon })}`,
        `• ${t(locale, 'stats.today', { opened: opened.length, resolved: resolved.length })}`,
        `• ${t(locale, 'stats.queue', { mine })}`,
        ...(csat ? [`• ${csat.average === null ? t(locale, 'stats.csat.none') : t(locale, 'stats.csat', { average: csat.average, n: csat.n })}`] : []),
      ].join('\n'),
    };
  }

  private lines(tickets: readonly Ticket[], locale: Locale): string {
    const shown = tickets.slice(0, LIST_LIMIT).map((tk) => `• ${tk.key} [${tk.priority}] ${tk.title} — ${t(locale, `status.${tk.status}`)}`);
    if (tickets.length > LIST_LIMIT) shown.push(`… +${tickets.length - LIST_LIMIT}`);
    return shown.join('\n');
  }
}
