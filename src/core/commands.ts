import type { Locale } from './i18n';

/**
 * The one description of chatdesk's chat commands. Adapters register it the
 * platform's way (Slack slash command, Discord application command, Teams
 * command list, Feishu text command and bot menu); manifests are generated from it.
 */
export const COMMANDS = {
  /** The slash / application command name. */
  name: 'ticket',
  /** Text aliases accepted where commands are typed as text (Teams, Feishu, DMs). */
  aliases: ['ticket', '工单', 'tickets'],
  description: { en: 'Open a help desk ticket', zh: '提交工单' } satisfies Record<Locale, string>,
  /**
   * Message → ticket: the message shortcut (Slack), message action (Teams message extension),
   * message context-menu command (Discord) and message shortcut (Feishu) that open a ticket for a
   * message's author. `id` is the callback / command id; `label` what the message's menu shows.
   */
  fromMessage: {
    id: 'chatdesk_ticket_from_message',
    label: { en: 'Open a ticket', zh: '提交工单' },
    description: { en: "Open a help desk ticket for this message's author", zh: '为这条消息的作者提交工单' },
  },
  /** The free-text option of the quick command. */
  textOption: { name: 'text', description: { en: 'What is wrong, in one line', zh: '一句话描述问题' } },
  /** Sub-commands, typed as the first word after the command. */
  sub: {
    escalations: { words: ['escalations', 'escalated', '升级'], description: { en: 'Your open escalations', zh: '我的未处理升级' } },
    console: {
      words: ['console', '控制台'],
      description: { en: 'A sign-in link to the web console, in your DM', zh: '通过私信获取网页控制台登录链接' },
    },
    help: { words: ['help', '帮助'], description: { en: 'How to use the help desk', zh: '使用帮助' } },
    mine: {
      words: ['mine', 'my', '我的'],
      description: { en: 'Your open tickets (raised by you or assigned to you)', zh: '我的未关闭工单（我提交的或指派给我的）' },
    },
    search: {
      words: ['search', 'find', '搜索'],
      description: { en: 'Search the tickets you can see (search words)', zh: '搜索你可查看的工单（搜索 关键词）' },
    },
    stats: {
      words: ['stats', 'statistics', '统计'],
      description: { en: 'The desk now: backlog, SLA breaches, today, your queue', zh: '服务台现状：积压、SLA 超时、今日、我的队列' },
    },
    reply: {
      agent: true,
      words: ['reply', '回复'],
      description: { en: 'Agents: answer the requester (reply T-1001 text)', zh: '客服：回复提交人（回复 T-1001 内容）' },
    },
    category: {
      agent: true,
      words: ['category', 'recategorize', '类别'],
      description: { en: 'Agents: correct the category (category T-1001 name)', zh: '客服：更正类别（类别 T-1001 名称）' },
    },
    tag: {
      agent: true,
      words: ['tag', 'tags', '标签'],
      description: { en: 'Agents: tag a ticket, -tag removes (tag T-1001 vpn)', zh: '客服：给工单加标签，-标签 删除（标签 T-1001 vpn）' },
    },
    kb: { agent: true, words: ['kb', '知识'], description: { en: 'Agents: edit a knowledge answer (kb ID text)', zh: '客服：编辑知识答案（知识 ID 内容）' } },
    note: {
      agent: true,
      words: ['note', '备注'],
      description: { en: 'Agents: add an internal note only agents see (note T-1001 text)', zh: '客服：添加只有客服可见的内部备注（备注 T-1001 内容）' },
    },
    show: { target: true, words: ['show', '查看'], description: { en: 'A ticket and its history (show T-1001)', zh: '查看工单及其历史（查看 T-1001）' } },
    comment: {
      target: true,
      words: ['comment', '评论'],
      description: { en: 'Requesters: add a comment to your rating (comment T-1001 text)', zh: '提交人：为你的评分添加评论（评论 T-1001 内容）' },
    },
    summary: {
      agent: true,
      words: ['summary', 'summarize', '摘要'],
      description: {
        en: 'Agents: what was asked, tried and is pending, privately (summary T-1001)',
        zh: '客服：私下查看诉求、已做和待办的摘要（摘要 T-1001）',
      },
    },
    close: { agent: true, words: ['close', '关闭'], description: { en: 'Agents: close a ticket (close T-1001)', zh: '客服：关闭工单（关闭 T-1001）' } },
    resolve: {
      agent: true,
      words: ['resolve', '解决'],
      description: {
        en: 'Agents: resolve with a note that becomes the knowledge answer (resolve T-1001 note)',
        zh: '客服：解决并写下处理说明，作为知识答案（解决 T-1001 说明）',
      },
    },
  },
} as const;

