import type { Ticket } from '../../domain/ticket/ticket';
import { type Locale, t } from '../i18n';
import { MAX_REPLY_CHARS } from '../requester-replies';
import type { Form } from './ticket-form';

/** The one input of the note form. */
export const NOTE_FIELD = 'note';

/**
 * What the card's Note button opens (for agents of the ticket's team): one
 * text area whose submission is the same internal note as `/ticket note KEY text`.
 */
export function noteForm(ticket: Pick<Ticket, 'id' | 'key' | 'type'>, locale: Locale): Form {
  return {
    id: 'note',
    title: t(locale, 'noteForm.title', { key: ticket.key }),
    submitLabel: t(locale, 'noteForm.submit'),
    cancelLabel: t(locale, 'form.cancel'),
    typeId: ticket.type,
    ticket: { id: ticket.id, key: ticket.key },
    fields: [{ id: NOTE_FIELD, label: t(locale, 'noteForm.field'), kind: 'textarea', required: true, maxLength: MAX_REPLY_CHARS, target: 'core' }],
  };
}
