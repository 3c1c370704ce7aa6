import { CSAT_SCALE } from '../domain/ticket/transitions';
import type { Ticket } from '../domain/ticket/ticket';
import type { OutboundMessage } from './cards/card';
import { type Locale, t } from './i18n';

/** The rating buttons under the "resolved" line to the requester: `csat_1` … `csat_5`, each valued with the ticket id. */
export const CSAT_BUTTONS = ['csat_1', 'csat_2', 'csat_3', 'csat_4', 'csat_5'] as const;
export type CsatButton = (typeof CSAT_BUTTONS)[number];

export const isCsatButton = (id: string): id is CsatButton => (CSAT_BUTTONS as readonly string[]).includes(id);
export const csatScoreOf = (id: CsatButton): number => Number(id.slice('csat_'.length));

/** Under the line that follows a rating: opens the comment form (valued with the ticket id). */
export const CSAT_COMMENT_BUTTON = 'csat_comment';

const FACES = ['😞', '🙁', '😐', '🙂', '😄'];

/** The requester's "resolved" line with the question and the 1-5 buttons (the line stays the text, for notifications and history). */
export function csatRequest(ticket: Ticket, line: string, locale: Locale): OutboundMessage {
  return {
    text: line,
    card: {
      title: line,
      fields: [],
      body: t(locale, 'csat.ask', { key: ticket.key }),
      actions: CSAT_BUTTONS.slice(0, CSAT_SCALE).map((id, i) => ({ id, label: `${i + 1} ${FACES[i]}`, value: ticket.id })),
    },
  };
}

/** What the rated message shows once its buttons are used: the score, no buttons. */
export function csatRated(ticket: Ticket, line: string, score: number, locale: Locale): OutboundMessage {
  return { text: line, card: { title: line, fields: [], body: t(locale, 'csat.rated', { key: ticket.key, score }), actions: [] } };
}

/** The line that follows a rating in the requester's thread (`line`: "You rated T-1001 4/5."), offering the comment form. */
export function csatCommentOffer(ticket: Ticket, line: string, locale: Locale): OutboundMessage {
  return {
    text: line,
    card: {
      title: line,
      fields: [],
      body: t(locale, 'csat.commentOffer'),
      actions: [{ id: CSAT_COMMENT_BUTTON, label: t(locale, 'csat.commentButton'), value: ticket.id, opensForm: true }],
    },
  };
}
