/**
 * Structural rules of Feishu card JSON 2.0 that chatdesk relies on. Feishu
 * publishes no machine-readable schema for cards, so these encode the
 * documented rules (card JSON 2.0 structure, component pages) that would make
 * Feishu refuse or misrender a card: schema '2.0', shared cards, known tags,
 * element_id format and uniqueness, callback and open_url behaviors, form containers with
 * named fields and a submit button, select options, size, no mass mentions.
 */
const TAGS = new Set([
  'markdown',
  'div',
  'hr',
  'img',
  'button',
  'select_person',
  'multi_select_person',
  'select_static',
  'multi_select_static',
  'input',
  'date_picker',
  'picker_time',
  'picker_datetime',
  'form',
  'column_set',
  'column',
  'collapsible_panel',
  'interactive_container',
  'checker',
  'overflow',
  'person',
  'person_list',
  'table',
  'chart',
]);
const FIELD_TAGS = new Set([
  'input',
  'select_static',
  'multi_select_static',
  'select_person',
  'multi_select_person',
  'date_picker',
  'picker_time',
  'picker_datetime',
  'checker',
]);
const INTERACTIVE = new Set(['button', 'overflow', ...FIELD_TAGS]);
const BUTTON_TYPES = new Set(['default', 'primary', 'danger', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled', 'laser']);
const TEMPLATES = new Set(['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default']);
const BEHAVIORS = new Set(['callback', 'open_url', 'form_action']);
const ELEMENT_ID = /^[A-Za-z][A-Za-z0-9_]{0,19}$/;
const MASS_MENTION = /<at\s+(id|user_id)\s*=\s*["']?all/i;
export const CARD_MAX_BYTES = 30 * 1024;

type Node = Record<string, unknown>;
const isObj = (v: unknown): v is Node => !!v && typeof v === 'object' && !Array.isArray(v);

function checkTextObj(v: unknown, where: string, out: string[], tags = ['plain_text', 'lark_md']): void {
  if (!isObj(v) || !tags.includes(String(v.tag)) || typeof v.content !== 'string')
    out.push(`${where}: expected a text object {tag: ${tags.join('|')}, content}`);
}

function checkBehaviors(el: Node, where: string, out: string[], required: boolean): void {
  const b = el.behaviors;
  if (b === undefined) {
    if (required) out.push(`${where}: an interactive component outside a form needs behaviors (it would do nothing)`);
    return;
  }
  if (!Array.isArray(b) || b.length === 0) return void out.push(`${where}: behaviors must be a non-empty array`);
  for (const [i, x] of b.entries()) {
    if (!isObj(x) || !BEHAVIORS.has(String(x.type))) out.push(`${where}.behaviors[${i}]: unknown behavior type`);
    else if (x.type === 'callback' && !isObj(x.value)) out.push(`${where}.behaviors[${i}]: callback value must be an object`);
    else if (x.type === 'open_url' && !(typeof x.default_url === 'string' && /^https?:\/\//.test(x.default_url)))
      out.push(`${where}.behaviors[${i}]: open_url needs a default_url (http(s) or an AppLink)`);
  }
}

function checkOptions(el: Node, where: string, out: string[]): void {
  if (!Array.isArray(el.options) || el.options.length === 0) return void out.push(`${where}: options must be a non-empty array`);
  const values = new Set<string>();
  for (const [i, o] of el.options.entries()) {
    if (!isObj(o) || typeof o.value !== 'string') out.push(`${where}.options[${i}]: value must be a string`);
    else values.add(o.value);
    if (isObj(o)) checkTextObj(o.text, `${where}.options[${i}].text`, out, ['plain_text']);
  }
  if (el.initial_option !== undefined && !values.has(String(el.initial_option))) out.push(`${where}: initial_option is not one of the options`);
}

function walk(elements: unknown, where: string, out: string[], ids: Set<string>, form?: { names: Set<string>; submit: boolean }): void {
  if (!Array.isArray(elements)) return void out.push(`${where}: elements must be an array`);
  for (const [i, el] of elements.entries()) {
    const at = `${where}[${i}]`;
    if (!isObj(el)) {
      out.push(`${at}: not an object`);
      continue;
    }
    const tag = String(el.tag);
    if (!TAGS.has(tag)) out.push(`${at}: unknown tag '${tag}'`);
    if (el.element_id !== undefined) {
      const id = String(el.element_id);
      if (!ELEMENT_ID.test(id)) out.push(`${at}: element_id '${id}' must start with a letter, use letters/digits/_ and have at most 20 characters`);
      if (ids.has(id)) out.push(`${at}: element_id '${id}' is not unique in the card`);
      ids.add(id);
    }
    if (INTERACTIVE.has(tag) && el.value !== undefined) out.push(`${at}: 'value' is the 1.0 way; JSON 2.0 components carry behaviors`);
    switch (tag) {
      case 'markdown':
        if (typeof el.content !== 'string') out.push(`${at}: markdown needs content`);
        break;
      case 'div':
        checkTextObj(el.text, `${at}.text`, out);
        break;
      case 'button':
        checkTextObj(el.text, `${at}.text`, out, ['plain_text']);
        if (el.type !== undefined && !BUTTON_TYPES.has(String(el.type))) out.push(`${at}: unknown button type '${String(el.type)}'`);
        if (el.form_action_type !== undefined) {
          if (!form) out.push(`${at}: form_action_type outside a form`);
          else if (el.form_action_type === 'submit') form.submit = true;
        }
        checkBehaviors(el, at, out, !form || el.form_action_type === 'submit');
        if (el.confirm !== undefined && (!isObj(el.confirm) || !isObj(el.confirm.title) || !isObj(el.confirm.text)))
          out.push(`${at}: confirm needs title and text`);
        break;
      case 'select_static':
      case 'multi_select_static':
        checkOptions(el, at, out);
        if (el.placeholder !== undefined) checkTextObj(el.placeholder, `${at}.placeholder`, out, ['plain_text']);
        if (!form) checkBehaviors(el, at, out, true);
        break;
      case 'select_person':
        if (el.placeholder !== undefined) checkTextObj(el.placeholder, `${at}.placeholder`, out, ['plain_text']);
        if (!form) checkBehaviors(el, at, out, true);
        break;
      case 'input': {
        const max = el.max_length === undefined ? 1000 : Number(el.max_length);
        if (!Number.isInteger(max) || max < 1 || max > 1000) out.push(`${at}: max_length must be 1..1000`);
        if (typeof el.default_value === 'string' && el.default_value.length > max) out.push(`${at}: default_value longer than max_length`);
        if (el.input_type !== undefined && !['text', 'multiline_text', 'password'].includes(String(el.input_type))) out.push(`${at}: unknown input_type`);
        break;
      }
      case 'date_picker':
        if (el.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(el.initial_date))) out.push(`${at}: initial_date must be YYYY-MM-DD`);
        break;
      case 'form': {
        if (form) out.push(`${at}: a form cannot contain a form`);
        if (typeof el.name !== 'string' || !el.name) out.push(`${at}: a form needs a name`);
        const inner = { names: new Set<string>(), submit: false };
        walk(el.elements, `${at}.elements`, out, ids, inner);
        if (!inner.submit) out.push(`${at}: a form needs a button with form_action_type 'submit'`);
        break;
      }
      case 'column_set':
        if (Array.isArray(el.columns))
          for (const [j, c] of el.columns.entries()) walk(isObj(c) ? c.elements : undefined, `${at}.columns[${j}].elements`, out, ids, form);
        break;
      default:
        break;
    }
    if (form && FIELD_TAGS.has(tag)) {
      const name = typeof el.name === 'string' ? el.name : '';
      if (!name) out.push(`${at}: a component inside a form needs a name (its key in form_value)`);
      else if (form.names.has(name)) out.push(`${at}: name '${name}' is used twice in the form`);
      form.names.add(name);
    }
  }
}

/** Violations of a card JSON 2.0 document (empty when it follows the rules). */
export function checkCard(card: unknown, where: string): string[] {
  const out: string[] = [];
  if (!isObj(card)) return [`${where}: card is not an object`];
  const size = Buffer.byteLength(JSON.stringify(card));
  if (size > CARD_MAX_BYTES) out.push(`${where}: card is ${size} bytes, over ${CARD_MAX_BYTES}`);
  if (card.schema !== '2.0') out.push(`${where}: schema must be '2.0'`);
  if (!isObj(card.config) || card.config.update_multi !== true) out.push(`${where}: JSON 2.0 cards must be shared (config.update_multi: true)`);
  if (card.header !== undefined) {
    if (!isObj(card.header)) out.push(`${where}.header: not an object`);
    else {
      checkTextObj(card.header.title, `${where}.header.title`, out);
      if (card.header.template !== undefined && !TEMPLATES.has(String(card.header.template)))
        out.push(`${where}.header: unknown template '${String(card.header.template)}'`);
    }
  }
  if (!isObj(card.body)) out.push(`${where}: body.elements is required`);
  else walk(card.body.elements, `${where}.body.elements`, out, new Set());
  if (MASS_MENTION.test(JSON.stringify(card))) out.push(`${where}: mentions everyone (<at id=all>)`);
  return out;
}

/** Violations of a plain text message's content. */
export function checkText(content: unknown, where: string): string[] {
  if (!isObj(content) || typeof content.text !== 'string') return [`${where}: text content must be {"text": string}`];
  if (Buffer.byteLength(content.text) > 150 * 1024) return [`${where}: text over 150 KB`];
  return MASS_MENTION.test(content.text) ? [`${where}: mentions everyone (<at user_id="all">)`] : [];
}
