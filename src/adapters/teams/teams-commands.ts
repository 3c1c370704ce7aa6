import type { App } from '@microsoft/teams.apps';
import { isMarkedForRequester } from '../../core/card-thread-replies';
import { parseTextCommand } from '../../core/commands';
import { ticketForm } from '../../core/forms/ticket-form';
import { type Locale, t } from '../../core/i18n';
import { draftFromText, quickDraft } from '../../core/quick-draft';
import { adaptiveCard, cardAttachment, textBlock } from './adaptive-card';
import { submitDialog } from './dialog-submit';
import { dialogResponse, FORM_KEY, formToCard, submittedValues } from './form-dialog';
import { clip, escapeCardText, typedText } from './text';
import { intakeRefusal } from '../../core/intake/refusal';
import { isTicketTextForm, ticketTextForm } from '../../core/forms/ticket-text-forms';
import { openTextDialog, submitTextDialog } from './teams-text-dialog';
import { type Inbound, localeOf, replyPrivately, type TeamsDeps, teamsEvent } from './turn';

/**
 * Text commands (`ticket …`, typed in a 1:1 chat or after @mentioning the bot
 * in a channel; the manifest's command list inserts them) and the new-ticket
 * dialog (task/fetch opens it, task/submit re-renders or submits it).
 */
export function registerTeamsCommands(app: App, deps: TeamsDeps): void {
  const { desk, adapter } = deps;
  const log = deps.logger.child({ component: 'teams-commands' });

  /** The card with the button that opens the dialog (a message cannot open one directly). */
  const formLauncher = (locale: Locale, title: string | undefined) => {
    const data = { msteams: { type: 'task/fetch' }, [FORM_KEY]: 'new_ticket', ...(title ? { title: clip(title, 150) } : {}) };
    const card = adaptiveCard([textBlock(escapeCardText(t(locale, 'command.help')))], [{ type: 'Action.Submit', title: t(locale, 'form.title'), data }]);
    return { type: 'message', summary: t(locale, 'form.title'), attachments: [cardAttachment(card)] };
  };

  app.on('message', async (ctx) => {
    const a = ctx.activity as unknown as Inbound;
    adapter.learn(a);
    const text = typedText(a.text);
    const locale = localeOf(a, text, desk.desk.locale);
    const command = parseTextCommand(text);
    const reply = (message: { text: string } | Record<string, unknown>) =>
      replyPrivately(ctx.api, a, message).catch((err: unknown) => log.warn({ err }, 'replying to the sender failed'));
    const personal = a.conversation.conversationType === 'personal';
    // In a channel thread (a ticket card's), a line marked for the requester (`@chatdesk >> …`); any other line there is left alone.
    const [, threadRoot] = a.conversation.id.split(';messageid=');
    if (!personal && threadRoot && threadRoot !== a.id && isMarkedForRequester(text)) {
      await deps.intake.submit(teamsEvent(a, locale, { kind: 'card_reply', text, card: threadRoot }));
      return;
    }
    // What creates nothing is answered at once: help, the form launcher, and (outside the 1:1 chat) anything that is not a command.
    if (command?.kind === 'help' || (!command && !personal)) return void (await reply(desk.help(locale)));
    if (command?.kind === 'form' || (command?.kind === 'quick' && !quickDraft(command.text, desk.desk))) {
      return void (await reply(formLauncher(locale, command.kind === 'quick' ? draftFromText(command.text).title : undefined)));
    }
    try {
      // Stored before Teams hears back; a failure to store answers 500, and the sender sees the message failed.
      await deps.intake.submit(teamsEvent(a, locale, { kind: 'message', text, ...(a.replyToId ? { threadId: a.replyToId } : {}) }));
    } catch (err) {
      const refusal = intakeRefusal(err, locale);
      if (refusal.reason !== 'busy') throw err;
      await reply({ text: refusal.text });
    }
  });

  app.on('dialog.open', async (ctx) => {
    const a = ctx.activity as unknown as Inbound;
    adapter.learn(a);
    const data = ((a.value as { data?: Record<string, unknown> } | undefined)?.data ?? {}) as Record<string, unknown>;
    const textForm = data[FORM_KEY];
    if (isTicketTextForm(textForm)) return openTextDialog(deps, a, textForm, typeof data.ticketId === 'string' ? data.ticketId.slice(0, 64) : '');
    const title = typeof data.title === 'string' ? data.title : undefined;
    const form = ticketForm(desk.desk, localeOf(a, title ?? '', desk.desk.locale), { title, today: desk.today() });
    return dialogResponse(form, formToCard(form));
  });

  app.on('dialog.submit', async (ctx) => {
    const a = ctx.activity as unknown as Inbound;
    adapter.learn(a);
    const values = submittedValues((a.value as { data?: unknown } | undefined)?.data);
    const textForm = values[FORM_KEY];
    if (isTicketTextForm(textForm)) {
      // The form is rebuilt from what the dialog sent (the ticket's id): what matters is checked again in the core.
      const ticket = { id: (values.ticketId ?? '').slice(0, 64), key: (values.ticketKey ?? '').slice(0, 20), type: '' };
      return submitTextDialog(deps, a, textForm, ticketTextForm(textForm, ticket, localeOf(a, '', desk.desk.locale)), values);
    }
    return submitDialog(deps, a, values, (draft) => ({ kind: 'submit', draft }));
  });
}
