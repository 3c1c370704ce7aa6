import { DateTime } from 'luxon';
import type { DeskConfig } from '../config/desk-config.schema';
import { esc, fmtDate, layout, type Viewer } from './html';
import type { ModelFigures } from './model-figures';
import { DIMENSIONS, type Figures, RECENT_COMMENTS, type Report, type ReportRange } from './report-service';
import { chart } from './svg-chart';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DIM_LABEL: Record<string, string> = { team: 'Team', agent: 'Agent', category: 'Category', priority: 'Priority', channel: 'Channel' };

/** The range asked (YYYY-MM-DD both included), else the last 7 days in the desk's time zone. */
export function parseReportRange(params: URLSearchParams, now: Date, zone: string): ReportRange {
  const today = DateTime.fromJSDate(now, { zone });
  const to = DATE.test(params.get('to') ?? '') ? params.get('to')! : today.toISODate()!;
  const from = DATE.test(params.get('from') ?? '') ? params.get('from')! : DateTime.fromISO(to, { zone }).minus({ days: 6 }).toISODate()!;
  return from <= to ? { from, to } : { from: to, to: from };
}

const mins = (v: number | null) => (v === null ? '—' : v < 120 ? `${v} min` : `${Math.round(v / 6) / 10} h`);
const pct = (v: number | null) => (v === null ? '—' : `${v}%`);

function kpi(id: string, label: string, value: string): string {
  return `<div class="kpi" data-kpi="${esc(id)}"><span>${esc(label)}</span><b>${esc(value)}</b></div>`;
}

/** `3 (12.5%)` of `of`, or — when there is nothing to count. */
const share = (n: number, of: number) => (of === 0 ? '—' : `${n} (${Math.round((1000 * n) / of) / 10}%)`);

/** The classifier's quality table: by the category it gave, how many an agent moved. */
function classifierTable(rows: Report['classifier']): string {
  const body = rows
    .map(
      (x) =>
        `<tr data-row="${esc(x.key)}"><th>${esc(x.key)}</th><td>${x.classified}</td><td>${x.recategorised}</td><td>${esc(`${x.recategorisedPct}%`)}</td></tr>`,
    )
    .join('');
  return `<section class="by"><h2>Classifier quality</h2><p class="note">By the category the classifier gave a ticket created in the range: how many an agent moved to another category.</p><table data-by="classifier"><thead><tr><th>Category given</th><th>Tickets</th><th>Recategorised</th><th>Share</th></tr></thead>
<tbody>${body || '<tr><td colspan="4" class="empty">No tickets in this range.</td></tr>'}</tbody></table></section>`;
}

/** The average score and how many ratings: `4.25 (8)`, or — without ratings. */
const csat = (f: Figures) => (f.csat.average === null ? '—' : `${f.csat.average} (${f.csat.n})`);

function row(key: string, f: Figures): string {
  return `<tr data-row="${esc(key)}"><th>${esc(key)}</th><td>${f.created}</td><td>${f.resolved}</td><td>${esc(mins(f.firstResponse.p50))}</td><td>${esc(mins(f.firstResponse.p90))}</td><td>${esc(mins(f.resolution.p50))}</td><td>${esc(mins(f.resolution.p90))}</td><td>${esc(pct(f.slaCompliance))}</td><td>${f.breaches}</td><td>${f.escalated}</td><td data-csat>${esc(csat(f))}</td></tr>`;
}

/** The range's newest comments on ratings: requesters' words, escaped like every other value. */
function comments(r: Report, teamName: (id: string) => string): string {
  const rows = r.comments
    .map(
      (c) =>
        `<tr data-comment="${esc(c.key)}"><td>${esc(fmtDate(c.at, r.zone))}</td><td><a href="/console/tickets/${esc(c.key)}">${esc(c.key)}</a></td><td>${esc(teamName(c.team))}</td><td>${c.score}/5</td><td class="text">${esc(c.text)}</td></tr>`,
    )
    .join('');
  return `<section class="comments"><h2>Recent comments on ratings</h2><table data-comments><thead><tr><th>Given</th><th>Ticket</th><th>Team</th><th>Rating</th><th>Comment</th></tr></thead>
<tbody>${rows || '<tr><td colspan="5" class="empty">No comments on ratings in this range.</td></tr>'}</tbody></table></section>`;
}

/** The offline classifier: what it was trained on, its triage threshold, and its held-out figures when it was tuned. */
function modelSection(m: ModelFigures | undefined): string {
  if (!m) return '';
  const p1 = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const facts = [
    ['Categories', `${m.categories} (${m.taxonomy === 'seed' ? 'built-in' : "the team's own"})`],
    ['Trained on', `${m.examples} examples${m.trainedAt ? `, ${m.trainedAt.slice(0, 16).replace('T', ' ')} UTC` : ''}`],
    [
      'Sent to triage below',
      `${m.abstainBelow} confidence (${m.abstainFrom === 'held-out' ? 'chosen on held-out history' : m.abstainFrom === 'desk' ? 'set in the desk file' : 'the default'})`,
    ],
    ...(m.heldOut
      ? [
          ['Held-out tickets', String(m.heldOut.n)],
          ['Accuracy / macro-F1', `${p1(m.heldOut.accuracy)} / ${p1(m.heldOut.macroF1)}${m.heldOut.balanced ? ' (class-weighted)' : ''}`],
          ['Answered without triage', `${p1(m.heldOut.coverage)}, ${p1(m.heldOut.answeredPrecision)} of them right (target ${p1(m.heldOut.targetPrecision)})`],
        ]
      : [['Held-out figures', "none yet: import the team's labelled history to tune the model on it"]]),
  ];
  return `<section class="by" data-model><h2>Offline classifier</h2><table><tbody>${facts.map(([k, v]) => `<tr><th>${esc(k!)}</th><td>${esc(v!)}</td></tr>`).join('')}</tbody></table></section>`;
}

