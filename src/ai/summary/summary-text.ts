/**
 * The words of a hand-off summary, in English and Chinese, and the extractive
 * summary itself: the facts (./summary-facts) laid out as Asked / Tried /
 * Pending, bounded, plain text. Pure.
 */
import { formatDuration } from '../../domain/sla/labels';
import { capChars } from '../llm/sanitize';
import type { PendingFact, SummaryFacts, SummaryItem, SummaryLocale, TrailStep } from './summary-facts';

/** Longest summary, header and footer included. */
export const MAX_SUMMARY_CHARS = 1600;

type Words = {
  header: (key: string, title: string) => string;
  facts: (p: { open: string; status: string; priority: string; team: string; requester: string }) => string;
  asked: string;
  tried: string;
  pending: string;
  fields: string;
  nothingTried: string;
  ago: (d: string) => string;
  item: Record<SummaryItem['kind'], (who: string, when: string) => string>;
  owners: string;
  step: Record<TrailStep['kind'], (by: string, to: string | undefined) => string>;
  pend: { [K in PendingFact['kind']]: (p: Extract<PendingFact, { kind: K }>) => string };
  sla: Record<'first_response' | 'resolution', string>;
  byExtract: (key: string) => string;
  byLlm: (key: string) => string;
};

const EN: Words = {
  header: (key, title) => `📋 Hand-off summary of ${key} "${title}"`,
  facts: (p) => `Open ${p.open} · ${p.status} · ${p.priority} · ${p.team} · requester ${p.requester}`,
  asked: 'Asked:',
  tried: 'Tried:',
  pending: 'Pending:',
  fields: 'fields',
  nothingTried: 'nothing yet',
  ago: (d) => `${d} ago`,
  item: {
    requester: (who, when) => `${who} wrote, ${when}`,
    reply: (who, when) => `${who} replied, ${when}`,
    note: (who, when) => `🔒 internal note by ${who}, ${when}`,
    resolution: (who, when) => `${who} resolved it, ${when}`,
  },
  owners: 'Owners',
  step: {
    claimed: (by) => `${by} claimed it`,
    took_over: (by) => `${by} took it over`,
    assigned: (by, to) => `${by} assigned it to ${to ?? '?'}`,
    escalated: (by, to) => (to && !/^P\d$/.test(to) ? `${by} asked ${to} to step in` : `${by} escalated it${to ? ` to ${to}` : ''}`),
    waiting: (by) => `${by} asked the requester for more`,
    reopened: (by) => `${by} reopened it`,
    resolved: (by) => `${by} resolved it`,
    closed: (by) => `${by} closed it`,
  },
  pend: {
    closed: () => 'Nothing: the ticket is closed.',
    resolved: () => 'Nothing unless the requester reopens it: it is resolved.',
    waiting_on_requester: () => "Waiting for the requester's answer (the SLA clock is paused).",
    unanswered: (p) => `The requester's last message has no answer yet: "${p.text}"`,
    no_reply: () => 'No agent has replied to the requester yet.',
    unassigned: () => 'Nobody owns it.',
    with_owner: () => "No question open with the requester: the next step is the owner's.",
    escalated: (p) => `Escalated (level ${p.level})${p.acknowledged ? ', acknowledged' : ', not acknowledged yet'}.`,
    sla_breached: (p) => `SLA ${p.target === 'first_response' ? 'first response' : 'resolution'} ${p.label}.`,
  },
  sla: { first_response: 'SLA response', resolution: 'SLA resolution' },
  byExtract: (key) => `(Extracted from the ticket's conversation. All of it: /ticket show ${key})`,
  byLlm: (key) => `(Written by the AI from the ticket's history: check before acting on it. All of it: /ticket show ${key})`,
};

const ZH: Words = {
  header: (key, title) => `📋 交接摘要：${key}「${title}」`,
  facts: (p) => `已开启 ${p.open} · ${p.status} · ${p.priority} · ${p.team} · 提交人 ${p.requester}`,
  asked: '诉求：',
  tried: '已做：',
  pending: '待办：',
  fields: '字段',
  nothingTried: '暂无',
  ago: (d) => `${d}前`,
  item: {
    requester: (who, when) => `${who} 留言，${when}`,
    reply: (who, when) => `${who} 回复，${when}`,
    note: (who, when) => `🔒 ${who} 的内部备注，${when}`,
    resolution: (who, when) => `${who} 已解决，${when}`,
  },
  owners: '处理人',
  step: {
    claimed: (by) => `${by} 认领`,
    took_over: (by) => `${by} 接手`,
    assigned: (by, to) => `${by} 指派给 ${to ?? '?'}`,
    escalated: (by, to) => (to && !/^P\d$/.test(to) ? `${by} 请 ${to} 介入` : `${by} 升级${to ? `为 ${to}` : ''}`),
    waiting: (by) => `${by} 请提交人补充信息`,
    reopened: (by) => `${by} 重新打开`,
    resolved: (by) => `${by} 解决`,
    closed: (by) => `${by} 关闭`,
  },
  pend: {
    closed: () => '无：工单已关闭。',
    resolved: () => '无（除非提交人重新打开）：工单已解决。',
    waiting_on_requester: () => '等待提交人回复（SLA 计时已暂停）。',
    unanswered: (p) => `提交人的最新留言尚未答复：「${p.text}」`,
    no_reply: () => '还没有客服回复提交人。',
    unassigned: () => '无人处理。',
    with_owner: () => '没有等待提交人答复的问题：下一步由处理人决定。',
    escalated: (p) => `已升级（第 ${p.level} 级）${p.acknowledged ? '，已确认' : '，尚未确认'}。`,
    sla_breached: (p) => `SLA ${p.target === 'first_response' ? '首次响应' : '解决'}${p.label}。`,
  },
  sla: { first_response: 'SLA 响应', resolution: 'SLA 解决' },
  byExtract: (key) => `（摘自工单对话。完整记录：/工单 查看 ${key}）`,
  byLlm: (key) => `（由 AI 根据工单历史撰写，请核实后再行动。完整记录：/工单 查看 ${key}）`,
};

