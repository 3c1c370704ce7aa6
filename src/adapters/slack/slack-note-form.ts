import type { App } from '@slack/bolt';
import { NOTE_FIELD } from '../../core/forms/note-form';
import { t } from '../../core/i18n';
import { NOTE_CALLBACK_ID, parseMetadata } from './form-modal';
import { type SlackListenerDeps, submitViewThenAck } from './slack-commands';
import type { SlackReplyRoute } from './slack-replier';

/**
 * The note modal's submission (the card's Note button): stored, then acknowledged, like every
 * request; the core checks who may add notes, so a submission without the form refuses the same.
 * What became of it is told to the submitter alone, in the channel the card is in.
 */
export function registerSlackNoteForm(app: App, { desk, intake }: SlackListenerDeps): void {
  app.view(NOTE_CALLBACK_ID, async ({ ack, body, view }) => {
    const meta = parseMetadata(view.private_metadata);
    const text = (view.state.values[NOTE_FIELD]?.value as { value?: string | null } | undefined)?.value ?? '';
    const locale = desk.desk.locale;
    // Whitespace passes Slack's required check: said in place, nothing stored.
    if (!text.trim()) return void (await ack({ response_action: 'errors', errors: { [NOTE_FIELD]: t(locale, 'noteForm.required') } }));
    const reply: SlackReplyRoute = { via: 'ephemeral', channelId: meta.channelId, userId: body.user.id };
    const request = { kind: 'note' as const, ticketId: meta.ticketId ?? '', text };
    await submitViewThenAck(intake, { body, view, locale, request, reply, errorBlock: NOTE_FIELD }, ack);
  });
}
