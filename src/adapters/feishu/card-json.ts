import type { Card, CardTone, OutboundMessage } from '../../core/cards/card';
import { clip, escapeLarkMd } from './lark-md';

/** A Feishu card JSON 2.0 document (the subset chatdesk writes). */
export type LarkCard = {
  schema: '2.0';
  config?: { update_multi?: boolean; summary?: { content: string }; locales?: string[] };
  header?: Record<string, unknown>;
  body: { elements: Array<Record<string, unknown>> };
};

/** What a callback button or picker carries back (`behaviors[].value`). */
export interface CallbackValue {
  action: string;
  ticketId?: string;
  [key: string]: unknown;
}

const TEMPLATE: Record<CardTone, string> = { neutral: 'grey', info: 'blue', warning: 'orange', danger: 'red', success: 'green' };
const TAG_COLOR: Record<CardTone, string> = { neutral: 'neutral', info: 'blue', warning: 'orange', danger: 'red', success: 'green' };

export const plain = (content: string, max = 1000) => ({ tag: 'plain_text', content: clip(content, max) });
export const callback = (value: CallbackValue) => [{ type: 'callback', value }];
/** JSON 2.0's link behavior (1.0's `url` / `multi_url` are refused in 2.0): the client opens it, no callback. */
export const openUrl = (url: string) => [{ type: 'open_url', default_url: url }];

/**
 * Neutral card -> card JSON 2.0: plain_text title and body, escaped markdown
 * for the facts, callback (or open_url) buttons and a `select_person` for assign. Shared
 * (`update_multi`), so an update in place shows to everyone in the chat.
 */
export function cardToLark(card: Card, summary: string): LarkCard {
  const elements: Array<Record<string, unknown>> = [];
  if (card.fields.length) {
    elements.push({
      tag: 'markdown',
      element_id: 'facts',
      content: card.fields.map((f) => `**${escapeLarkMd(clip(f.label, 100))}**: ${escapeLarkMd(clip(f.value, 500))}`).join('\n'),
    });
  }
  if (card.body) elements.push({ tag: 'div', element_id: 'body', text: plain(card.body, 2000) });
  for (const a of card.actions) {
    const button = { tag: 'button', element_id: elementId('btn', a.id), text: plain(a.label, 40), type: a.style ?? 'default' };
    if (a.url !== undefined) {
      elements.push({ ...button, behaviors: openUrl(a.url) });
      continue;
    }
    elements.push({
      ...button,
      behaviors: callback({ action: a.id, ticketId: a.value }),
      ...(a.confirm ? { confirm: { title: plain(a.confirm.title, 100), text: plain(a.confirm.text, 300) } } : {}),
    });
  }
  if (card.userPicker) {
    elements.push({
      tag: 'select_person',
      element_id: elementId('pick', card.userPicker.actionId),
      placeholder: plain(card.userPicker.placeholder, 100),
      behaviors: callback({ action: card.userPicker.actionId, ticketId: card.userPicker.value }),
    });
  }
  if (card.footer) elements.push({ tag: 'div', element_id: 'footer', text: { ...plain(card.footer, 1000), text_size: 'notation', text_color: 'grey' } });
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: clip(summary, 100) } },
    header: {
      title: plain(card.title, 200),
      ...(card.subtitle ? { subtitle: plain(card.subtitle, 200) } : {}),
      template: TEMPLATE[card.status?.tone ?? 'neutral'],
      ...(card.status ? { text_tag_list: [{ tag: 'text_tag', text: plain(card.status.label, 40), color: TAG_COLOR[card.status.tone] }] } : {}),
    },
    body: { elements },
  };
}

/** A message without a card, as a card (PATCH only replaces cards). */
export function textCard(text: string): LarkCard {
  return { schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'div', element_id: 'text', text: plain(text, 4000) }] } };
}

export function toLarkCard(message: OutboundMessage): LarkCard {
  return message.card ? cardToLark(message.card, message.text) : textCard(message.text);
}

/** element_id: letters, digits and underscores, starting with a letter, at most 20 characters. */
export function elementId(prefix: string, id: string): string {
  return `${prefix}_${id.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 20);
}
