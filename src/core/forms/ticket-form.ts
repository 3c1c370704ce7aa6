import type { DeskConfig } from '../../config/desk-config.schema';
import { DESCRIPTION_MAX, findTicketType, TITLE_MAX } from '../../domain/ticket/ticket-draft';
import { type Locale, localize, t } from '../i18n';

export interface FormField {
  id: string;
  label: string;
  kind: 'text' | 'textarea' | 'select' | 'number' | 'date';
  required: boolean;
  options?: Array<{ value: string; label: string }>;
  maxLength?: number;
  /** The earliest date a date field takes (`YYYY-MM-DD`), for pickers that can grey out the days before it. */
  min?: string;
  placeholder?: string;
  initial?: string;
  /** Changing this field re-renders the form (the ticket type swaps the type's own fields). */
  refreshesForm?: boolean;
  /** Where the value goes in the draft: the core fields or the type's own `fields`. */
  target: 'core' | 'type';
}

/** The neutral form model: each adapter renders it (Slack modal, Teams dialog, Discord modal, Feishu form card, HTML). */
export interface Form {
  /** `new_ticket`: the ticket form; `note`: the card's Note button (an internal note on `ticket`); `csat_comment`: the requester's comment on their rating of `ticket`. */
  id: 'new_ticket' | 'note' | 'csat_comment';
  title: string;
  submitLabel: string;
  cancelLabel: string;
  /** The ticket type the form is showing (a note form: the type of the ticket it is on). */
  typeId: string;
  /** The ticket a note or comment form adds to. */
  ticket?: { id: string; key: string };
  fields: FormField[];
}

/** `today` (`YYYY-MM-DD`, HelpDesk.today()) gives date fields with `min: "today"` their earliest date. */
export function ticketForm(desk: DeskConfig, locale: Locale, opts: { typeId?: string; title?: string; description?: string; today?: string } = {}): Form {
  const type = findTicketType(desk, opts.typeId ?? desk.defaultType) ?? findTicketType(desk, desk.defaultType);
  if (!type) throw new Error('desk configuration has no default ticket type'); // the schema guarantees one
  const fields: FormField[] = [
    {
      id: 'type',
      label: t(locale, 'form.field.type'),
      kind: 'select',
      required: true,
      options: desk.ticketTypes.map((tt) => ({ value: tt.id, label: localize(tt.name, locale) })),
      initial: type.id,
      refreshesForm: true,
      target: 'core',
    },
    { id: 'title', label: t(locale, 'form.field.title'), kind: 'text', required: true, maxLength: TITLE_MAX, initial: opts.title, target: 'core' },
    {
      id: 'description',
      label: t(locale, 'form.field.description'),
      kind: 'textarea',
      required: false,
      maxLength: DESCRIPTION_MAX,
      initial: opts.description,
      target: 'core',
    },
    ...type.fields.map(
      (f): FormField => ({
        id: f.id,
        label: localize(f.label, locale),
        kind: f.kind,
        required: f.required,
        options: f.options?.map((o) => ({ value: o.value, label: localize(o.label, locale) })),
        maxLength: f.maxLength,
        ...(f.kind === 'date' && f.min === 'today' && opts.today ? { min: opts.today } : {}),
        placeholder: f.placeholder ? localize(f.placeholder, locale) : undefined,
        target: 'type',
      }),
    ),
  ];
  return {
    id: 'new_ticket',
    title: t(locale, 'form.title'),
    submitLabel: t(locale, 'form.submit'),
    cancelLabel: t(locale, 'form.cancel'),
    typeId: type.id,
    fields,
  };
}