export function reportsPage(p: { viewer: Viewer; report: Report; range: ReportRange; desk: DeskConfig; model?: ModelFigures }): string {
  const r = p.report;
  const t = r.totals;
  const labels = r.days.map((d) => d.date.slice(5));
  const teamName = (id: string) => p.desk.teams.find((x) => x.id === id)?.name ?? id;
  const tables = DIMENSIONS.map(
    (
      dim,
    ) => `<section class="by"><h2>By ${esc(DIM_LABEL[dim]!.toLowerCase())}</h2><table data-by="${dim}"><thead><tr><th>${esc(DIM_LABEL[dim])}</th><th>Created</th><th>Resolved</th><th>First response p50</th><th>p90</th><th>Resolution p50</th><th>p90</th><th>SLA met</th><th>Breaches</th><th>Escalated</th><th>CSAT</th></tr></thead>
<tbody>${r.by[dim].map((x) => row(dim === 'team' ? teamName(x.key) : x.key, x)).join('') || '<tr><td colspan="11" class="empty">No tickets in this range.</td></tr>'}</tbody></table></section>`,
  ).join('');
  const teams = r.by.team;
  const qs = `from=${encodeURIComponent(p.range.from)}&to=${encodeURIComponent(p.range.to)}`;
  const body = `
<h1>Reports</h1>
<form class="filters" method="get" action="/console/reports"><label>From <input type="date" name="from" value="${esc(p.range.from)}"></label><label>to <input type="date" name="to" value="${esc(p.range.to)}"></label><button type="submit">Show</button>
<span class="exports">Data: <a href="/console/reports.csv?${esc(qs)}" download>CSV</a> · <a href="/console/reports.json?${esc(qs)}" download>JSON</a></span></form>
${r.building ? '<p class="note" data-building>The reports\' summary is being built from the stored tickets (once, after an upgrade): these figures are incomplete until it is done.</p>\n' : ''}<p class="note">Times are wall-clock from the ticket's creation, read from fixed buckets (one minute wide below an hour, within 4.4% above); SLA compliance follows each team's business hours; CSAT counts the ratings given in the range (1-5), and the comments listed are the newest ${RECENT_COMMENTS} added to ratings in it. Time zone ${esc(r.zone)}.</p>
<div class="kpis">${kpi('created', 'Created', String(t.created))}${kpi('resolved', 'Resolved', String(t.resolved))}${kpi('backlog', 'Open now', String(t.backlogNow))}${kpi('frt-p50', 'First response p50', mins(t.firstResponse.p50))}${kpi('frt-p90', 'First response p90', mins(t.firstResponse.p90))}${kpi('res-p50', 'Resolution p50', mins(t.resolution.p50))}${kpi('res-p90', 'Resolution p90', mins(t.resolution.p90))}${kpi('sla', 'SLA met', pct(t.slaCompliance))}${kpi('breaches', 'Breaches', String(t.breaches))}${kpi('escalated', 'Escalated', String(t.escalated))}${kpi('deflected', 'Solved at intake by an answer', share(t.deflected, t.created))}${kpi('recategorised', 'Recategorised by agents', share(t.recategorised, t.created))}${kpi('csat', 'CSAT', t.csat.average === null ? '—' : `${t.csat.average} / 5`)}${kpi('csat-n', 'Ratings', String(t.csat.n))}</div>
${chart({
  id: 'created-resolved',
  title: 'Created vs resolved per day',
  kind: 'bar',
  labels,
  series: [
    { name: 'Created', cls: 's1', values: r.days.map((d) => d.created) },
    { name: 'Resolved', cls: 's2', values: r.days.map((d) => d.resolved) },
  ],
})}
${chart({ id: 'backlog', title: 'Backlog at the end of each day', kind: 'line', labels, series: [{ name: 'Open', cls: 's3', values: r.days.map((d) => d.backlog) }] })}
${chart({
  id: 'times-by-team',
  title: 'First response and resolution p50 by team (minutes)',
  kind: 'bar',
  unit: 'min',
  labels: teams.map((x) => teamName(x.key)),
  series: [
    { name: 'First response p50', cls: 's1', values: teams.map((x) => x.firstResponse.p50 ?? 0) },
    { name: 'Resolution p50', cls: 's2', values: teams.map((x) => x.resolution.p50 ?? 0) },
  ],
})}
${chart({
  id: 'csat-distribution',
  title: 'CSAT ratings (1-5)',
  kind: 'bar',
  labels: ['1', '2', '3', '4', '5'],
  series: [{ name: 'Ratings', cls: 's1', values: t.csat.distribution }],
})}
${chart({ id: 'csat-by-team', title: 'CSAT average by team', kind: 'bar', labels: teams.map((x) => teamName(x.key)), series: [{ name: 'CSAT', cls: 's2', values: teams.map((x) => x.csat.average ?? 0) }] })}
${chart({ id: 'sla-by-team', title: 'SLA met by team (%)', kind: 'bar', unit: '%', labels: teams.map((x) => teamName(x.key)), series: [{ name: 'SLA met %', cls: 's2', values: teams.map((x) => x.slaCompliance ?? 0) }] })}
${comments(r, teamName)}
${tables}
${classifierTable(r.classifier)}
${modelSection(p.model)}`;
  return layout({ title: 'Reports', viewer: p.viewer, active: 'reports', body });
}
