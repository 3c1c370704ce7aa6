import type { App } from '@slack/bolt';
import { TICKET_TEXT_FORMS, ticketTextField, ticketTextRequest, ticketTextRequired } from '../../core/forms/ticket-text-forms';
import { parseMetadata, TEXT_FORM_CALLBACK } from './form-modal';
import { type SlackListenerDeps, submitViewThenAck } from './slack-commands';
import type { SlackReplyRoute } from './slack-replier';

/**
 * The one-text-area modals' submissions (the card's Note, the rating's "Add a comment"): stored,
 * then acknowledged, like every request; the core checks who may, so a submission without the
 * form is refused the same. What became of it is told to the submitter alone, where they pressed the button.
 */
export function registerSlackTextForms(app: App, { desk, intake }: SlackListenerDeps): void {
  for (const form of TICKET_TEXT_FORMS) {
    const field = ticketTextField(form);
    app.view(TEXT_FORM_CALLBACK[form], async ({ ack, body, view }) => {
      const meta = parseMetadata(view.private_metadata);
      const text = (view.state.values[field]?.value as { value?: string | null } | undefined)?.value ?? '';
      const locale = desk.desk.locale;
      // Whitespace passes Slack's required check: said in place, nothing stored.
      if (!text.trim()) return void (await ack({ response_action: 'errors', errors: { [field]: ticketTextRequired(form, locale) } }));
      const reply: SlackReplyRoute = { via: 'ephemeral', channelId: meta.channelId, userId: body.user.id };
      const request = ticketTextRequest(form, meta.ticketId ?? '', text);
      await submitViewThenAck(intake, { body, view, locale, request, reply, errorBlock: field }, ack);
    });
  }
}
