import type { DeskConfig } from '../config/desk-config.schema';
import { type RawTicketDraft, TITLE_MAX, validateDraft } from '../domain/ticket/ticket-draft';

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
 * The one-line path every messenger offers: the draft to create at once, or
 * undefined when the form must open instead (no text, or the default type
 * needs fields a line cannot give).
 */
export function quickDraft(text: string, desk: DeskConfig): RawTicketDraft | undefined {
  if (!text.trim()) return undefined;
  const draft = { ...draftFromText(text), type: desk.defaultType };
  return validateDraft(draft, desk).ok ? draft : undefined;
}
