import { PRIORITIES } from '../ai/classifier.port';
import type { DeskConfig } from '../config/desk-config.schema';
import type { SlaConfig } from '../domain/sla/policy';
import { TICKET_STATUSES, type Ticket } from '../domain/ticket/ticket';
import { type ConsoleLocale, pick, SLA_TEXT, STATUS_TEXT, type Texts } from './console-text';
import { csrfField, esc, fmtDate, layout, options, type Viewer } from './html';
import { PAGE_SIZE, QUEUE_SORTS, type QueueQuery, queueQueryString, SLA_STATES } from './queue-query';
import { type QueuePage, slaStateOf } from './queue-service';
import { type SavedView, VIEW_NAME_MAX } from './saved-views';

const TEXT: Texts<
  | 'search'
  | 'searchHint'
  | 'status'
  | 'anyStatus'
  | 'priority'
  | 'team'
  | 'allTeams'
  | 'assignee'
  | 'anyone'
  | 'me'
  | 'unassigned'
  | 'category'
  | 'anyCategory'
  | 'tag'
  | 'slaState'
  | 'anySla'
  | 'createdFrom'
  | 'updatedFrom'
  | 'to'
  | 'sort'
  | 'newest'
  | 'oldest'
  | 'byPriority'
  | 'updated'
  | 'apply'
  | 'views'
  | 'myOpen'
  | 'breaching'
  | 'dueSoon'
  | 'allTickets'
  | 'mine'
  | 'viewName'
  | 'nameFilters'
  | 'saveView'
  | 'deleteView'
  | 'deleteThis'
  | 'tickets'
  | 'oneTicket'
  | 'page'
  | 'newer'
  | 'more'
  | 'export'
  | 'closedSorted'
  | 'queue'
  | 'myRequests'
  | 'hTicket'
  | 'hTitle'
  | 'hStatus'
  | 'hPriority'
  | 'hTeam'
  | 'hCategory'
  | 'hAssignee'
  | 'hCreated'
  | 'noMatch'
> = {
  en: {
    search: 'Search',
    searchHint: 'Search words or T-1001',
    status: 'Status',
    anyStatus: 'Any status',
    priority: 'Priority',
    team: 'Team',
    allTeams: 'All my teams',
    assignee: 'Assignee',
    anyone: 'Anyone',
    me: 'Me',
    unassigned: 'Unassigned',
    category: 'Category',
    anyCategory: 'Any category',
    tag: 'Tag',
    slaState: 'SLA state',
    anySla: 'Any SLA state',
    createdFrom: 'Created from',
    updatedFrom: 'Updated from',
    to: 'to',
    sort: 'Sort',
    newest: 'Newest first',
    oldest: 'Oldest first',
    byPriority: 'Priority',
    updated: 'Recently updated',
    apply: 'Apply',
    views: 'Views:',
    myOpen: 'My open',
    breaching: 'Breaching',
    dueSoon: 'Due within 4 h',
    allTickets: 'All tickets',
    mine: 'Mine:',
    viewName: 'View name',
    nameFilters: 'Name these filters',
    saveView: 'Save view',
    deleteView: 'Delete view {name}',
    deleteThis: 'Delete this view',
    tickets: '{n} tickets',
    oneTicket: '1 ticket',
    page: 'page {n}',
    newer: '← Newer',
    more: 'More →',
    export: 'Export:',
    closedSorted: 'Views over closed tickets are sorted by creation date.',
    queue: 'Queue',
    myRequests: 'My requests',
    hTicket: 'Ticket',
    hTitle: 'Title',
    hStatus: 'Status',
    hPriority: 'Priority',
    hTeam: 'Team',
    hCategory: 'Category',
    hAssignee: 'Assignee',
    hCreated: 'Created',
    noMatch: 'No tickets match.',
  },
  zh: {
    search: '搜索',
    searchHint: '搜索词或 T-1001',
    status: '状态',
    anyStatus: '任意状态',
    priority: '优先级',
    team: '团队',
    allTeams: '我的全部团队',
    assignee: '处理人',
    anyone: '任何人',
    me: '我',
    unassigned: '未分配',
    category: '类别',
    anyCategory: '任意类别',
    tag: '标签',
    slaState: 'SLA 状态',
    anySla: '任意 SLA 状态',
    createdFrom: '创建于',
    updatedFrom: '更新于',
    to: '至',
    sort: '排序',
    newest: '最新优先',
    oldest: '最早优先',
    byPriority: '优先级',
    updated: '最近更新',
    apply: '应用',
    views: '视图：',
    myOpen: '我的未关闭',
    breaching: '已超时',
    dueSoon: '4 小时内到期',
    allTickets: '全部工单',
    mine: '我的视图：',
    viewName: '视图名称',
    nameFilters: '为这些筛选条件命名',
    saveView: '保存视图',
    deleteView: '删除视图 {name}',
    deleteThis: '删除此视图',
    tickets: '{n} 个工单',
    oneTicket: '1 个工单',
    page: '第 {n} 页',
    newer: '← 较新',
    more: '更多 →',
    export: '导出：',
    closedSorted: '包含已关闭工单的视图按创建时间排序。',
    queue: '工单队列',
    myRequests: '我的请求',
    hTicket: '工单',
    hTitle: '标题',
    hStatus: '状态',
    hPriority: '优先级',
    hTeam: '团队',
    hCategory: '类别',
    hAssignee: '处理人',
    hCreated: '创建时间',
    noMatch: '没有匹配的工单。',
  },
};
type Key = keyof (typeof TEXT)['en'];

