import type { Form, FormField } from '../../core/forms/ticket-form';
import { TICKET_TEXT_FORMS, type TicketTextFormId } from '../../core/forms/ticket-text-forms';
import type { Locale } from '../../core/i18n';
import type { DraftErrors, RawTicketDraft } from '../../domain/ticket/ticket-draft';
import { callback, elementId, type LarkCard, plain } from './card-json';
import { clip, escapeLarkMd } from './lark-md';

export const FORM_TYPE_ACTION = 'form_type';
export const FORM_SUBMIT_ACTION = 'submit_form';
/** The one-text-area forms' submits (the card's Note, the rating's "Add a comment"): each callback carries the ticket. */
export const TEXT_SUBMIT_ACTION: Record<TicketTextFormId, string> = { note: 'submit_note', csat_comment: 'submit_csat_comment' };

/** The one-text-area form a callback's action submits; undefined for any other action. */
export const textFormSubmitted = (action: string): TicketTextFormId | undefined => TICKET_TEXT_FORMS.find((f) => TEXT_SUBMIT_ACTION[f] === action);
const FORM_NAME = 'ticket_form';

export interface FormState {
  locale: Locale;
  /** Values to show again (after a refused submit), by field id. */
  values?: Record<string, string>;
  errors?: DraftErrors;
}

const option = (o: { value: string; label: string }) => ({ text: plain(o.label, 100), value: o.value });

function input(f: FormField, value: string | undefined): Record<string, unknown> {
  const base = { name: f.id, element_id: elementId('f', f.id), ...(f.placeholder ? { placeholder: plain(f.placeholder, 100) } : {}) };
  switch (f.kind) {
    case 'select': {
      const options = (f.options ?? []).slice(0, 100).map(option);
      const initial = options.find((o) => o.value === (value ?? f.initial))?.value;
      return { tag: 'select_static', ...base, options, ...(initial ? { initial_option: initial } : {}) };
    }
    case 'date':
      return { tag: 'date_picker', ...base, ...(value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? { initial_date: value } : {}) };
    case 'text':
    case 'textarea':
    case 'number': {
      const initial = value ?? f.initial;
      return {
        tag: 'input',
        ...base,
        ...(f.kind === 'textarea' ? { input_type: 'multiline_text', rows: 3 } : {}),
        ...(f.maxLength ? { max_length: Math.min(f.maxLength, 1000) } : {}),
        ...(initial ? { default_value: clip(initial, f.maxLength ?? 1000) } : {}),
      };
    }
  }
}

/**
 * Neutral form -> card JSON 2.0. The ticket type is a select_static outside
 * the form whose callback re-renders the card for the chosen type; the other
 * fields sit in a `form` container whose submit button sends `form_value`.
 * A refused submit comes back as this card with each field's error under it.
 */
export function formToCard(form: Form, state: FormState, prefill: { title?: string } = {}): LarkCard {
  const typeField = form.fields.find((f) => f.id === 'type');
  const elements: Array<Record<string, unknown>> = [];
  if (typeField) {
    elements.push({ tag: 'markdown', element_id: 'l_type', content: `**${escapeLarkMd(typeField.label)}**` });
    elements.push({
      tag: 'select_static',
      element_id: 'type_switch',
      options: (typeField.options ?? []).map(option),
      initial_option: form.typeId,
      behaviors: callback({ action: FORM_TYPE_ACTION, locale: state.locale, ...(prefill.title ? { title: clip(prefill.title, 150) } : {}) }),
    });
  }
  const inner: Array<Record<string, unknown>> = [];
  for (const f of form.fields) {
    if (f.id === 'type') continue;
    inner.push({ tag: 'markdown', element_id: elementId('l', f.id), content: `**${escapeLarkMd(f.label)}**${f.required ? ' *' : ''}` });
    inner.push(input(f, state.values?.[f.id]));
    const error = state.errors?.[f.id];
    if (error) inner.push({ tag: 'markdown', element_id: elementId('err', f.id), content: `<font color='red'>${escapeLarkMd(error)}</font>` });
  }
  if (state.errors?.type) elements.push({ tag: 'markdown', element_id: 'err_type', content: `<font color='red'>${escapeLarkMd(state.errors.type)}</font>` });
  inner.push({
    tag: 'button',
    name: 'submit',
    element_id: 'submit',
    text: plain(form.submitLabel, 40),
    type: 'primary',
    form_action_type: 'submit',
    behaviors: callback(
      form.ticket && form.id !== 'new_ticket'
        ? { action: TEXT_SUBMIT_ACTION[form.id], ticketId: form.ticket.id, key: form.ticket.key, locale: state.locale }
        : { action: FORM_SUBMIT_ACTION, typeId: form.typeId, locale: state.locale },
    ),
  });
  elements.push({ tag: 'form', name: FORM_NAME, element_id: 'ticket_form', elements: inner });
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: form.title } },
    header: { title: plain(form.title, 100), template: 'blue' },
    body: { elements },
  };
}

/** A date picker answers `2026-11-03 +0800`; the core wants `2026-11-03`. */
function readValue(f: FormField, raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = Array.isArray(raw) ? String(raw[0] ?? '') : String(raw);
  if (f.kind === 'date') return /^(\d{4}-\d{2}-\d{2})/.exec(text)?.[1] ?? text;
  return text;
}

/** A submitted `form_value` -> raw draft for the core to validate, plus the values to show again. */
export function formValueToDraft(form: Form, formValue: Record<string, unknown>): { draft: RawTicketDraft; values: Record<string, string> } {
  const draft: RawTicketDraft = { type: form.typeId, fields: {} };
  const values: Record<string, string> = {};
  for (const f of form.fields) {
    if (f.id === 'type') continue;
    const value = readValue(f, formValue[f.id]);
    if (value !== undefined) values[f.id] = value;
    if (f.target === 'core') (draft as Record<string, unknown>)[f.id] = value;
    else draft.fields![f.id] = value;
  }
  return { draft, values };
}

/** What replaces the form once the ticket exists. */
export function doneCard(title: string, text: string): LarkCard {
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: clip(text, 100) } },
    header: { title: plain(title, 100), template: 'green' },
    body: { elements: [{ tag: 'div', element_id: 'done', text: plain(text, 1000) }] },
  };
}
