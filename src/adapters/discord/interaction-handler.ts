import {
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
  ApplicationCommandOptionType,
  ComponentType,
  InteractionResponseType,
  InteractionType,
} from 'discord.js';
import { feedbackForError } from '../../core/actor-feedback';
import { parseCommandText } from '../../core/commands';
import { ticketForm } from '../../core/forms/ticket-form';
import type { HelpDesk } from '../../core/help-desk';
import { type Locale, localize, t } from '../../core/i18n';
import { draftFromText, quickDraft } from '../../core/quick-draft';
import { ChatdeskError } from '../../domain/errors';
import type { RawTicketDraft } from '../../domain/ticket/ticket-draft';
import { findTicketType } from '../../domain/ticket/ticket-draft';
import type { DeliveryLog } from '../../domain/ticket/ticket.repository.port';
import type { TicketAction } from '../../domain/ticket/transitions';
import type { Logger } from '../../logger';
import type { UserRef } from '../../domain/ticket/ticket';
import { TYPE_OPTION } from './application-command';
import { parseCustomId } from './card-embed';
import { answerOnce, type ComponentScope, componentScope } from './component-scope';
import { escapeDiscord } from './discord-text';
import { errorsText, formToModal, modalToDraft, parseModalId } from './form-modal';
import { discordUser, interactionLocale, interactionUser } from './interaction-context';
import { DEFERRED_EPHEMERAL, DEFERRED_UPDATE, ephemeral, type InteractionReply, type InteractionWebhook } from './interaction-replies';
import { isCardAction } from '../../core/card-buttons';

/** Answer a click by then, whatever the work still does (Discord allows 3 s). */
const CLICK_ACK_BUDGET_MS = 2000;

export interface InteractionDeps {
  desk: HelpDesk;
  deliveries: DeliveryLog;
  webhook: InteractionWebhook;
  logger: Logger;
}

/**
 * The one handler layer behind both inbound modes (gateway dispatch and the
 * signed HTTP endpoint): `/ticket`, the form's modal and the card's components.
 * Every interaction is answered once; replays (same interaction id) do no work twice.
 */
export class InteractionHandler {
  private readonly log: Logger;

  constructor(private readonly deps: InteractionDeps) {
    this.log = deps.logger.child({ component: 'discord-interactions' });
  }

