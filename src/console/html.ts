import { type ConsoleRole, ROLE_RANK } from './console-role';
import { type ConsoleLocale, LANG_PATH, pick, ROLE_TEXT, type Texts } from './console-text';

/** Server-rendered HTML for the console: every value goes through `esc` (user text is untrusted). */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

export interface Viewer {
  name: string;
  role: ConsoleRole;
  csrf: string;
  /** The language pages are shown in (see console-text.ts). */
  locale: ConsoleLocale;
}

const TEXT: Texts<'queue' | 'myRequests' | 'reports' | 'knowledge' | 'signOut' | 'page' | 'other'> = {
  en: { queue: 'Queue', myRequests: 'My requests', reports: 'Reports', knowledge: 'Knowledge', signOut: 'Sign out', page: 'chatdesk console', other: '中文' },
  zh: { queue: '工单队列', myRequests: '我的请求', reports: '报表', knowledge: '知识库', signOut: '退出登录', page: 'chatdesk 控制台', other: 'English' },
};

const NAV: Array<{ id: 'queue' | 'reports' | 'knowledge'; href: string; minRole?: Viewer['role'] }> = [
  { id: 'queue', href: '/console/queue' },
  { id: 'reports', href: '/console/reports', minRole: 'agent' },
  { id: 'knowledge', href: '/console/knowledge', minRole: 'agent' },
];

/** A hidden CSRF field: every state-changing form carries it. */
export const csrfField = (viewer: Viewer): string => `<input type="hidden" name="csrf" value="${esc(viewer.csrf)}">`;

export function layout(opts: { title: string; viewer?: Viewer; locale?: ConsoleLocale; active?: string; body: string; scripts?: string[] }): string {
  const v = opts.viewer;
  const locale = v?.locale ?? opts.locale ?? 'en';
  const tx = (k: keyof (typeof TEXT)['en']) => pick(TEXT, locale, k);
  const nav = v
    ? `<nav>${NAV.filter((n) => !n.minRole || ROLE_RANK[v.role] >= ROLE_RANK[n.minRole])
        .map(
          (n) =>
            `<a href="${n.href}"${n.id === opts.active ? ' class="active"' : ''}>${esc(tx(n.id === 'queue' && v.role === 'requester' ? 'myRequests' : n.id))}</a>`,
        )
        .join('')}</nav>
      <form method="post" action="/console/sign-out" class="who">${csrfField(v)}<span>${esc(v.name)} · <b data-role="${esc(v.role)}">${esc(pick(ROLE_TEXT, locale, v.role))}</b></span><button type="submit">${esc(tx('signOut'))}</button></form>`
    : '';
  // The switch to the other language comes back to this page (by its Referer).
  const other = `<a class="lang" href="${LANG_PATH}?to=${locale === 'zh' ? 'en' : 'zh'}" data-lang>${esc(tx('other'))}</a>`;
  return `<!doctype html>
<html lang="${locale === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${esc(opts.title)} · ${esc(tx('page'))}</title>
<link rel="stylesheet" href="/console/assets/console.css"></head>
<body><header><a class="brand" href="/console/queue">chatdesk</a>${nav}${other}</header>
<main>${opts.body}</main>
${(opts.scripts ?? []).map((s) => `<script src="/console/assets/${esc(s)}" defer></script>`).join('')}
</body></html>`;
}

/** A page that only says something (a refused link, signed out). */
export function messagePage(title: string, text: string, viewer?: Viewer, locale?: ConsoleLocale): string {
  return layout({
    title,
    ...(viewer ? { viewer } : {}),
    ...(locale ? { locale } : {}),
    body: `<section class="message"><h1>${esc(title)}</h1><p>${esc(text)}</p></section>`,
  });
}

export function options(values: ReadonlyArray<string | { value: string; label: string }>, selected: readonly string[]): string {
  return values
    .map((o) => (typeof o === 'string' ? { value: o, label: o } : o))
    .map((o) => `<option value="${esc(o.value)}"${selected.includes(o.value) ? ' selected' : ''}>${esc(o.label)}</option>`)
    .join('');
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date and time in the desk's zone (one formatter per zone: a page of 50 rows built 50 otherwise). */
export function fmtDate(d: Date | undefined | null, zone: string): string {
  if (!d) return '';
  let format = dateFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' });
    dateFormats.set(zone, format);
  }
  return format.format(d);
}
