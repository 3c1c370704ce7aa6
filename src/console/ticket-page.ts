import type { DeskConfig } from '../config/desk-config.schema';
import type { CallbackAction } from '../core/cards/card';
import { TICKET_BUTTONS } from '../core/card-buttons';
import { isPublicEntry } from '../core/ticket-history';
import type { SlaConfig } from '../domain/sla/policy';
import { ticketSlaStatus } from '../domain/sla/ticket-sla';
import type { Ticket } from '../domain/ticket/ticket';
import { csrfField, esc, fmtDate, layout, type Viewer } from './html';
import { slaLabel, statusLabel } from './queue-page';
import { slaStateOf } from './queue-service';

export interface TicketPageInput {
  viewer: Viewer;
  /** Agents (of the ticket's team) see internal notes and the whole audit trail. */
  agentView: boolean;
  ticket: Ticket;
  /** The card's buttons as chat shows them now (the same actions, the same permission checks). */
  actions: CallbackAction[];
  desk: DeskConfig;
  sla: SlaConfig;
  zone: string;
  now: Date;
  flash?: { ok: boolean; text: string };
}

const who = (u: { name?: string; id: string; platform: string }) => `${u.name ?? u.id} (${u.platform})`;

export function ticketPage(p: TicketPageInput): string {
  const t = p.ticket;
  const status = ticketSlaStatus(t, p.now, p.sla, 'en');
  const state = slaStateOf(t, p.now, p.sla);
  const team = p.desk.teams.find((x) => x.id === t.team)?.name ?? t.team;
  const fields: Array<[string, string]> = [
    ['Status', statusLabel(t.status)],
    ['Priority', t.priority],
    ['Team', team],
    ['Category', t.category],
    ['Type', t.type],
    ['Requester', who(t.requester)],
    ['Assignee', t.assignee ? who(t.assignee) : 'Unassigned'],
    ['Created', fmtDate(t.createdAt, p.zone)],
    ['First response', fmtDate(t.firstResponseAt, p.zone) || '—'],
    ['Resolved', fmtDate(t.resolvedAt, p.zone) || '—'],
    ...(p.agentView && t.tags.length ? [['Tags', t.tags.join(', ')] as [string, string]] : []),
    ...Object.entries(t.fields).map(([k, v]) => [k, String(v)] as [string, string]),
  ];
  const slaBlock = status
    ? `<dl class="sla-state"><dt>SLA</dt><dd class="sla ${esc(state)}" data-sla>${esc(slaLabel(state))}</dd>
       <dt>First response</dt><dd>${esc(status.firstResponse.phase)}${status.firstResponse.dueAt ? ` · due ${esc(fmtDate(status.firstResponse.dueAt, p.zone))}` : ''}</dd>
       <dt>Resolution</dt><dd>${esc(status.resolution.phase)}${status.resolution.dueAt ? ` · due ${esc(fmtDate(status.resolution.dueAt, p.zone))}` : ''}</dd></dl>`
    : '<p class="sla none" data-sla>No SLA</p>';
  const buttons = p.actions
    .filter((a) => (TICKET_BUTTONS as readonly string[]).includes(a.id) && a.id !== 'note')
    .map(
      (a) =>
        `<form method="post" action="/console/tickets/${esc(t.key)}/actions">${csrfField(p.viewer)}<input type="hidden" name="action" value="${esc(a.id)}"><button type="submit" class="${esc(a.style ?? '')}" data-action="${esc(a.id)}">${esc(a.label)}</button></form>`,
    )
    .join('');
  const entries = t.activity.filter((e) => p.agentView || isPublicEntry(e));
  const history = entries
    .map((e) => {
      const withText = p.agentView || e.action === 'requester_replied' || e.action === 'agent_replied';
      const change = e.from || e.to ? ` ${e.from ?? ''} → ${e.to ?? ''}` : '';
      return `<li class="${e.action === 'note' ? 'internal' : ''}"><time>${esc(fmtDate(e.at, p.zone))}</time> <b>${esc(e.action.replace(/_/g, ' '))}</b>${e.action === 'note' ? ' <span class="tag">internal</span>' : ''} · ${esc(e.actor.platform === 'system' ? 'chatdesk' : who(e.actor))}${esc(change)}${e.note && withText ? `<div class="text">${esc(e.note)}</div>` : ''}</li>`;
    })
    .join('');
  const noteForm = p.agentView
    ? `<form method="post" action="/console/tickets/${esc(t.key)}/notes" class="note-form">${csrfField(p.viewer)}<label>Internal note (agents only)<textarea name="text" maxlength="2000" required></textarea></label><button type="submit">Add note</button></form>`
    : '';
  const flash = p.flash ? `<p class="flash ${p.flash.ok ? 'ok' : 'error'}" role="status">${esc(p.flash.text)}</p>` : '';
  const body = `
<p><a href="/console/queue">← Queue</a></p>
<h1><span data-key>${esc(t.key)}</span> · ${esc(t.title)}</h1>
${flash}
<div class="ticket">
  <section><dl class="fields">${fields.map(([k, v]) => `<dt>${esc(k)}</dt><dd data-field="${esc(k)}">${esc(v)}</dd>`).join('')}</dl>${slaBlock}
  <div class="actions">${buttons}</div></section>
  <section><h2>Description</h2><p class="description">${esc(t.description || t.title)}</p>
  <h2>${p.agentView ? 'Conversation and audit trail' : 'Conversation'}</h2><ol class="history">${history}</ol>${noteForm}</section>
</div>`;
  return layout({ title: t.key, viewer: p.viewer, active: 'queue', body });
}
