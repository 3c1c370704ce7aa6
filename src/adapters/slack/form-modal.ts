import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Form, FormField } from '../../core/forms/ticket-form';
import type { TicketTextFormId } from '../../core/forms/ticket-text-forms';
import type { RawTicketDraft } from '../../domain/ticket/ticket-draft';
import { clip } from './mrkdwn';

export const FORM_CALLBACK_ID = 'chatdesk_new_ticket';
/** The note form's modal (the card's Note button). */
export const NOTE_CALLBACK_ID = 'chatdesk_note';
/** The one-text-area forms' modals, by form. */
export const TEXT_FORM_CALLBACK: Record<TicketTextFormId, string> = { note: NOTE_CALLBACK_ID, csat_comment: 'chatdesk_csat_comment' };
export const FORM_TYPE_ACTION = 'chatdesk:form_type';
const VALUE_ACTION = 'value';

export interface FormMetadata {
  /** Where /ticket was typed (or Note pressed), to answer there. */
  channelId?: string;
  /** The ticket a note or comment form adds to. */
  ticketId?: string;
  /** The message a message shortcut opened the form from: channel, ts, thread ts, author, link. */
  source?: { c: string; m: string; t?: string; a: string; l?: string };
}

const option = (o: { value: string; label: string }): PlainTextOption => ({ text: { type: 'plain_text', text: clip(o.label, 75) }, value: o.value });

function element(f: FormField): InputBlock['element'] {
  const placeholder = f.placeholder ? { placeholder: { type: 'plain_text' as const, text: clip(f.placeholder, 150) } } : {};
  switch (f.kind) {
    case 'text':
    case 'textarea':
      return {
        type: 'plain_text_input',
        action_id: VALUE_ACTION,
        multiline: f.kind === 'textarea',
        ...(f.maxLength ? { max_length: f.maxLength } : {}),
        ...(f.initial ? { initial_value: f.initial } : {}),
        ...placeholder,
      };
    case 'select': {
      const options = (f.options ?? []).slice(0, 100).map(option);
      const initial = options.find((o) => o.value === f.initial);
      return {
        type: 'static_select',
        action_id: f.refreshesForm ? FORM_TYPE_ACTION : VALUE_ACTION,
        options,
        ...(initial ? { initial_option: initial } : {}),
        ...placeholder,
      };
    }
    case 'number':
      return { type: 'number_input', action_id: VALUE_ACTION, is_decimal_allowed: true, ...placeholder };
    case 'date':
      return { type: 'datepicker', action_id: VALUE_ACTION, ...placeholder };
  }
}

/** Neutral form -> Slack modal. Each field is an input block whose block_id is the field id. */
export function formToModal(form: Form, meta: FormMetadata): ModalView {
  const blocks: KnownBlock[] = form.fields.map(
    (f): InputBlock => ({
      type: 'input',
      block_id: f.id,
      label: { type: 'plain_text', text: clip(f.label, 2000) },
      optional: !f.required,
      ...(f.refreshesForm ? { dispatch_action: true } : {}),
      element: element(f),
    }),
  );
  return {
    type: 'modal',
    callback_id: form.id === 'new_ticket' ? FORM_CALLBACK_ID : TEXT_FORM_CALLBACK[form.id],
    title: { type: 'plain_text', text: clip(form.title, 24) },
    submit: { type: 'plain_text', text: clip(form.submitLabel, 24) },
    close: { type: 'plain_text', text: clip(form.cancelLabel, 24) },
    private_metadata: JSON.stringify(form.ticket ? { ...meta, ticketId: form.ticket.id } : meta),
    blocks,
  };
}

type StateValue = { type?: string; value?: string | null; selected_option?: { value?: string } | null; selected_date?: string | null };

function read(v: StateValue | undefined): string | undefined {
  if (!v) return undefined;
  return v.selected_option?.value ?? v.selected_date ?? v.value ?? undefined;
}

/** A submitted modal's state -> raw draft for the core to validate. */
export function modalStateToDraft(form: Form, values: Record<string, Record<string, StateValue>>): RawTicketDraft {
  const draft: RawTicketDraft = { fields: {} };
  for (const f of form.fields) {
    const block = values[f.id] ?? {};
    const value = read(block[VALUE_ACTION] ?? block[FORM_TYPE_ACTION]);
    if (f.target === 'core') (draft as Record<string, unknown>)[f.id] = value;
    else draft.fields![f.id] = value;
  }
  return draft;
}

export function parseMetadata(raw: string | undefined): FormMetadata {
  try {
    const parsed = JSON.parse(raw ?? '{}') as FormMetadata;
    const src = parsed.source;
    const source =
      src && typeof src.c === 'string' && typeof src.m === 'string' && typeof src.a === 'string'
        ? { c: src.c, m: src.m, a: src.a, ...(typeof src.t === 'string' ? { t: src.t } : {}), ...(typeof src.l === 'string' ? { l: src.l } : {}) }
        : undefined;
    return {
      ...(typeof parsed.channelId === 'string' ? { channelId: parsed.channelId } : {}),
      ...(typeof parsed.ticketId === 'string' ? { ticketId: parsed.ticketId.slice(0, 64) } : {}),
      ...(source ? { source } : {}),
    };
  } catch {
    return {};
  }
}
