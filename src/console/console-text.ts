/**
 * The console's two languages. Each page keeps its own texts beside its markup
 * (`{ en: {...}, zh: {...} }`, the Chinese one checked to have every key);
 * what several pages show (statuses, SLA states, the header) is here. The
 * viewer's language is their choice (the header's switch, kept in a cookie),
 * else their browser's first of zh/en (Accept-Language), else the desk's.
 */
export type ConsoleLocale = 'en' | 'zh';
export const LANG_COOKIE = 'chatdesk_lang';
export const LANG_PATH = '/console/lang';

/** Texts of one page: the Chinese ones must name every English key. */
export type Texts<K extends string> = { en: Record<K, string>; zh: Record<K, string> };

/** The text `key` in `locale`, with `{name}` filled from `params`. */
export function pick<K extends string>(texts: Texts<K>, locale: ConsoleLocale, key: K, params: Record<string, string | number> = {}): string {
  return texts[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** The viewer's language (see the file's comment). */
export function consoleLocale(choice: string | undefined, acceptLanguage: string | undefined, desk: ConsoleLocale): ConsoleLocale {
  if (choice === 'en' || choice === 'zh') return choice;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.split('=')[1] ?? 1);
      return { lang: tag.split('-')[0], q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => (x.lang === 'en' || x.lang === 'zh') && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.lang as ConsoleLocale | undefined) ?? desk;
}

export const STATUS_TEXT: Texts<'new' | 'triaged' | 'in_progress' | 'waiting_on_requester' | 'resolved' | 'closed'> = {
  en: { new: 'New', triaged: 'Triaged', in_progress: 'In progress', waiting_on_requester: 'Waiting on requester', resolved: 'Resolved', closed: 'Closed' },
  zh: { new: '新建', triaged: '已分诊', in_progress: '处理中', waiting_on_requester: '等待提交人', resolved: '已解决', closed: '已关闭' },
};

export const SLA_TEXT: Texts<'breached' | 'due_soon' | 'on_track' | 'none'> = {
  en: { breached: 'Breached', due_soon: 'Due within 4 h', on_track: 'On track', none: 'No SLA' },
  zh: { breached: '已超时', due_soon: '4 小时内到期', on_track: '正常', none: '无 SLA' },
};

export const ROLE_TEXT: Texts<'requester' | 'agent' | 'manager' | 'admin'> = {
  en: { requester: 'requester', agent: 'agent', manager: 'manager', admin: 'admin' },
  zh: { requester: '提交人', agent: '客服', manager: '经理', admin: '管理员' },
};
