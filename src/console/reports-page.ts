import { DateTime } from 'luxon';
import type { DeskConfig } from '../config/desk-config.schema';
import { pick, type Texts } from './console-text';
import { esc, fmtDate, layout, type Viewer } from './html';
import type { ModelFigures } from './model-figures';
import { DIMENSIONS, type Figures, RECENT_COMMENTS, type Report, type ReportRange } from './report-service';
import { chart } from './svg-chart';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TEXT: Texts<
  | 'team'
  | 'agent'
  | 'category'
  | 'priority'
  | 'channel'
  | 'by'
  | 'created'
  | 'resolved'
  | 'frtP50'
  | 'p90'
  | 'resP50'
  | 'slaMet'
  | 'breaches'
  | 'escalated'
  | 'csat'
  | 'noTickets'
  | 'title'
  | 'from'
  | 'to'
  | 'show'
  | 'data'
  | 'building'
  | 'note'
  | 'openNow'
  | 'frtP90'
  | 'resP90'
  | 'deflected'
  | 'recategorised'
  | 'ratings'
  | 'createdVsResolved'
  | 'backlogChart'
  | 'open'
  | 'timesByTeam'
  | 'csatRatings'
  | 'csatByTeam'
  | 'slaByTeam'
  | 'slaMetPct'
  | 'quality'
  | 'qualityNote'
  | 'given'
  | 'tickets'
  | 'share'
  | 'comments'
  | 'givenAt'
  | 'ticket'
  | 'rating'
  | 'comment'
  | 'noComments'
  | 'model'
  | 'categories'
  | 'builtIn'
  | 'teamsOwn'
  | 'trainedOn'
  | 'examples'
  | 'triageBelow'
  | 'confidence'
  | 'heldOutChosen'
  | 'deskSet'
  | 'default'
  | 'heldOutTickets'
  | 'accuracy'
  | 'weighted'
  | 'answered'
  | 'answeredText'
  | 'heldOut'
  | 'noHeldOut'
  | 'min'
  | 'hours'
