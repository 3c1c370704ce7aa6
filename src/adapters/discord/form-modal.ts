import {
  type APIActionRowComponent,
  type APIModalInteractionResponseCallbackData,
  type APIModalSubmitInteraction,
  type APITextInputComponent,
  ComponentType,
  TextInputStyle,
} from 'discord.js';
import type { Form, FormField } from '../../core/forms/ticket-form';
import { isTicketTextForm, TICKET_TEXT_FORMS, type TicketTextFormId, ticketTextField } from '../../core/forms/ticket-text-forms';
import type { Locale } from '../../core/i18n';
import type { DraftErrors, RawTicketDraft } from '../../domain/ticket/ticket-draft';
import { CUSTOM_ID_PREFIX } from './card-embed';
import { clip, escapeDiscord } from './discord-text';

/** Discord modals hold at most five text inputs. */
export const MODAL_MAX_INPUTS = 5;
const FORM_ID = `${CUSTOM_ID_PREFIX}:form:`;

/**
 * The fields a modal can show: the ticket type is chosen before (the command's
 * `type` option) and travels in the modal's custom_id; then title, description
 * and the type's own fields, required ones first, five at most.
 */
export function modalFields(form: Form): FormField[] {
  const rest = form.fields.filter((f) => f.id !== 'type');
  const ordered = [...rest.filter((f) => f.required), ...rest.filter((f) => !f.required)].slice(0, MODAL_MAX_INPUTS);
  return rest.filter((f) => ordered.includes(f));
}

function hint(f: FormField): string | undefined {
  if (f.kind === 'select') return (f.options ?? []).map((o) => o.label).join(' / ');
  if (f.kind === 'date') return 'YYYY-MM-DD';
  return f.placeholder;
}

function input(f: FormField): APIActionRowComponent<APITextInputComponent> {
  const placeholder = hint(f);
  const max = Math.min(f.maxLength ?? 4000, 4000);
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.TextInput,
        custom_id: f.id,
        label: clip(f.label, 45),
        style: f.kind === 'textarea' ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: f.required,
        max_length: max,
        ...(placeholder ? { placeholder: clip(placeholder, 100) } : {}),
        ...(f.initial ? { value: clip(f.initial, max) } : {}),
      },
    ],
  };
}

/** The message a message command opened the form from (channel and message snowflakes). */
export interface ModalSource {
  channelId: string;
  messageId: string;
}

/** Neutral form -> Discord modal (custom_id `cd:form:<type>:<locale>`, then `:m:<channel>:<message>` when opened from a message). */
export function formToModal(form: Form, locale: Locale, typeName: string, source?: ModalSource): APIModalInteractionResponseCallbackData {
  const from = source ? `:m:${source.channelId}:${source.messageId}` : '';
  return {
    custom_id: `${FORM_ID}${form.typeId.slice(0, 100 - FORM_ID.length - 3 - from.length)}:${locale}${from}`,
    title: clip(`${form.title}: ${typeName}`, 45),
    components: modalFields(form).map(input),
  };
}

/** The one-text-area forms' custom_id prefixes: `cd:noteform:` (the card's Note), `cd:commentform:` (the rating's comment). */
const TEXT_FORM_ID: Record<TicketTextFormId, string> = { note: `${CUSTOM_ID_PREFIX}:noteform:`, csat_comment: `${CUSTOM_ID_PREFIX}:commentform:` };

/** A one-text-area form (Note, the rating's "Add a comment") -> Discord modal (custom_id `<prefix><ticket id>:<locale>`). */
export function textFormToModal(form: Form, locale: Locale): APIModalInteractionResponseCallbackData {
  // Only the one-text-area forms open from a button (the ticket form's modal is formToModal's).
  const prefix = TEXT_FORM_ID[isTicketTextForm(form.id) ? form.id : 'note'];
  return {
    custom_id: `${prefix}${form.ticket?.id ?? ''}:${locale}`.slice(0, 100),
    title: clip(form.title, 45),
    components: form.fields.slice(0, MODAL_MAX_INPUTS).map(input),
  };
}

