/**
 * User text on Teams: Adaptive Card TextBlocks and message text render a
 * markdown subset (message text also some HTML). Untrusted text is escaped so
 * a ticket title can neither format nor link; mentions need `msteams`
 * entities, which chatdesk never sends, so no one can be pinged.
 */
const MARKDOWN = /[\\`*_{}[\]()~|]/g;
const LINE_START = /^(\s*)([#>+-]|\d+\.)/gm;

/** Escapes markdown for an Adaptive Card TextBlock / Fact. */
export function escapeCardText(text: string): string {
  return text.replace(MARKDOWN, (c) => `\\${c}`).replace(LINE_START, (_, space: string, mark: string) => `${space}\\${mark}`);
}

/** Escapes markdown and HTML for a plain message activity's `text`. */
export function escapeMessageText(text: string): string {
  return escapeCardText(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/** Cut to a length, keeping the result valid. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * What the person typed, from an inbound message's `text`: the bot's
 * `<at>…</at>` mentions and any HTML removed, entities decoded, line breaks
 * (`\n`, `<br>`, paragraphs) kept as single newlines.
 */
export function typedText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div)>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, name: string) => ENTITIES[name] ?? '')
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
