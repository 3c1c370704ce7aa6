import type { Ticket } from '../../domain/ticket/ticket';
import { CSAT_COMMENT_MAX } from '../../domain/ticket/transitions';
import { type Locale, type MessageKey, t } from '../i18n';
import type { IntakeRequest } from '../intake/intake-event';
import { MAX_REPLY_CHARS } from '../requester-replies';
import type { Form } from './ticket-form';

/**
 * The forms of one text area on a ticket, each opened by the button of the same id:
 * - `note`, the card's Note (for agents of the ticket's team): the same internal note as `/ticket note KEY text`;
 * - `csat_comment`, "Add a comment" under the requester's rating (for them, once rated): the same comment as `/ticket comment KEY text`.
 * Adapters open, check and submit them alike; what a submission does is the core's.
 */
export const TICKET_TEXT_FORMS = ['note', 'csat_comment'] as const;
export type TicketTextFormId = (typeof TICKET_TEXT_FORMS)[number];

export const isTicketTextForm = (id: unknown): id is TicketTextFormId => (TICKET_TEXT_FORMS as readonly unknown[]).includes(id);

interface TextFormSpec {
  /** The text area's id. */
  field: string;
  maxLength: number;
  title: MessageKey;
  label: MessageKey;
  submit: MessageKey;
  /** Said in the form when the text area is blank. */
  required: MessageKey;
  /** Where the form goes to the person's chat with the bot (Feishu): said where they pressed the button. */
  sent: MessageKey;
}

const SPEC: Record<TicketTextFormId, TextFormSpec> = {
  note: {
    field: 'note',
    maxLength: MAX_REPLY_CHARS,
    title: 'noteForm.title',
    label: 'noteForm.field',
    submit: 'noteForm.submit',
    required: 'noteForm.required',
    sent: 'noteForm.sent',
  },
  csat_comment: {
    field: 'comment',
    maxLength: CSAT_COMMENT_MAX,
    title: 'csatComment.title',
    label: 'csatComment.field',
    submit: 'csatComment.submit',
    required: 'csatComment.required',
    sent: 'csatComment.sent',
  },
};

/** The form on `ticket`; adapters rebuild it from what a submission carries (the ticket's id and key): what matters is checked again in the core. */
export function ticketTextForm(id: TicketTextFormId, ticket: Pick<Ticket, 'id' | 'key' | 'type'>, locale: Locale): Form {
  const spec = SPEC[id];
  return {
    id,
    title: t(locale, spec.title, { key: ticket.key }),
    submitLabel: t(locale, spec.submit),
    cancelLabel: t(locale, 'form.cancel'),
    typeId: ticket.type,
    ticket: { id: ticket.id, key: ticket.key },
    fields: [{ id: spec.field, label: t(locale, spec.label), kind: 'textarea', required: true, maxLength: spec.maxLength, target: 'core' }],
  };
}

/** The id of the form's one text area. */
export const ticketTextField = (id: TicketTextFormId): string => SPEC[id].field;

export const ticketTextRequired = (id: TicketTextFormId, locale: Locale): string => t(locale, SPEC[id].required);

export const ticketTextSent = (id: TicketTextFormId, locale: Locale, key: string): string => t(locale, SPEC[id].sent, { key });

/** A submitted form as the request the core stores and does. */
export function ticketTextRequest(id: TicketTextFormId, ticketId: string, text: string): IntakeRequest {
  return { kind: id, ticketId, text };
}
