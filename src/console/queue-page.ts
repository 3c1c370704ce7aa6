import { PRIORITIES } from '../ai/classifier.port';
import type { DeskConfig } from '../config/desk-config.schema';
import type { SlaConfig } from '../domain/sla/policy';
import { TICKET_STATUSES, type Ticket } from '../domain/ticket/ticket';
import { csrfField, esc, fmtDate, layout, options, type Viewer } from './html';
import { PAGE_SIZE, QUEUE_SORTS, type QueueQuery, queueQueryString, SLA_STATES } from './queue-query';
import { type QueuePage, slaStateOf } from './queue-service';
import { type SavedView, VIEW_NAME_MAX } from './saved-views';

const STATUS_LABEL: Record<string, string> = {
  new: 'New',
  triaged: 'Triaged',
  in_progress: 'In progress',
  waiting_on_requester: 'Waiting on requester',
  resolved: 'Resolved',
  closed: 'Closed',
};
const SLA_LABEL: Record<string, string> = { breached: 'Breached', due_soon: 'Due within 4 h', on_track: 'On track', none: 'No SLA' };
export const statusLabel = (s: string): string => STATUS_LABEL[s] ?? s;
export const slaLabel = (s: string): string => SLA_LABEL[s] ?? s;

export interface QueuePageInput {
  viewer: Viewer;
  desk: DeskConfig;
  sla: SlaConfig;
  zone: string;
  query: QueueQuery;
  raw: URLSearchParams;
  result: QueuePage;
  now: Date;
  /** The teams this person may filter by (none for a requester). */
  teams: Array<{ id: string; name: string }>;
  /** The views this person saved. */
  views: SavedView[];
  flash?: { ok: boolean; text: string };
}

