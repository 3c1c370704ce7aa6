import type { DeskConfig } from '../config/desk-config.schema';
import type { CallbackAction } from '../core/cards/card';
import { TICKET_BUTTONS } from '../core/card-buttons';
import { isPublicEntry } from '../core/ticket-history';
import type { SlaConfig } from '../domain/sla/policy';
import { ticketSlaStatus } from '../domain/sla/ticket-sla';
import type { Ticket } from '../domain/ticket/ticket';
import { pick, type Texts } from './console-text';
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

const TEXT: Texts<
  | 'Status'
  | 'Priority'
  | 'Team'
  | 'Category'
  | 'Type'
  | 'Requester'
  | 'Assignee'
  | 'Created'
  | 'First response'
  | 'Resolved'
  | 'Tags'
  | 'unassigned'
  | 'resolution'
  | 'due'
  | 'noSla'
  | 'internal'
  | 'noteLabel'
  | 'addNote'
  | 'back'
  | 'description'
  | 'conversationAudit'
  | 'conversation'
  | 'running'
  | 'breached'
  | 'paused'
  | 'met'
  | 'missed'
> = {
  en: {
    Status: 'Status',
    Priority: 'Priority',
    Team: 'Team',
    Category: 'Category',
    Type: 'Type',
    Requester: 'Requester',
    Assignee: 'Assignee',
    Created: 'Created',
    'First response': 'First response',
    Resolved: 'Resolved',
    Tags: 'Tags',
    unassigned: 'Unassigned',
    resolution: 'Resolution',
    due: 'due {at}',
    noSla: 'No SLA',
    internal: 'internal',
    noteLabel: 'Internal note (agents only)',
    addNote: 'Add note',
    back: '← Queue',
    description: 'Description',
    conversationAudit: 'Conversation and audit trail',
    conversation: 'Conversation',
    running: 'running',
    breached: 'breached',
    paused: 'paused',
    met: 'met',
    missed: 'missed',
  },
  zh: {
    Status: '状态',
    Priority: '优先级',
    Team: '团队',
    Category: '类别',
    Type: '类型',
    Requester: '提交人',
    Assignee: '处理人',
    Created: '创建时间',
    'First response': '首次响应',
    Resolved: '解决时间',
    Tags: '标签',
    unassigned: '未分配',
    resolution: '解决',
    due: '截止 {at}',
    noSla: '无 SLA',
    internal: '内部',
    noteLabel: '内部备注（仅客服可见）',
    addNote: '添加备注',
    back: '← 工单队列',
    description: '描述',
    conversationAudit: '对话与审计记录',
    conversation: '对话',
    running: '计时中',
    breached: '已超时',
    paused: '已暂停',
    met: '已达成',
    missed: '未达成',
  },
};
type Key = keyof (typeof TEXT)['en'];

const who = (u: { name?: string; id: string; platform: string }) => `${u.name ?? u.id} (${u.platform})`;

export function ticketPage(p: TicketPageInput): string {
  const t = p.ticket;
  const l = p.viewer.locale;
  const tx = (k: Key, params: Record<string, string> = {}) => pick(TEXT, l, k, params);
  const phase = (x: string) => (x in TEXT.en ? tx(x as Key) : x);
  const status = ticketSlaStatus(t, p.now, p.sla, 'en');
  const state = slaStateOf(t, p.now, p.sla);
  const team = p.desk.teams.find((x) => x.id === t.team)?.name ?? t.team;
  const fields: Array<[string, string]> = [
    ['Status', statusLabel(t.status, l)],
    ['Priority', t.priority],
    ['Team', team],
    ['Category', t.category],
    ['Type', t.type],
    ['Requester', who(t.requester)],
    ['Assignee', t.assignee ? who(t.assignee) : tx('unassigned')],
    ['Created', fmtDate(t.createdAt, p.zone)],
    ['First response', fmtDate(t.firstResponseAt, p.zone) || '—'],
    ['Resolved', fmtDate(t.resolvedAt, p.zone) || '—'],
    ...(p.agentView && t.tags.length ? [['Tags', t.tags.join(', ')] as [string, string]] : []),
    ...Object.entries(t.fields).map(([k, v]) => [k, String(v)] as [string, string]),
  ];
  const slaBlock = status
    ? `<dl class="sla-state"><dt>SLA</dt><dd class="sla ${esc(state)}" data-sla>${esc(slaLabel(state, l))}</dd>
       <dt>${esc(tx('First response'))}</dt><dd>${esc(phase(status.firstResponse.phase))}${status.firstResponse.dueAt ? ` · ${esc(tx('due', { at: fmtDate(status.firstResponse.dueAt, p.zone) }))}` : ''}</dd>
       <dt>${esc(tx('resolution'))}</dt><dd>${esc(phase(status.resolution.phase))}${status.resolution.dueAt ? ` · ${esc(tx('due', { at: fmtDate(status.resolution.dueAt, p.zone) }))}` : ''}</dd></dl>`
    : `<p class="sla none" data-sla>${esc(tx('noSla'))}</p>`;
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
      return `<li class="${e.action === 'note' ? 'internal' : ''}"><time>${esc(fmtDate(e.at, p.zone))}</time> <b>${esc(e.action.replace(/_/g, ' '))}</b>${e.action === 'note' ? ` <span class="tag">${esc(tx('internal'))}</span>` : ''} · ${esc(e.actor.platform === 'system' ? 'chatdesk' : who(e.actor))}${esc(change)}${e.note && withText ? `<div class="text">${esc(e.note)}</div>` : ''}</li>`;
    })
    .join('');
  const noteForm = p.agentView
    ? `<form method="post" action="/console/tickets/${esc(t.key)}/notes" class="note-form">${csrfField(p.viewer)}<label>${esc(tx('noteLabel'))}<textarea name="text" maxlength="2000" required></textarea></label><button type="submit">${esc(tx('addNote'))}</button></form>`
    : '';
  const flash = p.flash ? `<p class="flash ${p.flash.ok ? 'ok' : 'error'}" role="status">${esc(p.flash.text)}</p>` : '';
  const body = `
<p><a href="/console/queue">${esc(tx('back'))}</a></p>
<h1><span data-key>${esc(t.key)}</span> · ${esc(t.title)}</h1>
${flash}
<div class="ticket">
  <section><dl class="fields">${fields.map(([k, v]) => `<dt>${esc(k in TEXT.en ? tx(k as Key) : k)}</dt><dd data-field="${esc(k)}">${esc(v)}</dd>`).join('')}</dl>${slaBlock}
  <div class="actions">${buttons}</div></section>
  <section><h2>${esc(tx('description'))}</h2><p class="description">${esc(t.description || t.title)}</p>
  <h2>${esc(tx(p.agentView ? 'conversationAudit' : 'conversation'))}</h2><ol class="history">${history}</ol>${noteForm}</section>
</div>`;
  return layout({ title: t.key, viewer: p.viewer, active: 'queue', body });
}
