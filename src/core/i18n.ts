import type { LocalizedText } from '../config/desk-config.schema';

export type Locale = 'en' | 'zh';

const MESSAGES = {
  en: {
    'status.new': 'New',
    'status.in_progress': 'In progress',
    'status.waiting_on_requester': 'Waiting on requester',
    'status.resolved': 'Resolved',
    'status.closed': 'Closed',
    'field.requester': 'Requester',
    'field.category': 'Category',
    'field.priority': 'Priority',
    'field.status': 'Status',
    'field.assignee': 'Assignee',
    'field.type': 'Type',
    'field.team': 'Team',
    'value.unassigned': 'Unassigned',
    'value.triage': 'Triage (needs a human)',
    'action.claim': 'Claim',
    'action.resolve': 'Resolve',
    'action.escalate': 'Escalate',
    'action.reopen': 'Reopen',
    'action.assign': 'Assign to…',
    'confirm.resolve.title': 'Resolve {key}?',
    'confirm.resolve.text': 'The requester will be told it is resolved.',
    'confirm.yes': 'Yes',
    'confirm.no': 'Cancel',
    'card.claimedBy': 'Claimed by {name}',
    'card.escalated': 'Escalated (level {level})',
    'command.help': 'Open a ticket: /ticket what is wrong (or /ticket alone for the form). Agents claim it from the card. Managers: /ticket escalations lists your open escalations.',
    'escalations.none': 'You have no open escalations.',
    'escalations.title': 'Your open escalations ({count}):',
    'requester.created': 'Your ticket {key} "{title}" is open. Follow it in this thread: updates from the team land here.',
    'requester.claimed': '{name} is working on your ticket {key}.',
    'requester.assigned': '{name} is now handling your ticket {key}.',
    'requester.resolved': 'Your ticket {key} was resolved by {name}. Reply here if it is not fixed.',
    'requester.escalated': 'Your ticket {key} was escalated to priority {priority}.',
    'requester.reopened': 'Your ticket {key} was reopened.',
    'actor.alreadyClaimed': '{key} is already claimed by {name}.',
    'actor.notFound': 'That ticket no longer exists (id {id}).',
    'actor.illegal': '{reason}',
    'actor.failed': 'Sorry, that did not work. The team has been notified in the logs; please try again.',
    'command.created': 'Created {key}. Follow it in your DM with the bot.',
    'command.failed': 'Sorry, your ticket "{text}" could not be saved just now. Please try again in a minute.',
    'form.title': 'New ticket',
    'form.submit': 'Submit',
    'form.cancel': 'Cancel',
    'form.field.title': 'Title',
    'form.field.description': 'Description',
    'form.field.type': 'Ticket type',
  },
  zh: {
    'status.new': '新建',
    'status.in_progress': '处理中',
    'status.waiting_on_requester': '等待提交人回复',
    'status.resolved': '已解决',
    'status.closed': '已关闭',
    'field.requester': '提交人',
    'field.category': '分类',
    'field.priority': '优先级',
    'field.status': '状态',
    'field.assignee': '处理人',
    'field.type': '类型',
    'field.team': '团队',
    'value.unassigned': '未分配',
    'value.triage': '待分诊（需人工判断）',
    'action.claim': '认领',
    'action.resolve': '解决',
    'action.escalate': '升级',
    'action.reopen': '重新打开',
    'action.assign': '指派给…',
    'confirm.resolve.title': '解决 {key}？',
    'confirm.resolve.text': '将通知提交人工单已解决。',
    'confirm.yes': '确定',
    'confirm.no': '取消',
    'card.claimedBy': '已由 {name} 认领',
    'card.escalated': '已升级（第 {level} 级）',
    'command.help': '提交工单：/工单 问题描述（或只输入 /工单 打开表单）。客服在卡片上认领。主管：/工单 升级 查看待处理的升级。',
    'escalations.none': '你没有待处理的升级。',
    'escalations.title': '你的待处理升级（{count}）：',
    'requester.created': '你的工单 {key}「{title}」已创建。请在此话题中跟进，处理进展会发到这里。',
    'requester.claimed': '{name} 正在处理你的工单 {key}。',
    'requester.assigned': '你的工单 {key} 已指派给 {name}。',
    'requester.resolved': '你的工单 {key} 已由 {name} 解决。如未解决请在此回复。',
    'requester.escalated': '你的工单 {key} 已升级为 {priority}。',
    'requester.reopened': '你的工单 {key} 已重新打开。',
    'actor.alreadyClaimed': '{key} 已被 {name} 认领。',
    'actor.notFound': '该工单不存在（id {id}）。',
    'actor.illegal': '{reason}',
    'actor.failed': '抱歉，操作失败，已记录日志，请重试。',
    'command.created': '已创建 {key}，请在与机器人的私信中跟进。',
    'command.failed': '抱歉，你的工单「{text}」暂时无法保存，请稍后重试。',
    'form.title': '新建工单',
    'form.submit': '提交',
    'form.cancel': '取消',
    'form.field.title': '标题',
    'form.field.description': '描述',
    'form.field.type': '工单类型',
  },
} as const;

export type MessageKey = keyof (typeof MESSAGES)['en'];

export function t(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template: string = MESSAGES[locale][key] ?? MESSAGES.en[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function localize(text: LocalizedText, locale: Locale): string {
  return typeof text === 'string' ? text : locale === 'zh' ? (text.zh ?? text.en) : text.en;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Requesters who write in Chinese are answered in Chinese; everyone else in the desk's language. */
export function localeForText(text: string, fallback: Locale): Locale {
  return CJK.test(text) ? 'zh' : fallback;
}
