import {
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageApplicationCommandInteraction,
  ApplicationCommandType,
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
import { ticketTextRequest } from '../../core/forms/ticket-text-forms';
import type { HelpDesk } from '../../core/help-desk';
import { type Locale, localize, t } from '../../core/i18n';
import { draftFromMessage, draftFromText, quickDraft } from '../../core/quick-draft';
import { ChatdeskError } from '../../domain/errors';
import { findTicketType } from '../../domain/ticket/ticket-draft';
import type { IntakeEvent, IntakeRequest } from '../../core/intake/intake-event';
import type { IntakePipeline } from '../../core/intake/intake-pipeline';
import { intakeRefusal } from '../../core/intake/refusal';
import type { Logger } from '../../logger';
import type { UserRef } from '../../domain/ticket/ticket';
import { TYPE_OPTION } from './application-command';
import { parseCustomId } from './card-embed';
import type { DiscordReplyRoute } from './discord-replier';
import { escapeDiscord } from './discord-text';
import { errorsText, formToModal, type ModalSource, modalToDraft, parseModalId, parseTextFormModal, textFormToModal } from './form-modal';
import { discordUser, interactionLocale, interactionUser } from './interaction-context';
import { DEFERRED_EPHEMERAL, DEFERRED_UPDATE, ephemeral, type InteractionReply, type InteractionWebhook } from './interaction-replies';
import { answerOnce, type ComponentScope, componentScope } from './component-scope';

/** Answer a click by then, whatever the work still does (Discord allows 3 s; 2.5 s leaves the answer 0.5 s, as on Feishu and Slack). */
const CLICK_ACK_BUDGET_MS = 2500;
import { isCardAction } from '../../core/card-buttons';
import type { WaitedSubmit } from '../../core/intake/intake-pipeline';

export interface InteractionDeps {
  desk: HelpDesk;
  intake: IntakePipeline;
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
        return this.command(i as APIChatInputApplicationCommandInteraction | APIMessageApplicationCommandInteraction, reply);
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

  private async command(i: APIChatInputApplicationCommandInteraction | APIMessageApplicationCommandInteraction, reply: InteractionReply): Promise<void> {
    if (i.data.type === ApplicationCommandType.Message) return this.messageCommand(i as APIMessageApplicationCommandInteraction, reply);
    const options = new Map<string, string>();
    for (const o of i.data.options ?? []) if (o.type === ApplicationCommandOptionType.String) options.set(o.name, o.value);
    const text = (options.get('text') ?? '').trim();
    const locale = interactionLocale(i, text, this.desk.locale);
    const typeId = options.get(TYPE_OPTION);
    if (typeId) return reply.respond(this.modal(locale, typeId, text));

    const parsed = parseCommandText(text);
    if (parsed.kind === 'form') return reply.respond(this.modal(locale, undefined, ''));
    if (parsed.kind === 'help') return reply.respond(ephemeral(escapeDiscord(this.deps.desk.help(locale).text)));
    // A modal must be the first response: no database round trip before it.
    if (parsed.kind === 'quick' && !quickDraft(parsed.text, this.desk)) return reply.respond(this.modal(locale, undefined, parsed.text));
    await this.submit(i, reply, { kind: 'command', text }, locale, { via: 'edit', token: i.token }, DEFERRED_EPHEMERAL);
  }

  private modal(locale: Locale, typeId: string | undefined, text: string, from?: { source: ModalSource; description: string }) {
    const form = ticketForm(this.desk, locale, {
      typeId,
      title: text ? draftFromText(text).title : undefined,
      ...(from ? { description: from.description } : {}),
    });
    const type = findTicketType(this.desk, form.typeId);
    return { type: InteractionResponseType.Modal as const, data: formToModal(form, locale, type ? localize(type.name, locale) : form.typeId, from?.source) };
  }

  /**
   * The message context-menu command: the form opens filled with the message's text and link (both in the
   * interaction: no call before the modal). A bot's message, or one with no text, opens no form: stored
   * like any request, and the core tells the clicker why.
   */
  private async messageCommand(i: APIMessageApplicationCommandInteraction, reply: InteractionReply): Promise<void> {
    const target = i.data.resolved.messages[i.data.target_id];
    const text = target?.content ?? '';
    const locale = interactionLocale(i, text, this.desk.locale);
    const source = { channelId: target?.channel_id ?? i.channel.id, messageId: i.data.target_id };
    if (!target || target.author.bot || !text.trim()) {
      const from = target ? { author: discordUser(target.author), text, fromBot: !!target.author.bot } : {};
      return this.submit(
        i,
        reply,
        { kind: 'from_message', via: 'shortcut', source: { ...source, ...from } },
        locale,
        { via: 'edit', token: i.token },
        DEFERRED_EPHEMERAL,
      );
    }
    const guild = i.guild_id ?? '@me';
    const link = `https://discord.com/channels/${guild}/${source.channelId}/${source.messageId}`;
    const description = draftFromMessage(text, t(this.desk.locale, 'fromMessage.source', { link })).description;
    return reply.respond(this.modal(locale, undefined, text, { source, description }));
  }

  private async modalSubmit(i: APIModalSubmitInteraction, reply: InteractionReply): Promise<void> {
    const typed = parseTextFormModal(i);
    // The note or comment modal: the core checks who may (a submission can come without the modal) and refuses an empty one.
    if (typed)
      return this.submit(
        i,
        reply,
        ticketTextRequest(typed.form, typed.ticketId, typed.text),
        typed.locale,
        { via: 'edit', token: i.token },
        DEFERRED_EPHEMERAL,
      );
    const meta = parseModalId(i.data.custom_id);
    if (!meta) return reply.respond(ephemeral(escapeDiscord(t(this.desk.locale, 'actor.failed'))));
    const form = ticketForm(this.desk, meta.locale, { typeId: meta.typeId });
    const draft = modalToDraft(form, i);
    const validation = this.deps.desk.validate(draft);
    // Discord cannot mark fields inside a modal: the errors go back as an ephemeral message, nothing is stored.
    if (!validation.ok) return reply.respond(ephemeral(errorsText(form, validation.errors, meta.locale)));
    const request: IntakeRequest = meta.source
      ? // The author is read when the work starts (the custom_id has room for the message's ids only).
        { kind: 'from_message', via: 'shortcut', draft, source: meta.source }
      : { kind: 'submit', draft };
    await this.submit(i, reply, request, meta.locale, { via: 'edit', token: i.token }, DEFERRED_EPHEMERAL);
  }

  /**
   * Stores the interaction, then gives Discord its first response (`first`:
   * "thinking…" or a silent acknowledgement); the outcome follows through the
   * interaction's webhook. A replay (same interaction id) does no work twice;
   * a request that cannot be stored is answered with the reason, privately.
   */
  private async submit(
    i: APIInteraction,
    reply: InteractionReply,
    request: IntakeRequest,
    locale: Locale,
    route: DiscordReplyRoute,
    first: typeof DEFERRED_EPHEMERAL,
  ): Promise<void> {
    const event: IntakeEvent = { id: `discord:${i.id}`, platform: 'discord', user: interactionUser(i), locale, request, reply: route };
    let result: 'accepted' | 'duplicate';
    try {
      result = await this.deps.intake.submit(event);
    } catch (err) {
      return reply.respond(ephemeral(escapeDiscord(intakeRefusal(err, locale).text)));
    }
    if (result === 'duplicate') {
      this.log.info({ interaction: i.id }, 'replayed interaction ignored');
      return reply.replayed(first);
    }
    await reply.respond(first);
  }

  private async component(i: APIMessageComponentInteraction, reply: InteractionReply): Promise<void> {
    const parsed = parseCustomId(i.data.custom_id);
    let request: IntakeRequest;
    try {
      if (!parsed) throw new ChatdeskError('chatdesk_ticket_not_found', 'component without a ticket id');
      if (i.data.component_type === ComponentType.Button && isCardAction(parsed.action))
        request = { kind: 'button', action: parsed.action, ticketId: parsed.value };
      else request = { kind: 'button', action: 'assign', ticketId: parsed.value, assignee: this.assignee(i, parsed) };
    } catch (err) {
      const feedback = feedbackForError(err, this.desk.locale, parsed?.value ?? '');
      this.log.info({ ticket: parsed?.value, reason: feedback.text }, 'action refused');
      return reply.respond(ephemeral(escapeDiscord(feedback.text)));
    }
    // Waits up to 2 s for the work, so the clicked card is answered with its new state in the response itself ("update message").
    const scope: ComponentScope = { messageId: i.message.id, answered: false, respond: (body) => reply.respond(body) };
    const event: IntakeEvent = {
      id: `discord:${i.id}`,
      platform: 'discord',
      user: interactionUser(i),
      locale: this.desk.locale,
      request,
      reply: { via: 'followup', token: i.token },
    };
    let answer: WaitedSubmit;
    try {
      answer = await componentScope.run(scope, () => this.deps.intake.submitAndWait(event, CLICK_ACK_BUDGET_MS));
    } catch (err) {
      return reply.respond(ephemeral(escapeDiscord(intakeRefusal(err, this.desk.locale).text)));
    }
    if (answer.result === 'duplicate') return reply.replayed(DEFERRED_UPDATE);
    // Note or "Add a comment", allowed: its modal is the first response (a late outcome gets the command to type instead, as a follow-up).
    const form = answer.outcome?.form;
    if (form && (await answerOnce(scope, { type: InteractionResponseType.Modal, data: textFormToModal(form, this.desk.locale) }))) return;
    const text = answer.outcome?.message?.text;
    if (text && !(await answerOnce(scope, ephemeral(escapeDiscord(text))))) await this.deps.webhook.followUpEphemeral(i.token, escapeDiscord(text));
    // Not done yet (the outcome follows through the webhook), or nothing to say: acknowledge without touching the message.
    await answerOnce(scope, DEFERRED_UPDATE);
  }

  /** The person picked in the assign menu (resolved from the interaction's own data, no call to Discord). */
  private assignee(i: APIMessageComponentInteraction, parsed: { action: string; value: string }): UserRef {
    if (i.data.component_type === ComponentType.UserSelect && parsed.action === 'assign') {
      const id = i.data.values[0];
      const user = id ? i.data.resolved.users[id] : undefined;
      if (!id) throw new ChatdeskError('chatdesk_transition_illegal', 'Pick someone to assign.');
      const member = id ? i.data.resolved.members?.[id] : undefined;
      return user ? discordUser(user, member?.nick) : { platform: 'discord', id };
    }
    throw new ChatdeskError('chatdesk_ticket_not_found', `unknown component ${parsed.action}`);
  }
}
