import { DateTime } from 'luxon';
import { calendarFor, type SlaConfig } from '../../domain/sla/policy';
import type { TargetStatus } from '../../domain/sla/status';
import { ticketSlaStatus } from '../../domain/sla/ticket-sla';
import type { Ticket } from '../../domain/ticket/ticket';
import type { CardTone } from './card';
import { type Locale, t } from '../i18n';

/**
 * The SLA line of a ticket card: each open target with its label and its due
 * time in the team calendar's zone ("Response: 12m left (due Tue 14:30)").
 * The due time never goes stale between card refreshes; the card is refreshed
 * at every reminder and at each deadline.
 */
export function slaLine(ticket: Ticket, now: Date, config: SlaConfig, locale: Locale): { text: string; tone: CardTone } | undefined {
  const status = ticketSlaStatus(ticket, now, config, locale);
  if (!status) return undefined;
  const zone = calendarFor(ticket.team, config).zone;
  const part = (name: string, s: TargetStatus) => {
    const due =
      s.dueAt && (s.phase === 'running' || s.phase === 'breached')
        ? ` (${t(locale, 'sla.due', {
            at: DateTime.fromJSDate(s.dueAt, { zone })
              .setLocale(locale === 'zh' ? 'zh-CN' : 'en-GB')
              .toFormat('ccc HH:mm'),
          })})`
        : '';
    return `${name}: ${s.label}${due}`;
  };
  const parts: string[] = [];
  if (ticket.firstResponseAt === undefined || status.firstResponse.phase === 'missed') parts.push(part(t(locale, 'sla.response'), status.firstResponse));
  parts.push(part(t(locale, 'sla.resolution'), status.resolution));
  const breached = status.firstResponse.phase === 'breached' || status.resolution.phase === 'breached';
  const close = [status.firstResponse, status.resolution].some((s) => s.phase === 'running' && s.fractionElapsed >= 0.75);
  return { text: parts.join(' · '), tone: breached ? 'danger' : close ? 'warning' : 'neutral' };
}
