import type { DeskConfig } from '../config/desk-config.schema';
import { DESCRIPTION_MAX, type RawTicketDraft, TITLE_MAX, validateDraft } from '../domain/ticket/ticket-draft';

/**
 * `/ticket printer on floor 3 is jammed`: the text is the title; a text longer
 * than a title keeps its start (cut at a word) as title and all of it as description.
 */
export function draftFromText(text: string): { title: string; description: string } {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= TITLE_MAX) return { title: clean, description: '' };
  const cut = clean.slice(0, TITLE_MAX - 1);
  const lastSpace = cut.lastIndexOf(' ');
  const atWord = lastSpace > TITLE_MAX / 2 ? cut.slice(0, lastSpace) : cut;
  return { title: `${atWord}…`, description: text.trim() };
}

/**
 * A chat message turned into a ticket (message shortcut or action, reaction):
 * its text gives the title (as a quick command's would) and the description,
 * followed by the line linking back to it.
 */
export function draftFromMessage(text: string, sourceLine?: string): { title: string; description: string } {
  const title = draftFromText(text).title;
  const body = text.trim().slice(0, DESCRIPTION_MAX - 200);
  return { title, description: sourceLine ? `${body}\n\n${sourceLine}` : body };
}

/**
 * The one-line path every messenger offers: the draft to create at once, or
 * undefined when the form must open instead (no text, or the default type
 * needs fields a line cannot give).
 */
export function quickDraft(text: string, desk: DeskConfig): RawTicketDraft | undefined {
  if (!text.trim()) return undefined;
  const draft = { ...draftFromText(text), type: desk.defaultType };
  return validateDraft(draft, desk).ok ? draft : undefined;
}
