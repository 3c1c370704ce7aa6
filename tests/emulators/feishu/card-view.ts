/** Reads a stored card the way a person sees it: its text, its buttons and pickers, the form's errors. */
import type { LarkMessage } from './index';

type Node = Record<string, unknown>;
const isObj = (v: unknown): v is Node => !!v && typeof v === 'object' && !Array.isArray(v);

/** Feishu shows entities as characters and `**bold**` as bold. */
export function renderMd(md: string): string {
  return md
    .replace(/<font[^>]*>|<\/font>/g, '')
    .replace(/\*\*/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function cardOf(message: LarkMessage | undefined): Node | undefined {
  if (message?.msgType !== 'interactive') return undefined;
  return JSON.parse(message.content) as Node;
}

/** Every element, depth first (form and column contents included). */
export function elementsOf(card: Node | undefined): Node[] {
  const out: Node[] = [];
  const walk = (els: unknown) => {
    if (!Array.isArray(els)) return;
    for (const el of els) {
      if (!isObj(el)) continue;
      out.push(el);
      walk(el.elements);
      if (Array.isArray(el.columns)) for (const c of el.columns) if (isObj(c)) walk(c.elements);
    }
  };
  walk(isObj(card?.body) ? card.body.elements : undefined);
  return out;
}

const content = (v: unknown) => (isObj(v) && typeof v.content === 'string' ? v.content : '');

/** Title, status tag, facts, body and footer, one per line. */
export function cardText(card: Node | undefined): string {
  if (!card) return '';
  const header = isObj(card.header) ? card.header : {};
  const lines = [content(header.title), content(header.subtitle)];
  if (Array.isArray(header.text_tag_list)) for (const tag of header.text_tag_list) if (isObj(tag)) lines.push(content(tag.text));
  for (const el of elementsOf(card)) {
    if (el.tag === 'markdown' && typeof el.content === 'string') lines.push(renderMd(el.content));
    if (el.tag === 'div') lines.push(isObj(el.text) && el.text.tag === 'lark_md' ? renderMd(content(el.text)) : content(el.text));
  }
  return lines.filter(Boolean).join('\n');
}

/** The callback value of a component (its first callback behavior). */
export function callbackValue(el: Node): Node | undefined {
  const behaviors = Array.isArray(el.behaviors) ? el.behaviors : [];
  const cb = behaviors.find((b) => isObj(b) && b.type === 'callback') as Node | undefined;
  return isObj(cb?.value) ? cb.value : undefined;
}

/** The neutral ids of the card's callback buttons (their `action`; link buttons have none), plus `assign` for a people picker. */
export function cardActions(card: Node | undefined): string[] {
  const out: string[] = [];
  for (const el of elementsOf(card)) {
    const action = callbackValue(el)?.action;
    if (el.tag === 'button' && !el.form_action_type && action !== undefined) out.push(String(action));
    if (el.tag === 'select_person') out.push('assign');
  }
  return out;
}

/** The card's link buttons (an `open_url` behavior): their label and the URL the client opens. */
export function cardLinks(card: Node | undefined): Array<{ label: string; url: string }> {
  return elementsOf(card).flatMap((el) => {
    const behaviors = el.tag === 'button' && Array.isArray(el.behaviors) ? el.behaviors : [];
    const open = behaviors.find((b) => isObj(b) && b.type === 'open_url') as Node | undefined;
    return typeof open?.default_url === 'string' ? [{ label: content(el.text), url: open.default_url }] : [];
  });
}

export function findElement(card: Node | undefined, test: (el: Node) => boolean): Node | undefined {
  return elementsOf(card).find(test);
}

/** Errors shown under form fields (`err_*` markdown after a named component), by field name. */
export function formErrors(card: Node | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  let lastName = 'type';
  for (const el of elementsOf(card)) {
    if (typeof el.name === 'string' && el.tag !== 'form' && el.tag !== 'button') lastName = el.name;
    if (typeof el.element_id === 'string' && el.element_id.startsWith('err_') && typeof el.content === 'string') {
      errors[el.element_id === 'err_type' ? 'type' : lastName] = renderMd(el.content);
    }
  }
  return errors;
}

/** The text a message shows: a text message's text, or a card's text. */
export function messageText(message: LarkMessage): string {
  if (message.msgType === 'text') return String((JSON.parse(message.content) as { text?: string }).text ?? '');
  return cardText(cardOf(message));
}