export const statusLabel = (s: string, locale: ConsoleLocale = 'en'): string =>
  s in STATUS_TEXT.en ? pick(STATUS_TEXT, locale, s as keyof (typeof STATUS_TEXT)['en']) : s;
export const slaLabel = (s: string, locale: ConsoleLocale = 'en'): string =>
  s in SLA_TEXT.en ? pick(SLA_TEXT, locale, s as keyof (typeof SLA_TEXT)['en']) : s;

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
  const l = p.viewer.locale;
  const tx = (k: Key, params: Record<string, string | number> = {}) => esc(pick(TEXT, l, k, params));
  const agent = p.viewer.role !== 'requester';
  const statusValues = q.status.length === 0 ? ['any'] : q.status;
  const categories = [...new Set(p.desk.teams.flatMap((t) => t.categories))];
  const filters = `
<form class="filters" method="get" action="/console/queue" aria-label="Filters">
  <input type="search" name="q" value="${esc(p.raw.get('q') ?? '')}" placeholder="${tx('searchHint')}" aria-label="${tx('search')}">
  <select name="status" multiple size="4" aria-label="${tx('status')}">${options([{ value: 'any', label: pick(TEXT, l, 'anyStatus') }, ...TICKET_STATUSES.map((s) => ({ value: s, label: statusLabel(s, l) }))], statusValues)}</select>
  <select name="priority" multiple size="4" aria-label="${tx('priority')}">${options(PRIORITIES, q.priority)}</select>
  ${
    agent
      ? `<select name="team" aria-label="${tx('team')}">${options([{ value: '', label: pick(TEXT, l, 'allTeams') }, ...p.teams.map((t) => ({ value: t.id, label: t.name }))], [q.team ?? ''])}</select>
  <select name="assignee" aria-label="${tx('assignee')}">${options(
    [
      { value: '', label: pick(TEXT, l, 'anyone') },
      { value: 'me', label: pick(TEXT, l, 'me') },
      { value: 'none', label: pick(TEXT, l, 'unassigned') },
    ],
    [q.assignee ?? ''],
  )}</select>`
      : ''
  }
  <select name="category" aria-label="${tx('category')}">${options([{ value: '', label: pick(TEXT, l, 'anyCategory') }, ...categories], [q.category ?? ''])}</select>
  <input name="tag" value="${esc(q.tag ?? '')}" placeholder="${tx('tag')}" aria-label="${tx('tag')}" size="8">
  <select name="sla" aria-label="${tx('slaState')}">${options([{ value: '', label: pick(TEXT, l, 'anySla') }, ...SLA_STATES.map((s) => ({ value: s, label: slaLabel(s, l) }))], [q.sla ?? ''])}</select>
  <label>${tx('createdFrom')} <input type="date" name="from" value="${esc(q.createdFrom ?? '')}"></label>
  <label>to <input type="date" name="to" value="${esc(q.createdTo ?? '')}"></label>
  <label>${tx('updatedFrom')} <input type="date" name="ufrom" value="${esc(q.updatedFrom ?? '')}"></label>
  <label>to <input type="date" name="uto" value="${esc(q.updatedTo ?? '')}"></label>
  <select name="sort" aria-label="${tx('sort')}">${options(
    QUEUE_SORTS.map((s) => ({
      value: s,
      label: pick(TEXT, l, ({ newest: 'newest', oldest: 'oldest', priority: 'byPriority', updated: 'updated' } as const)[s]),
    })),
    [q.sort],
  )}</select>
  <button type="submit">${tx('apply')}</button>
</form>
<div class="views">${tx('views')}
  <a href="/console/queue?assignee=me&amp;sort=priority">${tx('myOpen')}</a> ·
  <a href="/console/queue?sla=breached&amp;sort=priority">${tx('breaching')}</a> ·
  <a href="/console/queue?sla=due_soon&amp;sort=priority">${tx('dueSoon')}</a> ·
  <a href="/console/queue?status=any">${tx('allTickets')}</a>${savedViews(p)}
</div>
<form class="save-view" method="post" action="/console/views">${csrfField(p.viewer)}<input type="hidden" name="query" value="${esc(queueQueryString(q, p.raw))}"><input name="name" maxlength="${VIEW_NAME_MAX}" placeholder="${tx('nameFilters')}" aria-label="${tx('viewName')}" required><button type="submit">${tx('saveView')}</button></form>`;
  const rows = p.result.tickets.map((t) => row(t, p)).join('');
  const count =
    p.result.total !== undefined ? pick(TEXT, l, p.result.total === 1 ? 'oneTicket' : 'tickets', { n: p.result.total }) : pick(TEXT, l, 'page', { n: q.page });
  const prev = q.page > 1 ? `<a rel="prev" href="/console/queue?${esc(queueQueryString(q, p.raw, { page: String(q.page - 1) }))}">${tx('newer')}</a>` : '';
  const next = p.result.more ? `<a rel="next" href="/console/queue?${esc(queueQueryString(q, p.raw, { page: String(q.page + 1) }))}">${tx('more')}</a>` : '';
  const exportQs = esc(queueQueryString(q, p.raw));
  const sortNote = p.result.sort !== q.sort ? `<p class="note">${tx('closedSorted')}</p>` : '';
  const flash = p.flash ? `<p class="flash ${p.flash.ok ? 'ok' : 'error'}" role="status">${esc(p.flash.text)}</p>` : '';
  const body = `
<h1>${tx(agent ? 'queue' : 'myRequests')}</h1>${flash}
${filters}
<div class="bar"><span data-count>${esc(count)}</span><span class="exports">${tx('export')} <a href="/console/export.csv?${exportQs}" download>CSV</a> · <a href="/console/export.json?${exportQs}" download>JSON</a></span></div>
${sortNote}
<table class="queue"><thead><tr><th>${tx('hTicket')}</th><th>${tx('hTitle')}</th><th>${tx('hStatus')}</th><th>${tx('hPriority')}</th><th>${tx('hTeam')}</th><th>${tx('hCategory')}</th><th>${tx('hAssignee')}</th><th>SLA</th><th>${tx('hCreated')}</th></tr></thead>
<tbody>${rows || `<tr><td colspan="9" class="empty">${tx('noMatch')}</td></tr>`}</tbody></table>
<p class="pages">${prev} ${next}</p>`;
  return layout({ title: pick(TEXT, l, agent ? 'queue' : 'myRequests'), viewer: p.viewer, active: 'queue', body });
}