export function queuePage(p: QueuePageInput): string {
  const q = p.query;
  const agent = p.viewer.role !== 'requester';
  const statusValues = q.status.length === 0 ? ['any'] : q.status;
  const categories = [...new Set(p.desk.teams.flatMap((t) => t.categories))];
  const filters = `
<form class="filters" method="get" action="/console/queue" aria-label="Filters">
  <input type="search" name="q" value="${esc(p.raw.get('q') ?? '')}" placeholder="Search words or T-1001" aria-label="Search">
  <select name="status" multiple size="4" aria-label="Status">${options([{ value: 'any', label: 'Any status' }, ...TICKET_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))], statusValues)}</select>
  <select name="priority" multiple size="4" aria-label="Priority">${options(PRIORITIES, q.priority)}</select>
  ${
    agent
      ? `<select name="team" aria-label="Team">${options([{ value: '', label: 'All my teams' }, ...p.teams.map((t) => ({ value: t.id, label: t.name }))], [q.team ?? ''])}</select>
  <select name="assignee" aria-label="Assignee">${options(
    [
      { value: '', label: 'Anyone' },
      { value: 'me', label: 'Me' },
      { value: 'none', label: 'Unassigned' },
    ],
    [q.assignee ?? ''],
  )}</select>`
      : ''
  }
  <select name="category" aria-label="Category">${options([{ value: '', label: 'Any category' }, ...categories], [q.category ?? ''])}</select>
  <input name="tag" value="${esc(q.tag ?? '')}" placeholder="Tag" aria-label="Tag" size="8">
  <select name="sla" aria-label="SLA state">${options([{ value: '', label: 'Any SLA state' }, ...SLA_STATES.map((s) => ({ value: s, label: slaLabel(s) }))], [q.sla ?? ''])}</select>
  <label>Created from <input type="date" name="from" value="${esc(q.createdFrom ?? '')}"></label>
  <label>to <input type="date" name="to" value="${esc(q.createdTo ?? '')}"></label>
  <label>Updated from <input type="date" name="ufrom" value="${esc(q.updatedFrom ?? '')}"></label>
  <label>to <input type="date" name="uto" value="${esc(q.updatedTo ?? '')}"></label>
  <select name="sort" aria-label="Sort">${options(
    QUEUE_SORTS.map((s) => ({ value: s, label: { newest: 'Newest first', oldest: 'Oldest first', priority: 'Priority', updated: 'Recently updated' }[s] })),
    [q.sort],
  )}</select>
  <button type="submit">Apply</button>
</form>
<div class="views">Views:
  <a href="/console/queue?assignee=me&amp;sort=priority">My open</a> ·
  <a href="/console/queue?sla=breached&amp;sort=priority">Breaching</a> ·
  <a href="/console/queue?sla=due_soon&amp;sort=priority">Due within 4 h</a> ·
  <a href="/console/queue?status=any">All tickets</a>${savedViews(p)}
</div>
<form class="save-view" method="post" action="/console/views">${csrfField(p.viewer)}<input type="hidden" name="query" value="${esc(queueQueryString(q, p.raw))}"><input name="name" maxlength="${VIEW_NAME_MAX}" placeholder="Name these filters" aria-label="View name" required><button type="submit">Save view</button></form>`;
  const rows = p.result.tickets.map((t) => row(t, p)).join('');
  const count = p.result.total !== undefined ? `${p.result.total} ticket${p.result.total === 1 ? '' : 's'}` : `page ${q.page}`;
  const prev = q.page > 1 ? `<a rel="prev" href="/console/queue?${esc(queueQueryString(q, p.raw, { page: String(q.page - 1) }))}">← Newer</a>` : '';
  const next = p.result.more ? `<a rel="next" href="/console/queue?${esc(queueQueryString(q, p.raw, { page: String(q.page + 1) }))}">More →</a>` : '';
  const exportQs = esc(queueQueryString(q, p.raw));
  const sortNote = p.result.sort !== q.sort ? `<p class="note">Views over closed tickets are sorted by creation date.</p>` : '';
  const flash = p.flash ? `<p class="flash ${p.flash.ok ? 'ok' : 'error'}" role="status">${esc(p.flash.text)}</p>` : '';
  const body = `
<h1>${agent ? 'Queue' : 'My requests'}</h1>${flash}
${filters}
<div class="bar"><span data-count>${esc(count)}</span><span class="exports">Export: <a href="/console/export.csv?${exportQs}" download>CSV</a> · <a href="/console/export.json?${exportQs}" download>JSON</a></span></div>
${sortNote}
<table class="queue"><thead><tr><th>Ticket</th><th>Title</th><th>Status</th><th>Priority</th><th>Team</th><th>Category</th><th>Assignee</th><th>SLA</th><th>Created</th></tr></thead>
<tbody>${rows || `<tr><td colspan="9" class="empty">No tickets match.</td></tr>`}</tbody></table>
<p class="pages">${prev} ${next}</p>`;
  return layout({ title: agent ? 'Queue' : 'My requests', viewer: p.viewer, active: 'queue', body });
}

/** The person's own views: a link each, and a button that deletes it. */
function savedViews(p: QueuePageInput): string {
  if (p.views.length === 0) return '';
  const items = p.views.map(
    (v) =>
      `<span class="saved" data-view="${esc(v.name)}"><a href="/console/queue?${esc(v.query)}">${esc(v.name)}</a><form method="post" action="/console/views/${esc(v.id)}/delete">${csrfField(p.viewer)}<button type="submit" class="link" aria-label="Delete view ${esc(v.name)}" title="Delete this view">×</button></form></span>`,
  );
  return ` · Mine: ${items.join(' · ')}`;
}

function row(t: Ticket, p: QueuePageInput): string {
  const sla = slaStateOf(t, p.now, p.sla);
  const team = p.desk.teams.find((x) => x.id === t.team)?.name ?? t.team;
  return `<tr data-key="${esc(t.key)}"><td><a href="/console/tickets/${esc(t.key)}">${esc(t.key)}</a></td><td>${esc(t.title)}</td><td>${esc(statusLabel(t.status))}</td><td class="prio ${esc(t.priority)}">${esc(t.priority)}</td><td>${esc(team)}</td><td>${esc(t.category)}</td><td>${esc(t.assignee ? (t.assignee.name ?? t.assignee.id) : '—')}</td><td class="sla ${esc(sla)}">${esc(slaLabel(sla))}</td><td>${esc(fmtDate(t.createdAt, p.zone))}</td></tr>`;
}

export { PAGE_SIZE };
