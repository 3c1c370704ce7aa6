import { type TicketTextFormId, ticketTextField, ticketTextRequest, ticketTextRequired } from '../../core/forms/ticket-text-forms';
import type { Form } from '../../core/forms/ticket-form';
import { t } from '../../core/i18n';
import { intakeRefusal } from '../../core/intake/refusal';
import { dialogMessage, dialogResponse, type FormValues, formToCard } from './form-dialog';
import { type Inbound, localeOf, type TeamsDeps, teamsEvent } from './turn';
import type { WaitedSubmit } from '../../core/intake/intake-pipeline';

/** Teams gives an invoke about 5 s; past this the dialog closes with a "received" note and the answer follows in chat. */
const ANSWER_WITHIN_MS = 4000;

/**
 * A button that opens a one-text-area form (the card's Note, the rating's "Add a comment": an
 * Action.Submit that fetches a dialog): the press goes through the core like any click, so only
 * who may (an agent of the ticket's team; the rating's requester) gets the dialog; anyone else is
 * told why instead, and no dialog opens.
 */
export async function openTextDialog(deps: TeamsDeps, a: Inbound, form: TicketTextFormId, ticketId: string) {
  const locale = localeOf(a, '', deps.desk.desk.locale);
  let answer: WaitedSubmit;
  try {
    answer = await deps.intake.submitAndWait(teamsEvent(a, locale, { kind: 'button', action: form, ticketId }), ANSWER_WITHIN_MS);
  } catch (err) {
    return dialogMessage(intakeRefusal(err, locale).text);
  }
  const outcome = answer.outcome;
  if (outcome?.form) return dialogResponse(outcome.form, formToCard(outcome.form));
  return dialogMessage(outcome?.message?.text ?? t(locale, 'intake.received'));
}

/** The dialog's submission: a blank text area keeps the dialog open with the reason; the rest is the core's (who may, what is stored). */
export async function submitTextDialog(deps: TeamsDeps, a: Inbound, id: TicketTextFormId, form: Form, values: FormValues) {
  const locale = localeOf(a, '', deps.desk.desk.locale);
  const field = ticketTextField(id);
  const text = values[field] ?? '';
  if (!text.trim()) return dialogResponse(form, formToCard(form, values, { [field]: ticketTextRequired(id, locale) }));
  let answer: WaitedSubmit;
  try {
    answer = await deps.intake.submitAndWait(teamsEvent(a, locale, ticketTextRequest(id, form.ticket?.id ?? '', text)), ANSWER_WITHIN_MS);
  } catch (err) {
    // Not stored: the dialog stays open with the reason, so nothing typed is lost.
    return dialogResponse(form, formToCard(form, values, { [field]: intakeRefusal(err, locale).text }));
  }
  if (answer.result === 'duplicate') return undefined;
  return dialogMessage(answer.outcome?.message?.text ?? t(locale, 'intake.received'));
}
