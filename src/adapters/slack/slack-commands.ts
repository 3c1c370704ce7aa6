import type { AckFn, App, ViewResponseAction } from '@slack/bolt';
import { parseCommandText } from '../../core/commands';
import type { HelpDesk } from '../../core/help-desk';
import { ticketForm } from '../../core/forms/ticket-form';
import { type Locale, localeForText } from '../../core/i18n';
import type { IntakeRequest } from '../../core/intake/intake-event';
import type { IntakePipeline } from '../../core/intake/intake-pipeline';
import { intakeRefusal } from '../../core/intake/refusal';
import { draftFromText, quickDraft } from '../../core/quick-draft';
import { isChatdeskError } from '../../domain/errors';
import type { Logger } from '../../logger';
import { escapeMrkdwn } from './mrkdwn';
import type { SlackReplyRoute } from './slack-replier';
import { FORM_CALLBACK_ID, FORM_TYPE_ACTION, formToModal, modalStateToDraft, parseMetadata } from './form-modal';

export interface SlackListenerDeps {
  desk: HelpDesk;
  intake: IntakePipeline;
  logger: Logger;
}

/**
 * Stores the request, then acknowledges; when it cannot be stored, Slack is
 * not told it succeeded: busy gets a visible "try again", a failed database a
 * 500 (Slack shows the person that the command failed).
 */
export async function submitThenAck(
  intake: IntakePipeline,
  event: Parameters<IntakePipeline['submit']>[0],
  ack: (r?: { response_type: 'ephemeral'; text: string }) => Promise<void>,
): Promise<void> {
  try {
    await intake.submit(event);
  } catch (err) {
    if (!isChatdeskError(err, 'chatdesk_busy')) throw err;
    await ack({ response_type: 'ephemeral', text: escapeMrkdwn(intakeRefusal(err, event.locale).text) });
    return;
  }
  await ack();
}

/** `/ticket` (modal, direct text, sub-commands), the modal's type switch and its submission. */
export function registerSlackCommands(app: App, { desk, intake }: SlackListenerDeps): void {
  app.command('/ticket', async ({ command, ack, client }) => {
    const text = typeof command.text === 'string' ? command.text.trim() : '';
    const locale = localeForText(text, desk.desk.locale);
    const parsed = parseCommandText(text);
    if (parsed.kind === 'help') {
      await ack({ response_type: 'ephemeral', text: escapeMrkdwn(desk.help(locale).text) });
      return;
    }
    if (parsed.kind === 'form' || (parsed.kind === 'quick' && !quickDraft(text, desk.desk))) {
      // No database round trip before views.open: the trigger expires about 3 s after the command.
      await ack();
      const form = ticketForm(desk.desk, locale, { title: text ? draftFromText(text).title : undefined });
      await client.views.open({ trigger_id: command.trigger_id, view: formToModal(form, { channelId: command.channel_id }) });
      return;
    }
    const reply: SlackReplyRoute = { via: 'respond', responseUrl: command.response_url, userId: command.user_id };
    await submitThenAck(
      intake,
      {
        id: `slack:cmd:${command.trigger_id}`,
        platform: 'slack',
        user: { platform: 'slack', id: command.user_id, name: command.user_name },
        locale,
        request: { kind: 'command', text },
        reply,
      },
      ack,
    );
  });

  app.action({ type: 'block_actions', action_id: FORM_TYPE_ACTION }, async ({ ack, body, client }) => {
    await ack();
    const view = body.view;
    const selected = body.actions[0]?.type === 'static_select' ? body.actions[0].selected_option?.value : undefined;
    if (!view || !selected) return;
    const titleState = (view.state?.values?.title?.value as { value?: string } | undefined)?.value ?? undefined;
    const locale = localeForText(titleState ?? '', desk.desk.locale);
    const form = ticketForm(desk.desk, locale, { typeId: selected, title: titleState });
    await client.views.update({ view_id: view.id, hash: view.hash, view: formToModal(form, parseMetadata(view.private_metadata)) });
  });

  app.view(FORM_CALLBACK_ID, async ({ ack, body, view }) => {
    const typeId = (view.state.values.type?.[FORM_TYPE_ACTION] as { selected_option?: { value?: string } } | undefined)?.selected_option?.value;
    const form = ticketForm(desk.desk, desk.desk.locale, { typeId });
    const draft = modalStateToDraft(form, view.state.values as never);
    const validation = desk.validate(draft);
    if (!validation.ok) {
      await ack({ response_action: 'errors', errors: validation.errors });
      return;
    }
    const locale = localeForText(String(draft.title ?? ''), desk.desk.locale);
    const meta = parseMetadata(view.private_metadata);
    const reply: SlackReplyRoute = { via: 'view', channelId: meta.channelId, userId: body.user.id };
    // Opened by the message shortcut: the message's author is the requester, the submitter its reporter.
    const src = meta.source;
    const request: IntakeRequest = src
      ? {
          kind: 'from_message',
          via: 'shortcut',
          draft,
          source: {
            channelId: src.c,
            messageId: src.m,
            ...(src.t ? { threadId: src.t } : {}),
            author: { platform: 'slack', id: src.a },
            text: String(draft.description ?? ''),
            ...(src.l ? { link: src.l } : {}),
          },
        }
      : { kind: 'submit', draft };
    await submitViewThenAck(intake, { body, view, locale, request, reply, errorBlock: 'title' }, ack);
  });
}

/**
 * A modal's submission: stored, then acknowledged (the modal closes); when it cannot be stored
 * the modal stays open with the reason under `errorBlock`, so nothing typed is lost.
 */
export async function submitViewThenAck(
  intake: IntakePipeline,
  s: {
    body: { user: { id: string; name?: string } };
    view: { id: string; hash: string };
    locale: Locale;
    request: IntakeRequest;
    reply: SlackReplyRoute;
    errorBlock: string;
  },
  ack: AckFn<void> | AckFn<ViewResponseAction>,
): Promise<void> {
  try {
    await intake.submit({
      id: `slack:view:${s.view.id}:${s.view.hash}`,
      platform: 'slack',
      user: { platform: 'slack', id: s.body.user.id, ...(s.body.user.name ? { name: s.body.user.name } : {}) },
      locale: s.locale,
      request: s.request,
      reply: s.reply,
    });
  } catch (err) {
    await ack({ response_action: 'errors', errors: { [s.errorBlock]: intakeRefusal(err, s.locale).text } });
    return;
  }
  await ack();
}
