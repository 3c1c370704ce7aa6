import type { App } from '@microsoft/teams.apps';
import { parseTextCommand } from '../../core/commands';
import { ticketForm } from '../../core/forms/ticket-form';
import { type Locale, t } from '../../core/i18n';
import { draftFromText, quickDraft } from '../../core/quick-draft';
import { adaptiveCard, cardAttachment, textBlock } from './adaptive-card';
import { dialogMessage, dialogResponse, FORM_KEY, FORM_STEP, formToCard, submittedValues, valuesToDraft } from './form-dialog';
import { clip, escapeCardText, typedText } from './text';
import { actorOf, firstDelivery, type Inbound, localeOf, replyPrivately, type TeamsDeps } from './turn';

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
    if (!(await firstDelivery(deps, a))) {
      log.info({ activity: a.id }, 'duplicate Teams delivery ignored');
      return;
    }
    const reply = (message: { text: string } | Record<string, unknown>) => replyPrivately(ctx.api, a, message).catch((err: unknown) => log.warn({ err }, 'replying to the sender failed'));
    const user = actorOf(a);
    if (!command) {
      // Not a command: in the 1:1 chat, an answer on one of their tickets (a ticket waiting on them resumes); otherwise help.
      const personal = a.conversation.conversationType === 'personal';
      const answer = personal ? await desk.requesterMessage(user, text, a.replyToId) : undefined;
      return void (await reply(answer ?? desk.help(locale)));
    }
    if (command.kind !== 'form' && command.kind !== 'quick') return void (await reply(await desk.runCommand(command, user, locale)));
    const quick = command.kind === 'quick' ? quickDraft(command.text, desk.desk) : undefined;
    if (!quick) {
      await reply(formLauncher(locale, command.kind === 'quick' ? draftFromText(command.text).title : undefined));
      return;
    }
    try {
      const result = await desk.openTicket(quick, user);
      if (result.ok) await reply({ text: t(locale, 'command.created', { key: result.ticket.key }) });
    } catch (err) {
      log.error({ err, user: user.id }, 'opening a ticket failed');
      await reply({ text: t(locale, 'command.failed', { text: String(quick.title) }) });
    }
  });

  app.on('dialog.open', async (ctx) => {
    const a = ctx.activity as unknown as Inbound;
    adapter.learn(a);
    const data = ((a.value as { data?: Record<string, unknown> } | undefined)?.data ?? {}) as Record<string, unknown>;
    const title = typeof data.title === 'string' ? data.title : undefined;
    const form = ticketForm(desk.desk, localeOf(a, title ?? '', desk.desk.locale), { title });
    return dialogResponse(form, formToCard(form));
  });

  app.on('dialog.submit', async (ctx) => {
    const a = ctx.activity as unknown as Inbound;
    adapter.learn(a);
    const values = submittedValues((a.value as { data?: unknown } | undefined)?.data);
    const locale = localeOf(a, values.title ?? '', desk.desk.locale);
    const form = ticketForm(desk.desk, locale, { typeId: values.type, title: values.title });
    if (values[FORM_STEP] === 'refresh') return dialogResponse(form, formToCard(form, values));
    const draft = valuesToDraft(form, values);
    draft.type = values.type;
    const validation = desk.validate(draft);
    if (!validation.ok) return dialogResponse(form, formToCard(form, values, validation.errors));
    // A redelivered submission closes the dialog without a second ticket.
    if (!(await firstDelivery(deps, a))) return undefined;
    try {
      const result = await desk.openTicket(draft, actorOf(a));
      if (!result.ok) return dialogResponse(form, formToCard(form, values, result.errors));
      return dialogMessage(t(locale, 'command.created', { key: result.ticket.key }));
    } catch (err) {
      log.error({ err, user: a.from.id }, 'opening a ticket failed');
      return dialogMessage(t(locale, 'command.failed', { text: String(draft.title) }));
    }
  });
}
