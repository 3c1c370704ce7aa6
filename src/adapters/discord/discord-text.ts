import { escapeMarkdown } from 'discord.js';

/** No @everyone, @here, role or user pings from anything chatdesk sends. */
export const NO_MENTIONS = { parse: [] as never[] };

/**
 * User text shown as Discord markdown: formatting characters, headings, lists
 * and masked links are escaped, and mention syntax (`<@id>`, `<#id>`, `<@&id>`)
 * is shown as text instead of rendering as a mention.
 */
export function escapeDiscord(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true }).replace(/<([@#]|a?:)/g, '\\<$1');
}

/** Cut to one of Discord's length limits, keeping the result valid. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
