import { ticketForm } from '../../core/forms/ticket-form';
import { t } from '../../core/i18n';
import type { IntakeRequest } from '../../core/intake/intake-event';
import { intakeRefusal } from '../../core/intake/refusal';
import type { RawTicketDraft } from '../../domain/ticket/ticket-draft';
import { dialogMessage, dialogResponse, FORM_STEP, type FormValues, formToCard, valuesToDraft } from './form-dialog';
import { type Inbound, localeOf, type TeamsDeps, teamsEvent } from './turn';
import type { WaitedSubmit } from '../../core/intake/intake-pipeline';

/** Teams gives an invoke (the dialog's submission) about 5 s; past this the dialog closes with a "received" note and the answer follows in chat. */
export const ANSWER_WITHIN_MS = 4000;

/**
 * A submitted ticket dialog (`task/submit`, or a message action's `composeExtension/submitAction`):
 * re-rendered for a type switch or field errors, else stored as `request(draft)` and answered with
 * the outcome when it is ready in time. A redelivered submission closes the dialog without a second ticket.
 */
export async function submitDialog(
  deps: TeamsDeps,
  a: Inbound,
  values: FormValues,
  request: (draft: RawTicketDraft) => Promise<IntakeRequest> | IntakeRequest,
) {
  const { desk } = deps;
  const locale = localeOf(a, values.title ?? '', desk.desk.locale);
  const form = ticketForm(desk.desk, locale, { typeId: values.type, title: values.title, today: desk.today() });
  if (values[FORM_STEP] === 'refresh') return dialogResponse(form, formToCard(form, values));
  const draft = valuesToDraft(form, values);
  draft.type = values.type;
  const validation = desk.validate(draft);
  if (!validation.ok) return dialogResponse(form, formToCard(form, values, validation.errors));
  let answer: WaitedSubmit;
  try {
    answer = await deps.intake.submitAndWait(teamsEvent(a, locale, await request(draft)), ANSWER_WITHIN_MS);
  } catch (err) {
    // Not stored: the dialog stays open with the reason, so nothing typed is lost.
    return dialogResponse(form, formToCard(form, values, { title: intakeRefusal(err, locale).text }));
  }
  if (answer.result === 'duplicate') return undefined;
  const outcome = answer.outcome;
  if (outcome?.errors) return dialogResponse(form, formToCard(form, values, outcome.errors));
  return dialogMessage(outcome?.message?.text ?? t(locale, 'intake.received'));
}
