import type { TicketExample } from '../ai/offline/ticket-classifier';
import type { DeskConfig } from '../config/desk-config.schema';
import { isChatdeskError } from '../domain/errors';
import type { PermissionAction } from '../domain/access/permissions';
import type { UserRef } from '../domain/ticket/ticket';
import { MAX_TAGS, normalizeTag } from '../domain/ticket/transitions';
import type { Logger } from '../logger';
import type { Assistant, TicketActions } from './assist/assistant';
import type { OutboundMessage } from './cards/card';
import { type AgentCommandKind, COMMANDS, type ParsedCommand } from './commands';
import { type Locale, t } from './i18n';
import { MAX_REPLY_CHARS } from './requester-replies';
import type { Notifier } from './notifier';
import { ticketHistory } from './ticket-history';
import { addInternalNote, noteText } from './internal-note';
import type { HandoffSummaries } from './handoff-summaries';
import type { CsatComments } from './csat-comments';

/** Learns from agents' corrections (the offline model's live taxonomy). */
export interface CategoryLearner {
  learn(example: TicketExample, source: 'recategorized' | 'imported'): Promise<void>;
  /** The categories the model knows now (the seed's, or the team's imported taxonomy). */
  categories?(): readonly string[];
}

const USAGE: Record<AgentCommandKind, string> = {
  reply: `/${COMMANDS.name} reply T-1001 text`,
  resolve: `/${COMMANDS.name} resolve T-1001 what fixed it`,
  tag: `/${COMMANDS.name} tag T-1001 vpn -printer`,
  category: `/${COMMANDS.name} category T-1001 name`,
  kb: `/${COMMANDS.name} kb kb-… text`,
  note: `/${COMMANDS.name} note T-1001 text`,
  show: `/${COMMANDS.name} show T-1001`,
  comment: `/${COMMANDS.name} comment T-1001 your comment`,
  summary: `/${COMMANDS.name} summary T-1001`,
  close: `/${COMMANDS.name} close T-1001`,
};

/** What each ticket command asks, in the permission matrix's words. */
const COMMAND_PERMISSION: Record<Exclude<AgentCommandKind, 'kb' | 'comment'>, PermissionAction> = {
  reply: 'reply',
  resolve: 'resolve',
  category: 'recategorize',
  tag: 'tag',
  note: 'note',
  show: 'view',
  summary: 'summary',
  close: 'close',
};

/** A note as it is stored: control characters out, trimmed, capped. */

/** What became of a submitted note form: added (`ok`), or refused because it was empty. */
export type NoteResult = { ok: boolean; message: OutboundMessage };

/** Commands that take no text after the ticket key. */
const NO_TEXT: ReadonlySet<AgentCommandKind> = new Set(['show', 'summary', 'close']);

/**
 * Typed agent commands, the same on every messenger: `reply` answers the
 * requester, `resolve` resolves with a note, `category` corrects the category
 * (the model learns from it), `tag` tags, `kb` edits a knowledge answer. Who may is the permission matrix's to say
 * (agents of the ticket's team).
 */
export class AgentCommands {
  constructor(
    private readonly deps: {
      desk: DeskConfig;
      assistant: Assistant;
      notifier: Notifier;
      summaries: Pick<HandoffSummaries, 'messageFor'>;
      /** `/ticket comment`: the requester's comment on their rating (it checks who may). */
      csatComments: Pick<CsatComments, 'add'>;
      learner?: CategoryLearner;
      logger: Logger;
    },
    private readonly actions: TicketActions,
  ) {}

