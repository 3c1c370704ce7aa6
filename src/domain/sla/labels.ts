/**
 * Short human labels for the ticket card, in English and Chinese.
 * Remaining time is rounded up (never shows "0m left" before the deadline);
 * elapsed-since-breach is rounded down.
 */
export type SlaLocale = 'en' | 'zh';

const MINUTE = 60_000;

function parts(ms: number, round: 'up' | 'down', allowDays: boolean): { d: number; h: number; m: number } {
  const totalMin = round === 'up' ? Math.ceil(ms / MINUTE) : Math.floor(ms / MINUTE);
  const d = allowDays ? Math.floor(totalMin / 1440) : 0;
  const h = Math.floor((totalMin - d * 1440) / 60);
  return { d, h, m: totalMin % 60 };
}

/** `2d 3h`, `3h 20m`, `3h`, `45m` / `2天3小时`, `3小时20分`, `3小时`, `45分钟`. */
export function formatDuration(ms: number, locale: SlaLocale, round: 'up' | 'down' = 'up', allowDays = true): string {
  const { d, h, m } = parts(Math.max(ms, 0), round, allowDays);
  if (locale === 'zh') {
    if (d > 0) return h > 0 ? `${d}天${h}小时` : `${d}天`;
    if (h > 0) return m > 0 ? `${h}小时${m}分` : `${h}小时`;
    return `${m}分钟`;
  }
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}

export type LabelInput =
  | { phase: 'running'; remainingMs: number; allowDays: boolean }
  | { phase: 'breached'; overdueMs: number }
  | { phase: 'paused'; breached: boolean }
  | { phase: 'met' }
  | { phase: 'missed'; lateMs: number };

export function slaLabel(input: LabelInput, locale: SlaLocale = 'en'): string {
  const zh = locale === 'zh';
  switch (input.phase) {
    case 'running': {
      const left = formatDuration(input.remainingMs, locale, 'up', input.allowDays);
      return zh ? `剩余 ${left}` : `${left} left`;
    }
    case 'breached':
      if (input.overdueMs < MINUTE) return zh ? '刚刚超时' : 'breached just now';
      return zh ? `已超时 ${formatDuration(input.overdueMs, locale, 'down')}` : `breached ${formatDuration(input.overdueMs, locale, 'down')} ago`;
    case 'paused':
      if (input.breached) return zh ? '已暂停（已超时）' : 'paused, breached';
      return zh ? '已暂停' : 'paused';
    case 'met':
      return zh ? '已达成' : 'met';
    case 'missed': {
      const late = formatDuration(Math.max(input.lateMs, MINUTE), locale, 'down');
      return zh ? `超时 ${late}后完成` : `missed by ${late}`;
    }
  }
}