/** Which one-text-area form a submitted modal is, its ticket, locale and typed text; undefined when it is not one. */
export function parseTextFormModal(
  interaction: APIModalSubmitInteraction,
): { form: TicketTextFormId; ticketId: string; locale: Locale; text: string } | undefined {
  const id = interaction.data.custom_id;
  const form = TICKET_TEXT_FORMS.find((f) => id.startsWith(TEXT_FORM_ID[f]));
  if (!form) return undefined;
  const [ticketId = '', locale] = id.slice(TEXT_FORM_ID[form].length).split(':');
  return { form, ticketId, locale: locale === 'zh' ? 'zh' : 'en', text: submittedValues(interaction).get(ticketTextField(form)) ?? '' };
}

/** The type and locale a submitted modal was opened for; undefined when it is not chatdesk's form. */
export function parseModalId(customId: string): { typeId: string; locale: Locale; source?: ModalSource } | undefined {
  if (!customId.startsWith(FORM_ID)) return undefined;
  const [typeId, locale, m, channelId, messageId] = customId.slice(FORM_ID.length).split(':');
  const source = m === 'm' && channelId && messageId && /^\d+$/.test(channelId) && /^\d+$/.test(messageId) ? { channelId, messageId } : undefined;
  return typeId ? { typeId, locale: locale === 'zh' ? 'zh' : 'en', ...(source ? { source } : {}) } : undefined;
}

/** Every submitted text input by custom_id (classic action rows and the newer label wrappers). */
function submittedValues(interaction: APIModalSubmitInteraction): Map<string, string> {
  const values = new Map<string, string>();
  const visit = (c: unknown): void => {
    if (!c || typeof c !== 'object') return;
    const o = c as { custom_id?: unknown; value?: unknown; components?: unknown[]; component?: unknown };
    if (typeof o.custom_id === 'string' && typeof o.value === 'string') values.set(o.custom_id, o.value);
    for (const child of o.components ?? []) visit(child);
    if (o.component) visit(o.component);
  };
  for (const row of interaction.data.components ?? []) visit(row);
  return values;
}

/** A select field typed as text: its option value, matched by value or label, case-insensitively. */
function optionValue(f: FormField, typed: string): string {
  const wanted = typed.trim().toLowerCase();
  const hit = (f.options ?? []).find((o) => o.value.toLowerCase() === wanted || o.label.toLowerCase() === wanted);
  return hit ? hit.value : typed.trim();
}

/** A submitted modal -> raw draft for the core to validate. */
export function modalToDraft(form: Form, interaction: APIModalSubmitInteraction): RawTicketDraft {
  const values = submittedValues(interaction);
  const draft: RawTicketDraft = { type: form.typeId, fields: {} };
  for (const f of modalFields(form)) {
    const raw = values.get(f.id);
    const value = raw === undefined || raw.trim() === '' ? undefined : f.kind === 'select' ? optionValue(f, raw) : raw;
    if (f.target === 'core') (draft as Record<string, unknown>)[f.id] = value;
    else draft.fields![f.id] = value;
  }
  return draft;
}

const NOT_SAVED: Record<Locale, string> = {
  en: 'Your ticket was not saved. Please fix these fields and run /ticket again:',
  zh: '工单未保存，请修改以下字段后重新使用 /ticket：',
};

/**
 * Discord cannot show errors inside a modal: the errors go back as an
 * ephemeral message, one line per field, `- **Label**: problem`.
 */
export function errorsText(form: Form, errors: DraftErrors, locale: Locale): string {
  const label = (id: string) => form.fields.find((f) => f.id === id)?.label ?? id;
  const lines = Object.entries(errors).map(([id, problem]) => `- **${escapeDiscord(label(id))}**: ${escapeDiscord(problem)}`);
  return clip([NOT_SAVED[locale], ...lines].join('\n'), 2000);
}