> = {
  en: {
    team: 'Team',
    agent: 'Agent',
    category: 'Category',
    priority: 'Priority',
    channel: 'Channel',
    by: 'By {dim}',
    created: 'Created',
    resolved: 'Resolved',
    frtP50: 'First response p50',
    p90: 'p90',
    resP50: 'Resolution p50',
    slaMet: 'SLA met',
    breaches: 'Breaches',
    escalated: 'Escalated',
    csat: 'CSAT',
    noTickets: 'No tickets in this range.',
    title: 'Reports',
    from: 'From',
    to: 'to',
    show: 'Show',
    data: 'Data:',
    building: "The reports' summary is being built from the stored tickets (once, after an upgrade): these figures are incomplete until it is done.",
    note: "Times are wall-clock from the ticket's creation, read from fixed buckets (one minute wide below an hour, within 4.4% above); SLA compliance follows each team's business hours; CSAT counts the ratings given in the range (1-5), and the comments listed are the newest {n} added to ratings in it. Time zone {zone}.",
    openNow: 'Open now',
    frtP90: 'First response p90',
    resP90: 'Resolution p90',
    deflected: 'Solved at intake by an answer',
    recategorised: 'Recategorised by agents',
    ratings: 'Ratings',
    createdVsResolved: 'Created vs resolved per day',
    backlogChart: 'Backlog at the end of each day',
    open: 'Open',
    timesByTeam: 'First response and resolution p50 by team (minutes)',
    csatRatings: 'CSAT ratings (1-5)',
    csatByTeam: 'CSAT average by team',
    slaByTeam: 'SLA met by team (%)',
    slaMetPct: 'SLA met %',
    quality: 'Classifier quality',
    qualityNote: 'By the category the classifier gave a ticket created in the range: how many an agent moved to another category.',
    given: 'Category given',
    tickets: 'Tickets',
    share: 'Share',
    comments: 'Recent comments on ratings',
    givenAt: 'Given',
    ticket: 'Ticket',
    rating: 'Rating',
    comment: 'Comment',
    noComments: 'No comments on ratings in this range.',
    model: 'Offline classifier',
    categories: 'Categories',
    builtIn: 'built-in',
    teamsOwn: "the team's own",
    trainedOn: 'Trained on',
    examples: '{n} examples',
    triageBelow: 'Sent to triage below',
    confidence: '{n} confidence ({from})',
    heldOutChosen: 'chosen on held-out history',
    deskSet: 'set in the desk file',
    default: 'the default',
    heldOutTickets: 'Held-out tickets',
    accuracy: 'Accuracy / macro-F1',
    weighted: ' (class-weighted)',
    answered: 'Answered without triage',
    answeredText: '{coverage}, {precision} of them right (target {target})',
    heldOut: 'Held-out figures',
    noHeldOut: "none yet: import the team's labelled history to tune the model on it",
    min: '{n} min',
    hours: '{n} h',
  },
  zh: {
    team: '团队',
    agent: '客服',
    category: '类别',
    priority: '优先级',
    channel: '渠道',
    by: '按{dim}',
    created: '新建',
    resolved: '已解决',
    frtP50: '首次响应 p50',
    p90: 'p90',
    resP50: '解决时长 p50',
    slaMet: 'SLA 达成率',
    breaches: '超时',
    escalated: '升级',
    csat: '满意度',
    noTickets: '此时间范围内没有工单。',
    title: '报表',
    from: '从',
    to: '至',
    show: '查看',
    data: '数据：',
    building: '报表汇总正在根据已存储的工单生成（升级后一次）：完成前这些数字不完整。',
    note: '时长为自工单创建起的自然时间，按固定区间统计（一小时内每分钟一档，一小时以上误差不超过 4.4%）；SLA 达成率按各团队的工作时间计算；满意度统计此时间范围内给出的评分（1-5），列出的评价留言为其中最新的 {n} 条。时区 {zone}。',
    openNow: '当前未关闭',
    frtP90: '首次响应 p90',
    resP90: '解决时长 p90',
    deflected: '提交时被知识答案解决',
    recategorised: '被客服改类',
    ratings: '评分数',
    createdVsResolved: '每日新建与解决',
    backlogChart: '每日结束时的积压',
    open: '未关闭',
    timesByTeam: '各团队首次响应与解决时长 p50（分钟）',
    csatRatings: '满意度评分（1-5）',
    csatByTeam: '各团队平均满意度',
    slaByTeam: '各团队 SLA 达成率（%）',
    slaMetPct: 'SLA 达成率 %',
    quality: '分类器质量',
    qualityNote: '按分类器为此时间范围内新建工单给出的类别：其中有多少被客服改为其他类别。',
    given: '给出的类别',
    tickets: '工单数',
    share: '占比',
    comments: '最新评价留言',
    givenAt: '时间',
    ticket: '工单',
    rating: '评分',
    comment: '留言',
    noComments: '此时间范围内没有评价留言。',
    model: '离线分类器',
    categories: '类别数',
    builtIn: '内置',
    teamsOwn: '团队自定义',
    trainedOn: '训练数据',
    examples: '{n} 条样例',
    triageBelow: '低于此置信度转人工分诊',
    confidence: '{n}（{from}）',
    heldOutChosen: '根据留出的历史数据选定',
    deskSet: '在服务台配置文件中设定',
    default: '默认值',
    heldOutTickets: '留出测试工单',
    accuracy: '准确率 / macro-F1',
    weighted: '（按类别加权）',
    answered: '无需分诊即答',
    answeredText: '{coverage}，其中 {precision} 正确（目标 {target}）',
    heldOut: '留出测试结果',
    noHeldOut: '暂无：导入团队已标注的历史数据即可据此调优模型',
    min: '{n} 分钟',
    hours: '{n} 小时',
  },
};
type Key = keyof (typeof TEXT)['en'];
type Tx = (k: Key, params?: Record<string, string | number>) => string;
const DIM_KEY: Record<string, Key> = { team: 'team', agent: 'agent', category: 'category', priority: 'priority', channel: 'channel' };

