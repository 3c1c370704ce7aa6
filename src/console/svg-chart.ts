import { esc } from './html';

export interface Series {
  /** What data-series says (stable across languages; the name when unset). */
  id?: string;
  name: string;
  /** A CSS class (colour) from console.css. */
  cls: string;
  values: number[];
}

const W = 720;
const H = 220;
const PAD = { left: 40, right: 10, top: 16, bottom: 40 };

/**
 * A bar chart (grouped series) or line chart as inline SVG, drawn on the
 * server: no chart script to fetch, and each value is in the page as text
 * (`data-value`, and a <title> a screen reader and the tests read).
 */
export function chart(opts: { id: string; title: string; labels: string[]; series: Series[]; kind: 'bar' | 'line'; unit?: string }): string {
  const max = Math.max(1, ...opts.series.flatMap((s) => s.values));
  const n = Math.max(1, opts.labels.length);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / n;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const unit = opts.unit ? ` ${opts.unit}` : '';
  const marks: string[] = [];
  opts.series.forEach((s, si) => {
    if (opts.kind === 'bar') {
      const bw = Math.max(2, (slot * 0.8) / opts.series.length);
      s.values.forEach((v, i) => {
        const x = PAD.left + i * slot + slot * 0.1 + si * bw;
        marks.push(
          `<rect class="${esc(s.cls)}" x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(PAD.top + plotH - y(v)).toFixed(1)}" data-series="${esc(s.id ?? s.name)}" data-label="${esc(opts.labels[i])}" data-value="${v}"><title>${esc(`${s.name} ${opts.labels[i]}: ${v}${unit}`)}</title></rect>`,
        );
        if (n <= 16 && v > 0)
          marks.push(`<text class="value" x="${(x + bw / 2).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" text-anchor="middle">${esc(v)}</text>`);
      });
    } else {
      const pts = s.values.map((v, i) => `${(PAD.left + i * slot + slot / 2).toFixed(1)},${y(v).toFixed(1)}`);
      marks.push(`<polyline class="${esc(s.cls)} line" fill="none" points="${pts.join(' ')}"/>`);
      for (const [i, v] of s.values.entries())
        marks.push(
          `<circle class="${esc(s.cls)}" r="3" cx="${(PAD.left + i * slot + slot / 2).toFixed(1)}" cy="${y(v).toFixed(1)}" data-series="${esc(s.id ?? s.name)}" data-label="${esc(opts.labels[i])}" data-value="${v}"><title>${esc(`${s.name} ${opts.labels[i]}: ${v}${unit}`)}</title></circle>`,
        );
    }
  });
  const every = Math.ceil(n / 12);
  const labels = opts.labels
    .map((l, i) =>
      i % every === 0
        ? `<text class="axis" x="${(PAD.left + i * slot + slot / 2).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${esc(l)}</text>`
        : '',
    )
    .join('');
  const legend = opts.series
    .map(
      (s, i) =>
        `<rect class="${esc(s.cls)}" x="${PAD.left + i * 130}" y="${H - 14}" width="10" height="10"/><text class="axis" x="${PAD.left + i * 130 + 14}" y="${H - 5}">${esc(s.name)}</text>`,
    )
    .join('');
  return `<figure class="chart" id="${esc(opts.id)}"><figcaption>${esc(opts.title)}</figcaption>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(opts.title)}">
<line class="grid" x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}"/>
<text class="axis" x="${PAD.left - 4}" y="${PAD.top + 4}" text-anchor="end">${esc(max)}</text><text class="axis" x="${PAD.left - 4}" y="${PAD.top + plotH}" text-anchor="end">0</text>
${marks.join('')}${labels}${legend}</svg></figure>`;
}
