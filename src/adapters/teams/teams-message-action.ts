import type { App } from '@microsoft/teams.apps';
import { COMMANDS } from '../../core/commands';
import { ticketForm } from '../../core/forms/ticket-form';
import { t } from '../../core/i18n';
import type { SourceMessage } from '../../core/intake/intake-event';
import { intakeRefusal } from '../../core/intake/refusal';
import { draftFromMessage, draftFromText } from '../../core/quick-draft';
import type { UserRef } from '../../domain/ticket/ticket';
import { baseConversationId } from './conversation-ids';
import { ANSWER_WITHIN_MS, submitDialog } from './dialog-submit';
import { dialogMessage, dialogResponse, formToCard, submittedValues } from './form-dialog';
import { typedText } from './text';
import { type Inbound, localeOf, type TeamsDeps, teamsEvent } from './turn';

/** The message a message action was picked on (`composeExtension/*` invokes carry it as `messagePayload`). */
interface MessagePayload {
  id?: string;
  body?: { contentType?: string; content?: string };
  from?: { user?: { id?: string; displayName?: string }; application?: { id?: string } } | null;
  linkToMessage?: string;
}

interface ActionValue {
  commandId?: string;
  commandContext?: string;
  data?: unknown;
  messagePayload?: MessagePayload;
}

/**
 * Message → ticket on Teams: the message extension's action command (in a
 * message's "…" → More actions). `composeExtension/fetchTask` opens the ticket
 * dialog filled with the message's text and link; `composeExtension/submitAction`
 * stores it with the message as its source (the author is the requester, the
 * clicker its reporter). A bot's message, or one without text, opens no dialog:
 * the core says why.
 */
export function registerTeamsMessageAction(app: App, deps: TeamsDeps): void {
  const { desk, adapter } = deps;
  const log = deps.logger.child({ component: 'teams-message-action' });

  /** The message as the core's source; the author's Entra id becomes their Teams id (one roster look-up). */
  const sourceOf = async (a: Inbound, p: MessagePayload): Promise<SourceMessage> => {
    const text = typedText(p.body?.content);
    const [, root] = a.conversation.id.split(';messageid=');
    const messageId = p.id ?? '';
    const fromBot = !!p.from?.application || !p.from?.user?.id;
    let author: UserRef = {
      platform: 'teams',
      id: p.from?.user?.id ?? p.from?.application?.id ?? '',
      ...(p.from?.user?.displayName ? { name: p.from.user.displayName } : {}),
    };
    if (!fromBot) {
      author = await adapter.member(a.conversation.id, author.id).catch((err: unknown) => {
        log.warn({ err }, 'the author of the message could not be looked up; kept by Entra id');
        return author;
      });
    }
    return {
      channelId: baseConversationId(a.conversation.id),
      messageId,
      ...(root && root !== messageId ? { threadId: root } : {}),
      author,
      text,
      fromBot,
      ...(p.linkToMessage ? { link: p.linkToMessage } : {}),
    };
  };

  const ours = (v: ActionValue | undefined) => v?.commandId === COMMANDS.fromMessage.id && !!v.messagePayload;

  app.on('message.ext.open', async (ctx) => {
    const a = ctx.activity as unknown as Inbound;
    adapter.learn(a);
    const value = a.value as ActionValue | undefined;
    if (!ours(value)) return undefined;
    const source = await sourceOf(a, value!.messagePayload!);
    const text = source.text ?? '';
    const locale = localeOf(a, text, desk.desk.locale);
    if (source.fromBot || !text.trim()) {
      // Nothing to put in a form: stored like any request; the dialog shows the core's answer.
      try {
        const answer = await deps.intake.submitAndWait(teamsEvent(a, locale, { kind: 'from_message', via: 'shortcut', source }), ANSWER_WITHIN_MS);
        return dialogMessage(answer.outcome?.message?.text ?? t(locale, 'intake.received'));
      } catch (err) {
        return dialogMessage(intakeRefusal(err, locale).text);
      }
    }
    const sourceLine = source.link ? t(desk.desk.locale, 'fromMessage.source', { link: source.link }) : undefined;
    const form = ticketForm(desk.desk, locale, {
      title: draftFromText(text).title,
      description: draftFromMessage(text, sourceLine).description,
      today: desk.today(),
    });
    return dialogResponse(form, formToCard(form));
  });

  app.on('message.ext.submit', async (ctx) => {
    const a = ctx.activity as unknown as Inbound;
    adapter.learn(a);
    const value = a.value as ActionValue | undefined;
    if (!ours(value)) return undefined;
    return submitDialog(deps, a, submittedValues(value!.data), async (draft) => ({
      kind: 'from_message',
      via: 'shortcut',
      draft,
      source: await sourceOf(a, value!.messagePayload!),
    }));
  });
}
