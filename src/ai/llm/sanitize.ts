/**
 * Cleaning of untrusted text (model output, ticket text echoed back): no
 * control characters, no mass mentions on any messenger, bounded length.
 */

/** Control and format characters except tab and line breaks; bidi overrides and zero-width characters included. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

/**
 * Mass mentions: Slack `<!channel>` / `<!here>` / `<!everyone>` (with optional `|label`),
 * Discord / Teams plain `@everyone` / `@here` / `@channel`, Teams `<at>everyone</at>`,
 * Feishu `<at user_id="all">…</at>` / `<at id=all></at>` and the words "@all" / "@所有人".
 */
const MASS_MENTIONS: ReadonlyArray<[RegExp, string]> = [
  [/<!(channel|here|everyone)(?:\|[^>]*)?>/gi, '$1'],
  [/<!subteam\^[^>]*>/gi, 'team'],
  [/<at\b[^>]*\b(?:user_id|id)\s*=\s*["']?all["']?[^>]*>(?:[^<]*<\/at>)?/gi, 'all'],
  [/<at>\s*(everyone|all|channel|here)\s*<\/at>/gi, '$1'],
  [/(?<![\w.])@(everyone|here|channel|all)\b/gi, '$1'],
  [/@所有人/g, '所有人'],
];

export function stripControl(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

export function stripMassMentions(text: string): string {
  let out = text;
  for (const [re, replacement] of MASS_MENTIONS) out = out.replace(re, replacement);
  return out;
}

/** Caps to `max` characters (code points), ending with an ellipsis when cut. */
export function capChars(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, Math.max(0, max - 1))
        .join('')
        .trimEnd()}…`;
}

/** One line: control characters and line breaks become spaces, runs of spaces collapse. */
export function oneLine(text: string, max: number): string {
  return capChars(stripControl(text).replace(/\s+/g, ' ').trim(), max);
}

/** Multi-line text from an untrusted source, safe to post: no control characters, no mass mentions, at most `max` characters. */
export function untrustedText(text: string, max: number): string {
  const cleaned = stripMassMentions(stripControl(text))
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return capChars(cleaned, max);
}