/** The person's own views: a link each, and a button that deletes it. */
function savedViews(p: QueuePageInput): string {
  if (p.views.length === 0) return '';
  const items = p.views.map(
    (v) =>
      `<span class="saved" data-view="${esc(v.name)}"><a href="/console/queue?${esc(v.query)}">${esc(v.name)}</a><form method="post" action="/console/views/${esc(v.id)}/delete">${csrfField(p.viewer)}<button type="submit" class="link" aria-label="${esc(pick(TEXT, p.viewer.locale, 'deleteView', { name: v.name }))}" title="${esc(pick(TEXT, p.viewer.locale, 'deleteThis'))}">×</button></form></span>`,
  );
  return ` · ${esc(pick(TEXT, p.viewer.locale, 'mine'))} ${items.join(' · ')}`;
}

function row(t: Ticket, p: QueuePageInput): string {
  const sla = slaStateOf(t, p.now, p.sla);
  const team = p.desk.teams.find((x) => x.id === t.team)?.name ?? t.team;
  return `<tr data-key="${esc(t.key)}"><td><a href="/console/tickets/${esc(t.key)}">${esc(t.key)}</a></td><td>${esc(t.title)}</td><td>${esc(statusLabel(t.status, p.viewer.locale))}</td><td class="prio ${esc(t.priority)}">${esc(t.priority)}</td><td>${esc(team)}</td><td>${esc(t.category)}</td><td>${esc(t.assignee ? (t.assignee.name ?? t.assignee.id) : '—')}</td><td class="sla ${esc(sla)}">${esc(slaLabel(sla, p.viewer.locale))}</td><td>${esc(fmtDate(t.createdAt, p.zone))}</td></tr>`;
}

export { PAGE_SIZE };