export type ParsedCommand =
  | { kind: 'form' }
  | { kind: 'quick'; text: string }
  | { kind: 'escalations' }
  | { kind: 'help' }
  | { kind: 'console' }
  | { kind: 'mine' }
  | { kind: 'stats' }
  /** `words` may be empty (usage is then shown). */
  | { kind: 'search'; words: string }
  /** `/ticket admin token …` (desk admins): `text` is what follows `token`. Not in the manifests' command lists. */
  | { kind: 'admin'; text: string }
  /** Ticket commands: `target` is a ticket key (reply, category, resolve, tag, show, comment) or a knowledge entry id (kb); `text` may be empty (usage is then shown). */
  | { kind: AgentCommandKind; target: string; text: string };

const AGENT_SUBS = ['reply', 'category', 'tag', 'kb', 'resolve', 'note', 'show', 'comment', 'summary', 'close'] as const;
export type AgentCommandKind = (typeof AGENT_SUBS)[number];

/** Interprets what follows the command (`/ticket printer jammed` → quick). Empty text opens the form. */
export function parseCommandText(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'form' };
  const first = trimmed.split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  const rest = trimmed.slice(first.length).trim();
  if (rest === '' && (COMMANDS.sub.escalations.words as readonly string[]).includes(first)) return { kind: 'escalations' };
  if (rest === '' && (COMMANDS.sub.console.words as readonly string[]).includes(first)) return { kind: 'console' };
  if (rest === '' && (COMMANDS.sub.help.words as readonly string[]).includes(first)) return { kind: 'help' };
  if (rest === '' && (COMMANDS.sub.mine.words as readonly string[]).includes(first)) return { kind: 'mine' };
  if (rest === '' && (COMMANDS.sub.stats.words as readonly string[]).includes(first)) return { kind: 'stats' };
  if ((COMMANDS.sub.search.words as readonly string[]).includes(first)) return { kind: 'search', words: rest.slice(0, 100) };
  const admin = /^token(?:\s+([\s\S]*))?$/i.exec(rest);
  if (first === 'admin' && admin) return { kind: 'admin', text: (admin[1] ?? '').trim().slice(0, 1000) };
  for (const kind of AGENT_SUBS) {
    if (!(COMMANDS.sub[kind].words as readonly string[]).includes(first)) continue;
    // `reply T-1001 the text`: the target must look like a key (or an entry id), otherwise this is an ordinary quick ticket.
    const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(rest);
    const target = m?.[1] ?? '';
    if (kind === 'kb' ? /^kb-[0-9a-f]{24}$/i.test(target) : /^[A-Za-z]{1,6}-\d+$/.test(target)) {
      return { kind, target: kind === 'kb' ? target.toLowerCase() : target.toUpperCase(), text: (m?.[2] ?? '').trim() };
    }
  }
  return { kind: 'quick', text: trimmed };
}

/**
 * What follows a typed command word (`/工单 打印机坏了` → `打印机坏了`, `/ticket`
 * → empty), after any @mention was stripped by the adapter; undefined when the
 * message does not start with one of the aliases. With `slash`, only `/ticket …`
 * counts (not `ticket …`).
 */
export function commandArguments(message: string, opts: { slash?: boolean } = {}): string | undefined {
  const m = /^\s*(\/?)(\S+)(?:\s+([\s\S]*))?$/.exec(message);
  if (!m || (opts.slash && !m[1])) return undefined;
  if (!(COMMANDS.aliases as readonly string[]).includes((m[2] ?? '').toLowerCase())) return undefined;
  return m[3] ?? '';
}

/**
 * Recognises a command typed as a message (`/ticket …`, `/工单 …`, `ticket …`).
 * Returns undefined for ordinary messages, which are not commands.
 */
export function parseTextCommand(message: string): ParsedCommand | undefined {
  const args = commandArguments(message);
  return args === undefined ? undefined : parseCommandText(args);
}
