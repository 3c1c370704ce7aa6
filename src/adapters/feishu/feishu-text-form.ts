import { type TicketTextFormId, ticketTextField, ticketTextForm, ticketTextRequest, ticketTextRequired } from '../../core/forms/ticket-text-forms';
import type { Locale } from '../../core/i18n';
import { intakeRefusal } from '../../core/intake/refusal';
import type { CallbackValue } from './card-json';
import type { CardActionResponse } from './feishu-card-actions';
import type { FeishuDeps } from './feishu-commands';
import type { FeishuReplyRoute } from './feishu-replier';
import { doneCard, formToCard } from './form-card';
import type { WaitedSubmit } from '../../core/intake/intake-pipeline';

/** Feishu toasts are short notices. */
export function clipToast(text: string): string {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

type Toast = NonNullable<CardActionResponse['toast']>;
const toast = (type: Toast['type'], text: string): Toast => ({ type, content: clipToast(text) });

/**
 * A one-text-area form card's submit (the note form sent to an agent's chat with the bot when they
 * pressed Note; the comment form sent to the requester's when they pressed "Add a comment"): a blank
 * one comes back as the form with the reason under the field; otherwise the core checks who may (a
 * submission can come without the form) and stores it, and the form becomes what happened.
 */
export async function submitTextForm(
  deps: FeishuDeps,
  id: TicketTextFormId,
  submission: { eventId: string; openId: string; messageId?: string; value: CallbackValue; formValue: Record<string, unknown>; locale: Locale },
  answerWithinMs: number,
): Promise<CardActionResponse> {
  const { value, locale } = submission;
  const ticket = { id: String(value.ticketId ?? '').slice(0, 64), key: String(value.key ?? '').slice(0, 20), type: '' };
  const form = ticketTextForm(id, ticket, locale);
  const field = ticketTextField(id);
  const raw = submission.formValue[field];
  const text = typeof raw === 'string' ? raw : '';
  if (!text.trim())
    return {
      card: { type: 'raw', data: formToCard(form, { locale, values: { [field]: text }, errors: { [field]: ticketTextRequired(id, locale) } }) },
    };
  const reply: FeishuReplyRoute = {
    via: 'form',
    openId: submission.openId,
    title: form.title,
    ...(submission.messageId ? { messageId: submission.messageId } : {}),
  };
  let answer: WaitedSubmit;
  try {
    answer = await deps.intake.submitAndWait(
      {
        id: submission.eventId,
        platform: 'feishu',
        user: { platform: 'feishu', id: submission.openId },
        locale,
        request: ticketTextRequest(id, ticket.id, text),
        reply,
      },
      answerWithinMs,
    );
  } catch (err) {
    // Not stored: the form stays as typed, with the reason.
    return { toast: toast('error', intakeRefusal(err, locale).text) };
  }
  if (answer.result === 'duplicate') return {};
  const outcome = answer.outcome;
  if (!outcome) return { toast: toast('info', `${form.submitLabel}…`) };
  const said = outcome.message?.text ?? '';
  if (outcome.status !== 'answered') return { toast: toast('warning', said) };
  return { toast: toast('success', said), card: { type: 'raw', data: doneCard(form.title, said) } };
}
