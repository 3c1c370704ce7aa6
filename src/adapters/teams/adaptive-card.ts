import type { Card, CardAction, CardTone, OutboundMessage } from '../../core/cards/card';
import { clip, escapeCardText, escapeMessageText } from './text';

/** An Adaptive Card (1.5) as JSON; the SDK's card builders are not needed for plain JSON. */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string; body: unknown[] };
export type AdaptiveElement = Record<string, unknown> & { type: string };

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
/** Teams renders Adaptive Cards up to 1.5. */
export const CARD_VERSION = '1.5';
/** Input id of the people picker on the ticket card; its value (an Entra object id) arrives in the action data. */
export const ASSIGNEE_INPUT = 'assignee';
/** The Teams people picker: dynamic typeahead over the tenant's directory. */
export const PEOPLE_DATASET = 'graph.microsoft.com/users';

const TONE_COLOR: Record<CardTone, string> = { neutral: 'Default', info: 'Accent', warning: 'Warning', danger: 'Attention', success: 'Good' };
const ACTION_STYLE = { primary: 'positive', danger: 'destructive' } as const;

export function adaptiveCard(body: unknown[], actions: unknown[] = []): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, body, ...(actions.length ? { actions } : {}) };
}

export const textBlock = (text: string, extra: Record<string, unknown> = {}): AdaptiveElement => ({ type: 'TextBlock', text, wrap: true, ...extra });

/** Marks chatdesk's dialogs (task/fetch and task/submit data): which form it is. */
export const FORM_KEY = 'chatdesk_form';

/**
 * A card button: Action.Execute (Universal Actions) with the verb and the ticket id; a confirm becomes a ShowCard;
 * a link is Action.OpenUrl; one that opens a form is an Action.Submit that fetches a dialog (task/fetch).
 */
function action(a: CardAction): AdaptiveElement {
  if (a.url !== undefined) return { type: 'Action.OpenUrl', title: clip(a.label, 80), url: a.url, ...(a.style ? { style: ACTION_STYLE[a.style] } : {}) };
  if (a.opensForm) return { type: 'Action.Submit', title: clip(a.label, 80), data: { msteams: { type: 'task/fetch' }, [FORM_KEY]: a.id, ticketId: a.value } };
  const execute = (title: string): AdaptiveElement => ({
    type: 'Action.Execute',
    verb: a.id,
    title: clip(title, 80),
    data: { ticketId: a.value },
    ...(a.style ? { style: ACTION_STYLE[a.style] } : {}),
  });
  if (!a.confirm) return execute(a.label);
  return {
    type: 'Action.ShowCard',
    title: clip(a.label, 80),
    card: {
      type: 'AdaptiveCard',
      body: [textBlock(escapeCardText(a.confirm.title), { weight: 'Bolder' }), textBlock(escapeCardText(a.confirm.text))],
      actions: [execute(a.confirm.confirm)],
    },
  };
}

/** Neutral card -> Adaptive Card 1.5. Every user-supplied string is markdown-escaped. */
export function cardToAdaptive(card: Card): AdaptiveCard {
  const body: unknown[] = [textBlock(escapeCardText(clip(card.title, 300)), { size: 'Medium', weight: 'Bolder', style: 'heading' })];
  if (card.subtitle) body.push(textBlock(escapeCardText(clip(card.subtitle, 300)), { isSubtle: true, spacing: 'None' }));
  if (card.status) body.push(textBlock(escapeCardText(card.status.label), { color: TONE_COLOR[card.status.tone], weight: 'Bolder' }));
  if (card.fields.length) {
    body.push({
      type: 'FactSet',
      facts: card.fields.slice(0, 20).map((f) => ({ title: escapeCardText(clip(f.label, 100)), value: escapeCardText(clip(f.value, 500)) })),
    });
  }
  if (card.body) body.push(textBlock(escapeCardText(clip(card.body, 2000))));
  if (card.footer) body.push(textBlock(escapeCardText(clip(card.footer, 1000)), { isSubtle: true, size: 'Small' }));
  if (card.userPicker) {
    body.push({
      type: 'Input.ChoiceSet',
      id: ASSIGNEE_INPUT,
      placeholder: clip(card.userPicker.placeholder, 100),
      isMultiSelect: false,
      choices: [],
      'choices.data': { type: 'Data.Query', dataset: PEOPLE_DATASET },
    });
    body.push({
      type: 'ActionSet',
      actions: [
        { type: 'Action.Execute', verb: card.userPicker.actionId, title: clip(card.userPicker.placeholder, 80), data: { ticketId: card.userPicker.value } },
      ],
    });
  }
  return adaptiveCard(body, card.actions.map(action));
}

export const cardAttachment = (card: AdaptiveCard) => ({ contentType: CARD_CONTENT_TYPE, content: card });

/**
 * Neutral message -> Bot Framework message activity. A card goes as the only
 * attachment with the text as `summary` (notifications), plain text as escaped markdown.
 */
export function toActivity(message: OutboundMessage): Record<string, unknown> & { type: 'message' } {
  if (message.card) return { type: 'message', summary: clip(message.text, 250), attachments: [cardAttachment(cardToAdaptive(message.card))] };
  return { type: 'message', text: escapeMessageText(clip(message.text, 20_000)), textFormat: 'markdown' };
}