/** The range asked (YYYY-MM-DD both included), else the last 7 days in the desk's time zone. */
export function parseReportRange(params: URLSearchParams, now: Date, zone: string): ReportRange {
  const today = DateTime.fromJSDate(now, { zone });
  const to = DATE.test(params.get('to') ?? '') ? params.get('to')! : today.toISODate()!;
  const from = DATE.test(params.get('from') ?? '') ? params.get('from')! : DateTime.fromISO(to, { zone }).minus({ days: 6 }).toISODate()!;
  return from <= to ? { from, to } : { from: to, to: from };
}

const mins = (v: number | null, tx: Tx) => (v === null ? '—' : v < 120 ? tx('min', { n: v }) : tx('hours', { n: Math.round(v / 6) / 10 }));
const pct = (v: number | null) => (v === null ? '—' : `${v}%`);

function kpi(id: string, label: string, value: string): string {
  return `<div class="kpi" data-kpi="${esc(id)}"><span>${esc(label)}</span><b>${esc(value)}</b></div>`;
}

/** `3 (12.5%)` of `of`, or — when there is nothing to count. */
const share = (n: number, of: number) => (of === 0 ? '—' : `${n} (${Math.round((1000 * n) / of) / 10}%)`);

/** The classifier's quality table: by the category it gave, how many an agent moved. */
function classifierTable(rows: Report['classifier'], tx: Tx): string {
  const body = rows
    .map(
      (x) =>
        `<tr data-row="${esc(x.key)}"><th>${esc(x.key)}</th><td>${x.classified}</td><td>${x.recategorised}</td><td>${esc(`${x.recategorisedPct}%`)}</td></tr>`,
    )
    .join('');
  return `<section class="by"><h2>${esc(tx('quality'))}</h2><p class="note">${esc(tx('qualityNote'))}</p><table data-by="classifier"><thead><tr><th>${esc(tx('given'))}</th><th>${esc(tx('tickets'))}</th><th>${esc(tx('recategorised'))}</th><th>${esc(tx('share'))}</th></tr></thead>
<tbody>${body || `<tr><td colspan="4" class="empty">${esc(tx('noTickets'))}</td></tr>`}</tbody></table></section>`;
}

/** The average score and how many ratings: `4.25 (8)`, or — without ratings. */
const csat = (f: Figures) => (f.csat.average === null ? '—' : `${f.csat.average} (${f.csat.n})`);

function row(key: string, f: Figures, tx: Tx): string {
  return `<tr data-row="${esc(key)}"><th>${esc(key)}</th><td>${f.created}</td><td>${f.resolved}</td><td>${esc(mins(f.firstResponse.p50, tx))}</td><td>${esc(mins(f.firstResponse.p90, tx))}</td><td>${esc(mins(f.resolution.p50, tx))}</td><td>${esc(mins(f.resolution.p90, tx))}</td><td>${esc(pct(f.slaCompliance))}</td><td>${f.breaches}</td><td>${f.escalated}</td><td data-csat>${esc(csat(f))}</td></tr>`;
}

/** The range's newest comments on ratings: requesters' words, escaped like every other value. */
function comments(r: Report, teamName: (id: string) => string, tx: Tx): string {
  const rows = r.comments
    .map(
      (c) =>
        `<tr data-comment="${esc(c.key)}"><td>${esc(fmtDate(c.at, r.zone))}</td><td><a href="/console/tickets/${esc(c.key)}">${esc(c.key)}</a></td><td>${esc(teamName(c.team))}</td><td>${c.score}/5</td><td class="text">${esc(c.text)}</td></tr>`,
    )
    .join('');
  return `<section class="comments"><h2>${esc(tx('comments'))}</h2><table data-comments><thead><tr><th>${esc(tx('givenAt'))}</th><th>${esc(tx('ticket'))}</th><th>${esc(tx('team'))}</th><th>${esc(tx('rating'))}</th><th>${esc(tx('comment'))}</th></tr></thead>
<tbody>${rows || `<tr><td colspan="5" class="empty">${esc(tx('noComments'))}</td></tr>`}</tbody></table></section>`;
}

