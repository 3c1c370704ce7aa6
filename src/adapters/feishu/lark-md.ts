/**
 * Feishu card markdown (lark_md) reads `<at id=all>`, `<font>`, links and
 * emphasis from text: user text goes through `escapeLarkMd`, which writes
 * every markup character as an HTML entity (Feishu's documented escapes), so
 * a ticket title can never mention anyone or inject a link.
 */
const ENTITY: Record<string, string> = {
  '&': '&#38;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '#': '&#35;',
  '\\': '&#92;',
  $: '&#36;',
  '|': '&#124;',
};

export function escapeLarkMd(text: string): string {
  return text.replace(/[&<>*_~`[\]()#\\$|]/g, (c) => ENTITY[c] ?? c);
}

/**
 * Plain `text` messages still read `<at user_id="all">`: a zero-width space
 * after every `<` that starts a tag keeps the text as typed and inert.
 */
export function defuseTextTags(text: string): string {
  return text.replace(/<(?=[/a-z])/gi, '<\u200b');
}

/** Cut to a limit, keeping the result valid. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
