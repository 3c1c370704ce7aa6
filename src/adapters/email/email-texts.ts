import type { Locale } from '../../core/i18n';

/** What the desk writes by mail that the core does not (the core's texts are in src/core/i18n.ts). */
const TEXTS = {
  en: {
    empty: 'Your mail had no subject and no text, so no ticket was opened. Write what you need and send it again.',
    noSubject: 'Mail from {from}',
    attachments: 'Attachments (not stored; they stay in the mail):',
    truncated: '(This mail is larger than {mb} MB: only its beginning was read.)',
    unreadable: '(This mail could not be read: its MIME structure is broken. Only its subject and sender are known.)',
  },
  zh: {
    empty: '你的邮件没有主题也没有正文，因此未创建工单。请写明需求后重新发送。',
    noSubject: '来自 {from} 的邮件',
    attachments: '附件（未保存，仍在邮件中）：',
    truncated: '（此邮件超过 {mb} MB，只读取了开头部分。）',
    unreadable: '（此邮件的 MIME 结构已损坏，无法读取，只知道主题和发件人。）',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export function mailText(locale: Locale, key: keyof (typeof TEXTS)['en'], params: Record<string, string | number> = {}): string {
  return TEXTS[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
