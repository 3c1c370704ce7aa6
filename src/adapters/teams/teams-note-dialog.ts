import { NOTE_FIELD } from '../../core/forms/note-form';
import type { Form } from '../../core/forms/ticket-form';
import { t } from '../../core/i18n';
import { intakeRefusal } from '../../core/intake/refusal';
import { dialogMessage, dialogResponse, type FormValues, formToCard } from './form-dialog';
import { type Inbound, localeOf, type TeamsDeps, teamsEvent } from './turn';
import type { WaitedSubmit } from '../../core/intake/intake-pipeline';

/** Teams gives an invoke about 5 s; past this the dialog closes with a "received" note and the answer follows in chat. */
const ANSWER_WITHIN_MS = 4000;

/**
 * The card's Note button (an Action.Submit that fetches a dialog): the press goes through the
 * core like any click, so only an agent of the ticket's team gets the note dialog; anyone else
 * is told why instead, and no dialog opens.
 */
export async function openNoteDialog(deps: TeamsDeps, a: Inbound, ticketId: string) {
  const locale = localeOf(a, '', deps.desk.desk.locale);
  let answer: WaitedSubmit;
  try {
    answer = await deps.intake.submitAndWait(teamsEvent(a, locale, { kind: 'button', action: 'note', ticketId }), ANSWER_WITHIN_MS);
  } catch (err) {
    return dialogMessage(intakeRefusal(err, locale).text);
  }
  const outcome = answer.outcome;
  if (outcome?.form) return dialogResponse(outcome.form, formToCard(outcome.form));
  return dialogMessage(outcome?.message?.text ?? t(locale, 'intake.received'));
}

/** The note dialog's submission: an empty note keeps the dialog open with the reason; the rest is the core's (who may, the note, the audit). */
export async function submitNoteDialog(deps: TeamsDeps, a: Inbound, form: Form, values: FormValues) {
  const locale = localeOf(a, '', deps.desk.desk.locale);
  const text = values[NOTE_FIELD] ?? '';
  if (!text.trim()) return dialogResponse(form, formToCard(form, values, { [NOTE_FIELD]: t(locale, 'noteForm.required') }));
  let answer: WaitedSubmit;
  try {
    answer = await deps.intake.submitAndWait(teamsEvent(a, locale, { kind: 'note', ticketId: form.ticket?.id ?? '', text }), ANSWER_WITHIN_MS);
  } catch (err) {
    // Not stored: the dialog stays open with the reason, so nothing typed is lost.
    return dialogResponse(form, formToCard(form, values, { [NOTE_FIELD]: intakeRefusal(err, locale).text }));
  }
  if (answer.result === 'duplicate') return undefined;
  return dialogMessage(answer.outcome?.message?.text ?? t(locale, 'intake.received'));
}