const WORDS: Record<SummaryLocale, Words> = { en: EN, zh: ZH };

export function summaryWords(locale: SummaryLocale): Words {
  return WORDS[locale];
}

const ago = (w: Words, facts: SummaryFacts, at: Date) => w.ago(formatDuration(facts.now.getTime() - at.getTime(), facts.locale, 'down'));

function pendingLine(w: Words, p: PendingFact): string {
  return (w.pend[p.kind] as (p: PendingFact) => string)(p);
}

/** The first lines of every summary (trusted: built from stored fields, not from a model). */
export function summaryHead(facts: SummaryFacts): string[] {
  const w = WORDS[facts.locale];
  const open = formatDuration(facts.openForMs, facts.locale, 'down');
  const sla = facts.sla.map((s) => `${w.sla[s.target]} ${s.label}`);
  return [
    w.header(facts.key, facts.title),
    [w.facts({ open, status: facts.statusLabel, priority: facts.priority, team: facts.team, requester: facts.requester }), ...sla].join(' · '),
  ];
}

/** The extractive summary's sections: the Asked line, message lines, trail lines and Pending lines. */
function sections(facts: SummaryFacts) {
  const w = WORDS[facts.locale];
  const fields = facts.fields.length > 0 ? ` (${w.fields}: ${facts.fields.map((f) => `${f.name} ${f.value}`).join(', ')})` : '';
  const description = facts.description && facts.description !== facts.title ? ` — ${facts.description}` : '';
  const asked = `${w.asked}${facts.locale === 'zh' ? '' : ' '}${facts.title}${description}${fields}`;
  const askedItems = facts.asked.map((a) => ({ at: a.at, line: `  • ${w.item.requester(a.who, ago(w, facts, a.at))}: ${a.text}` }));
  const triedItems = facts.tried.map((x) => ({ at: x.at, line: `  • ${w.item[x.kind](x.who, ago(w, facts, x.at))}: ${x.text}` }));
  const steps = facts.trail.filter((s) => s.kind !== 'closed' && s.kind !== 'resolved').map((s) => `${w.step[s.kind](s.by, s.to)} (${ago(w, facts, s.at)})`);
  const trail = [
    ...(steps.length > 0 ? [`  • ${steps.join('; ')}`] : []),
    ...(facts.owners.length > 1 ? [`  • ${w.owners}: ${facts.owners.join(' → ')}`] : []),
  ];
  const pending = facts.pending.map((p) => `  • ${pendingLine(w, p)}`);
  return { w, asked, askedItems, triedItems, trail, pending };
}

const length = (lines: readonly string[]) => lines.reduce((n, l) => n + Array.from(l).length + 1, 0);

/**
 * The whole extractive summary, at most MAX_SUMMARY_CHARS: the head, Asked,
 * Tried, Pending and the footer always; the messages and notes newest first as
 * long as they fit (an older one is left out before a newer one is cut).
 */
export function extractiveSummary(facts: SummaryFacts): string {
  const { w, asked, askedItems, triedItems, trail, pending } = sections(facts);
  const head = summaryHead(facts).map((l) => capChars(l, 300));
  const footer = w.byExtract(facts.key);
  const fixed = [...head, capChars(asked, 500), w.tried, ...trail.map((l) => capChars(l, 400)), w.pending, ...pending, footer];
  let budget = MAX_SUMMARY_CHARS - length(fixed);
  const items = [...askedItems.map((i) => ({ ...i, section: 'asked' })), ...triedItems.map((i) => ({ ...i, section: 'tried' }))];
  const newestFirst = items.map((_, i) => i).sort((a, b) => items[b]!.at.getTime() - items[a]!.at.getTime());
  const chosen = new Map<number, string>();
  for (const i of newestFirst) {
    if (budget < 80) break;
    const line = capChars(items[i]!.line, budget - 1);
    chosen.set(i, line);
    budget -= Array.from(line).length + 1;
  }
  const pick = (section: string) => items.flatMap((it, i) => (it.section === section && chosen.has(i) ? [chosen.get(i)!] : []));
  const triedLines = pick('tried');
  const lines = [
    ...head,
    capChars(asked, 500),
    ...pick('asked'),
    w.tried,
    ...triedLines,
    ...trail.map((l) => capChars(l, 400)),
    ...(triedLines.length === 0 && trail.length === 0 ? [`  • ${w.nothingTried}`] : []),
    w.pending,
    ...pending,
    footer,
  ];
  return capChars(lines.join('\n'), MAX_SUMMARY_CHARS);
}
