import type { Form, FormField } from '../../core/forms/ticket-form';
import type { RawTicketDraft } from '../../domain/ticket/ticket-draft';
import { type AdaptiveCard, type AdaptiveElement, adaptiveCard, cardAttachment, FORM_KEY, textBlock } from './adaptive-card';
import { clip, escapeCardText } from './text';

export { FORM_KEY };
/** Says whether a dialog's submission re-renders it (type switch) or submits it. */
export const FORM_STEP = 'chatdesk_step';
/** Suffix of the TextBlock id that shows a field's error under its input. */
export const ERROR_SUFFIX = '__error';

export type FormValues = Record<string, string>;

function input(f: FormField, value: string | undefined): AdaptiveElement {
  const common = { id: f.id, label: clip(f.label, 100), ...(f.placeholder ? { placeholder: clip(f.placeholder, 100) } : {}) };
  switch (f.kind) {
    case 'text':
    case 'textarea':
      return {
        type: 'Input.Text',
        ...common,
        isMultiline: f.kind === 'textarea',
        ...(f.maxLength ? { maxLength: f.maxLength } : {}),
        ...(value ? { value } : {}),
      };
    case 'select':
      return {
        type: 'Input.ChoiceSet',
        ...common,
        style: 'compact',
        isMultiSelect: false,
        choices: (f.options ?? []).slice(0, 100).map((o) => ({ title: clip(o.label, 100), value: o.value })),
        ...(value ? { value } : {}),
      };
    case 'number':
      return { type: 'Input.Number', ...common, ...(value && Number.isFinite(Number(value)) ? { value: Number(value) } : {}) };
    case 'date':
      return { type: 'Input.Date', ...common, ...(f.min ? { min: f.min } : {}), ...(value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? { value } : {}) };
  }
}

/**
 * Neutral form -> the dialog's Adaptive Card. Entered values are kept, each
 * field error shows in red under its input. Adaptive Cards 1.5 has no change
 * event, so the type field has its own button that re-renders the form.
 */
export function formToCard(form: Form, values: FormValues = {}, errors: Record<string, string> = {}): AdaptiveCard {
  const body: unknown[] = [];
  for (const f of form.fields) {
    const value = f.id === 'type' ? form.typeId : (values[f.id] ?? f.initial);
    body.push(input(f, value));
    if (f.refreshesForm) {
      body.push({
        type: 'ActionSet',
        actions: [{ type: 'Action.Submit', title: `↻ ${clip(f.label, 60)}`, data: { [FORM_KEY]: form.id, [FORM_STEP]: 'refresh' } }],
      });
    }
    const error = errors[f.id];
    if (error) body.push(textBlock(escapeCardText(clip(error, 300)), { id: `${f.id}${ERROR_SUFFIX}`, color: 'Attention', size: 'Small', spacing: 'None' }));
  }
  return adaptiveCard(body, [
    {
      type: 'Action.Submit',
      title: clip(form.submitLabel, 40),
      style: 'positive',
      data: { [FORM_KEY]: form.id, [FORM_STEP]: 'submit', ...(form.ticket ? { ticketId: form.ticket.id, ticketKey: form.ticket.key } : {}) },
    },
  ]);
}

/** The task/fetch and task/submit answer that shows (or re-shows) the dialog. */
export function dialogResponse(form: Form, card: AdaptiveCard) {
  return {
    task: { type: 'continue' as const, value: { title: clip(form.title, 60), width: 'medium' as const, height: 'large' as const, card: cardAttachment(card) } },
  };
}

/** The task/submit answer that closes the dialog with a message to the submitter. */
export function dialogMessage(text: string) {
  return { task: { type: 'message' as const, value: clip(text, 1000) } };
}

/** The submitted inputs as strings (Teams sends every input, empty ones as ''). */
export function submittedValues(data: unknown): FormValues {
  const out: FormValues = {};
  if (!data || typeof data !== 'object') return out;
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = String(v);
  }
  return out;
}

/** Submitted values -> raw draft for the core to validate. */
export function valuesToDraft(form: Form, values: FormValues): RawTicketDraft {
  const draft: RawTicketDraft = { fields: {} };
  for (const f of form.fields) {
    const value = values[f.id] === '' ? undefined : values[f.id];
    if (f.target === 'core') (draft as Record<string, unknown>)[f.id] = value;
    else draft.fields![f.id] = value;
  }
  return draft;
}
