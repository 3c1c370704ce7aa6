import type { App } from '@slack/bolt';
import { parseCommandText } from '../../core/commands';
import type { HelpDesk } from '../../core/help-desk';
import { ticketForm } from '../../core/forms/ticket-form';
import { localeForText, t } from '../../core/i18n';
import { draftFromText, quickDraft } from '../../core/quick-draft';
import type { DeliveryLog } from '../../domain/ticket/ticket.repository.port';
import type { Logger } from '../../logger';
import type { SlackAdapter } from './slack-adapter';
import { escapeMrkdwn } from './mrkdwn';
import { FORM_CALLBACK_ID, FORM_TYPE_ACTION, formToModal, modalStateToDraft, parseMetadata } from './form-modal';

export interface SlackListenerDeps {
  desk: HelpDesk;
  deliveries: DeliveryLog;
  logger: Logger;
}

/** `/ticket` (modal, direct text, `help`, `escalations`), the modal's type switch and its submission. */
export function registerSlackCommands(app: App, adapter: SlackAdapter, { desk, deliveries, logger }: SlackListenerDeps): void {
  const log = logger.child({ component: 'slack-commands' });

  app.command('/ticket', async ({ command, ack, client, respond }) => {
    const text = command.text.trim();
    const locale = localeForText(text, desk.desk.locale);
    const parsed = parseCommandText(text);
    if (parsed.kind === 'help') {
      await ack({ response_type: 'ephemeral', text: escapeMrkdwn(desk.help(locale).text) });
      return;
    }
    if (parsed.kind !== 'form' && parsed.kind !== 'quick') {
      await ack();
      const answer = await desk.runCommand(parsed, await adapter.user(command.user_id, command.user_name), locale);
      // User text (titles, replies) is escaped so it can never ping a channel.
      await respond({ response_type: 'ephemeral', text: escapeMrkdwn(answer.text) });
      return;
    }
    const quick = quickDraft(text, desk.desk);
    if (!quick) {
      await ack();
      // No database round trip before views.open: the trigger expires about 3 s after the command.
      // A retried delivery reuses the trigger, which Slack refuses as already exchanged.
      const form = ticketForm(desk.desk, locale, { title: text ? draftFromText(text).title : undefined });
      await client.views.open({ trigger_id: command.trigger_id, view: formToModal(form, { channelId: command.channel_id }) });
      return;
    }
    await ack();
    if (!(await deliveries.firstDelivery(`slack:cmd:${command.trigger_id}`))) {
      log.info({ trigger: command.trigger_id }, 'duplicate slash command delivery ignored');
      return;
    }
    try {
      const result = await desk.openTicket(quick, await adapter.user(command.user_id, command.user_name));
      if (result.ok) await respond({ response_type: 'ephemeral', text: t(locale, 'command.created', { key: result.ticket.key }) });
    } catch (err) {
      log.error({ err, user: command.user_id }, 'opening a ticket failed');
      await respond({ response_type: 'ephemeral', text: t(locale, 'command.failed', { text: String(quick.title) }) });
    }
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

  app.view(FORM_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const typeId = (view.state.values.type?.[FORM_TYPE_ACTION] as { selected_option?: { value?: string } } | undefined)?.selected_option?.value;
    const form = ticketForm(desk.desk, desk.desk.locale, { typeId });
    const draft = modalStateToDraft(form, view.state.values as never);
    const validation = desk.validate(draft);
    if (!validation.ok) {
      await ack({ response_action: 'errors', errors: validation.errors });
      return;
    }
    await ack();
    if (!(await deliveries.firstDelivery(`slack:view:${view.id}:${view.hash}`))) return;
    const channelId = parseMetadata(view.private_metadata).channelId;
    let result;
    try {
      result = await desk.openTicket(draft, await adapter.user(body.user.id, body.user.name));
    } catch (err) {
      log.error({ err, user: body.user.id }, 'opening a ticket failed');
      const text = t(localeForText(String(draft.title), desk.desk.locale), 'command.failed', { text: String(draft.title) });
      await adapter.sendDirect({ platform: 'slack', id: body.user.id }, { text }).catch((e: unknown) => log.error({ err: e }, 'could not tell the requester'));
      return;
    }
    if (result.ok && channelId && !channelId.startsWith('D')) {
      const locale = localeForText(result.ticket.title, desk.desk.locale);
      await client.chat
        .postEphemeral({ channel: channelId, user: body.user.id, text: t(locale, 'command.created', { key: result.ticket.key }) })
        .catch((err: unknown) => log.warn({ err, channelId }, 'could not confirm in the channel; the DM thread has the confirmation'));
    }
  });
}