/** The offline classifier: what it was trained on, its triage threshold, and its held-out figures when it was tuned. */
function modelSection(m: ModelFigures | undefined, tx: Tx): string {
  if (!m) return '';
  const p1 = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const facts = [
    [tx('categories'), `${m.categories} (${tx(m.taxonomy === 'seed' ? 'builtIn' : 'teamsOwn')})`],
    [tx('trainedOn'), `${tx('examples', { n: m.examples })}${m.trainedAt ? `, ${m.trainedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}`],
    [
      tx('triageBelow'),
      tx('confidence', { n: m.abstainBelow, from: tx(m.abstainFrom === 'held-out' ? 'heldOutChosen' : m.abstainFrom === 'desk' ? 'deskSet' : 'default') }),
    ],
    ...(m.heldOut
      ? [
          [tx('heldOutTickets'), String(m.heldOut.n)],
          [tx('accuracy'), `${p1(m.heldOut.accuracy)} / ${p1(m.heldOut.macroF1)}${m.heldOut.balanced ? tx('weighted') : ''}`],
          [
            tx('answered'),
            tx('answeredText', { coverage: p1(m.heldOut.coverage), precision: p1(m.heldOut.answeredPrecision), target: p1(m.heldOut.targetPrecision) }),
          ],
        ]
      : [[tx('heldOut'), tx('noHeldOut')]]),
  ];
  return `<section class="by" data-model><h2>${esc(tx('model'))}</h2><table><tbody>${facts.map(([k, v]) => `<tr><th>${esc(k!)}</th><td>${esc(v!)}</td></tr>`).join('')}</tbody></table></section>`;
}

export function reportsPage(p: { viewer: Viewer; report: Report; range: ReportRange; desk: DeskConfig; model?: ModelFigures }): string {
  const r = p.report;
  const t = r.totals;
  const tx: Tx = (k, params = {}) => pick(TEXT, p.viewer.locale, k, params);
  const labels = r.days.map((d) => d.date.slice(5));
  const teamName = (id: string) => p.desk.teams.find((x) => x.id === id)?.name ?? id;
  const tables = DIMENSIONS.map(
    (
      dim,
    ) => `<section class="by"><h2>${esc(tx('by', { dim: p.viewer.locale === 'zh' ? tx(DIM_KEY[dim]!) : tx(DIM_KEY[dim]!).toLowerCase() }))}</h2><table data-by="${dim}"><thead><tr><th>${esc(tx(DIM_KEY[dim]!))}</th>${(['created', 'resolved', 'frtP50', 'p90', 'resP50', 'p90', 'slaMet', 'breaches', 'escalated', 'csat'] as const).map((k) => `<th>${esc(tx(k))}</th>`).join('')}</tr></thead>
<tbody>${r.by[dim].map((x) => row(dim === 'team' ? teamName(x.key) : x.key, x, tx)).join('') || `<tr><td colspan="11" class="empty">${esc(tx('noTickets'))}</td></tr>`}</tbody></table></section>`,
  ).join('');
  const teams = r.by.team;
  const qs = `from=${encodeURIComponent(p.range.from)}&to=${encodeURIComponent(p.range.to)}`;
  const body = `
<h1>${esc(tx('title'))}</h1>
<form class="filters" method="get" action="/console/reports"><label>${esc(tx('from'))} <input type="date" name="from" value="${esc(p.range.from)}"></label><label>${esc(tx('to'))} <input type="date" name="to" value="${esc(p.range.to)}"></label><button type="submit">${esc(tx('show'))}</button>
<span class="exports">${esc(tx('data'))} <a href="/console/reports.csv?${esc(qs)}" download>CSV</a> · <a href="/console/reports.json?${esc(qs)}" download>JSON</a></span></form>
${r.building ? `<p class="note" data-building>${esc(tx('building'))}</p>\n` : ''}<p class="note">${esc(tx('note', { n: RECENT_COMMENTS, zone: r.zone }))}</p>
<div class="kpis">${kpi('created', tx('created'), String(t.created))}${kpi('resolved', tx('resolved'), String(t.resolved))}${kpi('backlog', tx('openNow'), String(t.backlogNow))}${kpi('frt-p50', tx('frtP50'), mins(t.firstResponse.p50, tx))}${kpi('frt-p90', tx('frtP90'), mins(t.firstResponse.p90, tx))}${kpi('res-p50', tx('resP50'), mins(t.resolution.p50, tx))}${kpi('res-p90', tx('resP90'), mins(t.resolution.p90, tx))}${kpi('sla', tx('slaMet'), pct(t.slaCompliance))}${kpi('breaches', tx('breaches'), String(t.breaches))}${kpi('escalated', tx('escalated'), String(t.escalated))}${kpi('deflected', tx('deflected'), share(t.deflected, t.created))}${kpi('recategorised', tx('recategorised'), share(t.recategorised, t.created))}${kpi('csat', tx('csat'), t.csat.average === null ? '—' : `${t.csat.average} / 5`)}${kpi('csat-n', tx('ratings'), String(t.csat.n))}</div>
${chart({
  id: 'created-resolved',
  title: tx('createdVsResolved'),
  kind: 'bar',
  labels,
  series: [
    { id: 'Created', name: tx('created'), cls: 's1', values: r.days.map((d) => d.created) },
    { id: 'Resolved', name: tx('resolved'), cls: 's2', values: r.days.map((d) => d.resolved) },
  ],
})}
${chart({ id: 'backlog', title: tx('backlogChart'), kind: 'line', labels, series: [{ id: 'Open', name: tx('open'), cls: 's3', values: r.days.map((d) => d.backlog) }] })}
${chart({
  id: 'times-by-team',
  title: tx('timesByTeam'),
  kind: 'bar',
  unit: 'min',
  labels: teams.map((x) => teamName(x.key)),
  series: [
    { id: 'First response p50', name: tx('frtP50'), cls: 's1', values: teams.map((x) => x.firstResponse.p50 ?? 0) },
    { id: 'Resolution p50', name: tx('resP50'), cls: 's2', values: teams.map((x) => x.resolution.p50 ?? 0) },
  ],
})}
${chart({
  id: 'csat-distribution',
  title: tx('csatRatings'),
  kind: 'bar',
  labels: ['1', '2', '3', '4', '5'],
  series: [{ id: 'Ratings', name: tx('ratings'), cls: 's1', values: t.csat.distribution }],
})}
${chart({ id: 'csat-by-team', title: tx('csatByTeam'), kind: 'bar', labels: teams.map((x) => teamName(x.key)), series: [{ id: 'CSAT', name: tx('csat'), cls: 's2', values: teams.map((x) => x.csat.average ?? 0) }] })}
${chart({ id: 'sla-by-team', title: tx('slaByTeam'), kind: 'bar', unit: '%', labels: teams.map((x) => teamName(x.key)), series: [{ id: 'SLA met %', name: tx('slaMetPct'), cls: 's2', values: teams.map((x) => x.slaCompliance ?? 0) }] })}
${comments(r, teamName, tx)}
${tables}
${classifierTable(r.classifier, tx)}
${modelSection(p.model, tx)}`;
  return layout({ title: tx('title'), viewer: p.viewer, active: 'reports', body });
}
