import { csvCell } from './queue-export';
import { DIMENSIONS, type Figures, type Report } from './report-service';

const COLUMNS = [
  'dimension',
  'key',
  'created',
  'resolved',
  'firstResponseP50Min',
  'firstResponseP90Min',
  'resolutionP50Min',
  'resolutionP90Min',
  'slaMet',
  'slaMeasured',
  'slaCompliancePct',
  'breaches',
  'escalated',
  'recategorised',
  'deflected',
  'csatCount',
  'csatAverage',
  'csat1',
  'csat2',
  'csat3',
  'csat4',
  'csat5',
] as const;

const v = (x: number | null) => (x === null ? '' : String(x));

function line(dimension: string, key: string, f: Figures): string {
  const cells = [
    dimension,
    key,
    String(f.created),
    String(f.resolved),
    v(f.firstResponse.p50),
    v(f.firstResponse.p90),
    v(f.resolution.p50),
    v(f.resolution.p90),
    String(f.slaMet),
    String(f.slaMeasured),
    v(f.slaCompliance),
    String(f.breaches),
    String(f.escalated),
    String(f.recategorised),
    String(f.deflected),
    String(f.csat.n),
    v(f.csat.average),
    ...f.csat.distribution.map(String),
  ];
  return cells.map(csvCell).join(',');
}

/**
 * The report as CSV: a `total` row, then one row per key of each breakdown
 * (team, agent, category, priority, channel); times in minutes. UTF-8 with a
 * byte order mark and CRLF lines, as the queue export.
 */
export function reportCsv(r: Report): string {
  const lines = [
    COLUMNS.join(','),
    line('total', `${r.range.from}..${r.range.to}`, r.totals),
    ...DIMENSIONS.flatMap((d) => r.by[d].map((x) => line(d, x.key, x))),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
