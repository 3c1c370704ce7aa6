/**
 * Slack treats `<…>` as links and mentions (`<!channel>`, `<@U1>`) and `&` as
 * an entity: user text is escaped so a ticket title can never ping a channel.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cut to Slack's limit for a text field, keeping the result valid. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Slack's escaped message text (`&lt;`, `&gt;`, `&amp;`) as the person typed it. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
