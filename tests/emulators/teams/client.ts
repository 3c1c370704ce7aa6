/**
 * What the Teams client does with the bot's cards, for tests: the text a
 * person reads (markdown escapes rendered), the buttons they can press, and
 * a dialog filled in and submitted (every input is sent, empty ones as '').
 */
type Json = Record<string, any>;

/** Renders Teams markdown escapes and HTML entities back to what a person reads. */
export function rendered(text: string): string {
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!|~>])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function walk(node: unknown, visit: (n: Json) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  visit(node as Json);
  for (const v of Object.values(node as Json)) walk(v, visit);
}

export function adaptiveCardOf(activity: Json): Json | undefined {
  return (activity.attachments as Json[] | undefined)?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content as Json | undefined;
}

/** All visible text of a card: text blocks, facts, choices' titles, button titles. */
export function cardText(card: Json): string {
  const parts: string[] = [];
  walk(card, (n) => {
    if (n.type === 'TextBlock' && typeof n.text === 'string') parts.push(rendered(n.text));
    if (n.type === 'FactSet') for (const f of (n.facts as Json[]) ?? []) parts.push(`${rendered(String(f.title))}: ${rendered(String(f.value))}`);
  });
  return parts.join('\n');
}

/** The Action.Execute verbs a person can press (inside ShowCards too), plus `assign` when a people picker is shown. */
export function cardActions(card: Json): string[] {
  const verbs: string[] = [];
  walk(card, (n) => {
    if (n.type === 'Action.Execute' && typeof n.verb === 'string' && n.verb !== 'assign' && !verbs.includes(n.verb)) verbs.push(n.verb);
    // A button that opens a dialog (task/fetch) for a form on the ticket: Note, the rating's "Add a comment" (not the new-ticket form's launcher).
    const form = n.type === 'Action.Submit' && n.data?.msteams?.type === 'task/fetch' ? n.data?.chatdesk_form : undefined;
    if (typeof form === 'string' && form !== 'new_ticket' && !verbs.includes(form)) verbs.push(form);
  });
  let picker = false;
  walk(card, (n) => {
    if (n.type === 'Input.ChoiceSet' && n['choices.data']?.dataset === 'graph.microsoft.com/users') picker = true;
  });
  return picker ? [...verbs, 'assign'] : verbs;
}

/** The card's link buttons (Action.OpenUrl): what the person reads and the URL Teams opens. */
export function cardLinks(card: Json): Array<{ label: string; url: string }> {
  const links: Array<{ label: string; url: string }> = [];
  walk(card, (n) => {
    if (n.type === 'Action.OpenUrl' && typeof n.url === 'string') links.push({ label: rendered(String(n.title ?? '')), url: n.url });
  });
  return links;
}

export function findAction(card: Json, match: (a: Json) => boolean): Json | undefined {
  let found: Json | undefined;
  walk(card, (n) => {
    if (!found && typeof n.type === 'string' && n.type.startsWith('Action.') && match(n)) found = n;
  });
  return found;
}

/** The dialog's inputs with what the person typed (or what the card pre-filled). */
export function fillInputs(card: Json, values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  walk(card, (n) => {
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string') {
      out[n.id] = values[n.id] ?? (n.value === undefined ? '' : String(n.value));
    }
  });
  return out;
}

/** Field errors a dialog card shows (TextBlocks `<field>__error`). */
export function dialogErrors(card: Json): Record<string, string> {
  const errors: Record<string, string> = {};
  walk(card, (n) => {
    if (n.type === 'TextBlock' && typeof n.id === 'string' && n.id.endsWith('__error')) errors[n.id.slice(0, -'__error'.length)] = rendered(String(n.text));
  });
  return errors;
}