  async handle(i: APIInteraction, reply: InteractionReply): Promise<void> {
    switch (i.type) {
      case InteractionType.Ping:
        return reply.respond({ type: InteractionResponseType.Pong });
      case InteractionType.ApplicationCommand:
        return this.command(i as APIChatInputApplicationCommandInteraction, reply);
      case InteractionType.ModalSubmit:
        return this.modalSubmit(i, reply);
      case InteractionType.MessageComponent:
        return this.component(i, reply);
      default:
        // Autocomplete: /ticket has no autocompleted option, so there is nothing to suggest.
        return reply.respond({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } });
    }
  }

  private get desk() {
    return this.deps.desk.desk;
  }

  private async command(i: APIChatInputApplicationCommandInteraction, reply: InteractionReply): Promise<void> {
    const options = new Map<string, string>();
    for (const o of i.data.options ?? []) if (o.type === ApplicationCommandOptionType.String) options.set(o.name, o.value);
    const text = (options.get('text') ?? '').trim();
    const locale = interactionLocale(i, text, this.desk.locale);
    const typeId = options.get(TYPE_OPTION);
    if (typeId) return reply.respond(this.modal(locale, typeId, text));

    const parsed = parseCommandText(text);
    if (parsed.kind === 'form') return reply.respond(this.modal(locale, undefined, ''));
    if (parsed.kind === 'help') return reply.respond(ephemeral(escapeDiscord(this.deps.desk.help(locale).text)));
    if (parsed.kind !== 'quick') {
      await reply.respond(DEFERRED_EPHEMERAL);
      const message = await this.deps.desk.runCommand(parsed, interactionUser(i), locale);
      return this.deps.webhook.editOriginal(i.token, escapeDiscord(message.text));
    }
    const draft = quickDraft(parsed.text, this.desk);
    // A modal must be the first response: no database round trip before it.
    if (!draft) return reply.respond(this.modal(locale, undefined, parsed.text));
    await this.openTicket(i, reply, draft, locale);
  }

  private modal(locale: Locale, typeId: string | undefined, text: string) {
    const form = ticketForm(this.desk, locale, { typeId, title: text ? draftFromText(text).title : undefined });
    const type = findTicketType(this.desk, form.typeId);
    return { type: InteractionResponseType.Modal as const, data: formToModal(form, locale, type ? localize(type.name, locale) : form.typeId) };
  }

  private async modalSubmit(i: APIModalSubmitInteraction, reply: InteractionReply): Promise<void> {
    const meta = parseModalId(i.data.custom_id);
    if (!meta) return reply.respond(ephemeral(escapeDiscord(t(this.desk.locale, 'actor.failed'))));
    const form = ticketForm(this.desk, meta.locale, { typeId: meta.typeId });
    const draft = modalToDraft(form, i);
    const validation = this.deps.desk.validate(draft);
    // Discord cannot mark fields inside a modal: the errors go back as an ephemeral message, nothing is stored.
    if (!validation.ok) return reply.respond(ephemeral(errorsText(form, validation.errors, meta.locale)));
    await this.openTicket(i, reply, draft, meta.locale);
  }

  private async openTicket(i: APIInteraction, reply: InteractionReply, draft: RawTicketDraft, locale: Locale): Promise<void> {
    if (!(await this.deps.deliveries.firstDelivery(`discord:${i.id}`))) {
      this.log.info({ interaction: i.id }, 'replayed interaction ignored');
      return reply.replayed(DEFERRED_EPHEMERAL);
    }
    await reply.respond(DEFERRED_EPHEMERAL);
    const requester = interactionUser(i);
    let text: string;
    try {
      const result = await this.deps.desk.openTicket(draft, requester);
      text = result.ok ? t(locale, 'command.created', { key: result.ticket.key }) : t(locale, 'command.failed', { text: String(draft.title) });
    } catch (err) {
      this.log.error({ err, user: requester.id }, 'opening a ticket failed');
      text = t(locale, 'command.failed', { text: String(draft.title) });
    }
    // Even when the DM failed (closed DMs), this reply names the ticket key.
    await this.deps.webhook.editOriginal(i.token, escapeDiscord(text));
  }

  private async component(i: APIMessageComponentInteraction, reply: InteractionReply): Promise<void> {
    const parsed = parseCustomId(i.data.custom_id);
    if (!(await this.deps.deliveries.firstDelivery(`discord:${i.id}`))) return reply.replayed(DEFERRED_UPDATE);
    const actor = interactionUser(i);
    const scope: ComponentScope = { messageId: i.message.id, answered: false, respond: (body) => reply.respond(body) };
    const timer = setTimeout(() => {
      answerOnce(scope, DEFERRED_UPDATE).catch((err: unknown) => this.log.warn({ err }, 'acknowledging the click failed'));
    }, CLICK_ACK_BUDGET_MS);
    try {
      let reply: string | undefined;
      if (parsed && i.data.component_type === ComponentType.Button && isCardAction(parsed.action)) {
        const result = await componentScope.run(scope, () => this.deps.desk.cardAction(parsed.action, parsed.value, actor));
        reply = result.reply?.text;
      } else {
        const action = this.action(i, parsed, actor);
        await componentScope.run(scope, () => this.deps.desk.act(parsed?.value ?? '', action, actor));
      }
      // Nothing to re-render here (e.g. no change): acknowledge without touching the message.
      if (reply) {
        const content = escapeDiscord(reply);
        if (!(await answerOnce(scope, ephemeral(content)))) await this.deps.webhook.followUpEphemeral(i.token, content);
      } else await answerOnce(scope, DEFERRED_UPDATE);
    } catch (err) {
      const feedback = feedbackForError(err, this.desk.locale, parsed?.value ?? '');
      if (feedback.expected) this.log.info({ ticket: parsed?.value, reason: feedback.text }, 'action refused');
      else this.log.error({ err, ticket: parsed?.value }, 'action failed');
      const content = escapeDiscord(feedback.text);
      if (!(await answerOnce(scope, ephemeral(content)))) await this.deps.webhook.followUpEphemeral(i.token, content);
    } finally {
      clearTimeout(timer);
    }
  }

  private action(i: APIMessageComponentInteraction, parsed: { action: string; value: string } | undefined, actor: UserRef): TicketAction {
    if (!parsed) throw new ChatdeskError('chatdesk_ticket_not_found', 'component without a ticket id');
    if (i.data.component_type === ComponentType.UserSelect && parsed.action === 'assign') {
      const id = i.data.values[0];
      const user = id ? i.data.resolved.users[id] : undefined;
      if (!id) throw new ChatdeskError('chatdesk_transition_illegal', 'Pick someone to assign.');
      const member = id ? i.data.resolved.members?.[id] : undefined;
      const assignee: UserRef = user ? discordUser(user, member?.nick) : { platform: 'discord', id };
      return { kind: 'assign', assignee };
    }
    throw new ChatdeskError('chatdesk_ticket_not_found', `unknown component ${parsed.action}`);
  }
}