  async run(cmd: Extract<ParsedCommand, { kind: AgentCommandKind }>, user: UserRef, locale: Locale): Promise<OutboundMessage> {
    if (cmd.text === '' && !NO_TEXT.has(cmd.kind)) return { text: t(locale, 'command.usage', { usage: USAGE[cmd.kind] }) };
    if (cmd.kind === 'kb') return this.deps.assistant.editKnowledge(cmd.target, cmd.text, user, locale);
    let ticket: Awaited<ReturnType<typeof this.actions.findTicket>>;
    try {
      ticket = await this.actions.findTicket(cmd.target);
    } catch (err) {
      if (isChatdeskError(err, 'chatdesk_ticket_not_found')) return { text: t(locale, 'actor.notFound', { id: cmd.target }) };
      throw err;
    }
    if (cmd.kind === 'comment') return (await this.deps.csatComments.add(ticket.id, cmd.text, user)).message;
    await this.actions.authorize(user, COMMAND_PERMISSION[cmd.kind], ticket);
    if (cmd.kind === 'tag') return this.tag(ticket.id, cmd.text, user, locale);
    if (cmd.kind === 'show') return ticketHistory(ticket, (await this.actions.allows(user, 'note', ticket)) ? 'agent' : 'requester', this.deps.desk, locale);
    // Answered to the asker alone, as every agent command is (ephemeral, DM or invoke reply, per platform).
    if (cmd.kind === 'summary') return this.deps.summaries.messageFor(ticket, user);
    if (cmd.kind === 'note') return this.note(ticket.id, cmd.text, user, locale);
    if (cmd.kind === 'close') {
      await this.actions.act(ticket.id, { kind: 'close' }, user);
      return { text: t(locale, 'command.closed', { key: ticket.key }) };
    }
    if (cmd.kind === 'reply') {
      await this.actions.act(ticket.id, { kind: 'reply', text: cmd.text.slice(0, MAX_REPLY_CHARS) }, user);
      return { text: t(locale, 'command.replied', { key: ticket.key }) };
    }
    if (cmd.kind === 'resolve') {
      // The note is the resolution: it becomes the knowledge answer (internal lines removed), not a message to the requester.
      await this.actions.act(ticket.id, { kind: 'resolve', note: cmd.text.slice(0, MAX_REPLY_CHARS) }, user);
      return { text: t(locale, 'command.resolved', { key: ticket.key }) };
    }
    // Routable categories (desk file) and the ones the model learnt (an imported taxonomy).
    const known = [...new Set([...this.deps.desk.teams.flatMap((tm) => tm.categories), ...(this.deps.learner?.categories?.() ?? [])])];
    const category = cmd.text.trim().toLowerCase();
    if (known.length > 0 && !known.includes(category))
      return { text: t(locale, 'command.unknownCategory', { category: category.slice(0, 60), known: known.join(', ') }) };
    if (!/^[\p{L}\p{N}_ -]{1,60}$/u.test(category))
      return { text: t(locale, 'command.unknownCategory', { category: category.slice(0, 60), known: known.join(', ') }) };
    const after = await this.actions.act(ticket.id, { kind: 'recategorize', category }, user);
    // Stored first, then learnt: a failing learner never undoes the correction.
    await this.deps.learner
      ?.learn({ id: after.id, title: after.title, description: after.description, category, priority: after.priority }, 'recategorized')
      .catch((err: unknown) => this.deps.logger.error({ err, ticket: after.key }, 'learning from a recategorisation failed'));
    return { text: t(locale, 'command.recategorized', { key: after.key, category }) };
  }

  /**
   * The note form's submission (the card's Note button): who may is checked as for `/ticket note`, since a
   * submission can come without the form having opened; an empty note is refused, not answered with the usage.
   */
  async addNote(ticketId: string, raw: string, user: UserRef, locale: Locale): Promise<NoteResult> {
    const ticket = await this.actions.findTicket(ticketId);
    await this.actions.authorize(user, 'note', ticket);
    if (noteText(raw) === '') return { ok: false, message: { text: t(locale, 'noteForm.empty', { key: ticket.key }) } };
    return { ok: true, message: await this.note(ticket.id, raw, user, locale) };
  }

  private async note(ticketId: string, raw: string, user: UserRef, locale: Locale): Promise<OutboundMessage> {
    const after = await addInternalNote({ act: this.actions.act, notifier: this.deps.notifier, locale: this.deps.desk.locale }, ticketId, raw, user);
    return { text: t(locale, 'command.noted', { key: after.key }) };
  }

  /** `vpn printer` adds, `-printer` removes (words separated by spaces or commas). */
  private async tag(ticketId: string, text: string, user: UserRef, locale: Locale): Promise<OutboundMessage> {
    const add: string[] = [];
    const remove: string[] = [];
    for (const word of text
      .split(/[\s,]+/)
      .filter(Boolean)
      .slice(0, MAX_TAGS)) {
      const removing = word.startsWith('-');
      const tag = normalizeTag(removing ? word.slice(1) : word);
      if (!tag) return { text: t(locale, 'command.badTag', { tag: word.slice(0, 40) }) };
      (removing ? remove : add).push(tag);
    }
    const after = await this.actions.act(ticketId, { kind: 'tag', add, remove }, user);
    return {
      text:
        after.tags.length > 0
          ? t(locale, 'command.tagged', { key: after.key, tags: after.tags.join(', ') })
          : t(locale, 'command.untagged', { key: after.key }),
    };
  }
}
