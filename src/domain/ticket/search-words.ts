/**
 * The words a ticket is found by, stored on it (`words`) so a search is an
 * equality lookup on an indexed array, which the embedded database hands to
 * PostgreSQL (a regex or $text it would run over every ticket in Go).
 * Latin words are lowercased (2+ characters); Chinese, Japanese and Korean
 * text, written without spaces, is cut into overlapping two-character pairs
 * (a single character stands alone).
 */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;
const MAX_WORDS = 200;

export function searchWords(text: string): string[] {
  const out = new Set<string>();
  for (const run of text
    .toLowerCase()
    .normalize('NFKC')
    .match(/[\p{L}\p{N}]+/gu) ?? []) {
    let latin = '';
    const chars = [...run];
    const flush = () => {
      if (latin.length >= 2) out.add(latin.slice(0, 40));
      latin = '';
    };
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (!CJK.test(c)) {
        latin += c;
        continue;
      }
      flush();
      const next = chars[i + 1];
      if (next && CJK.test(next)) out.add(c + next);
      else if (!(i > 0 && CJK.test(chars[i - 1]!))) out.add(c);
    }
    flush();
    if (out.size >= MAX_WORDS) break;
  }
  return [...out].slice(0, MAX_WORDS);
}

/** The UTC day number of a date (days since 1970-01-01): tickets are read a day at a time by equality on it. */
export const dayOf = (at: Date): number => Math.floor(at.getTime() / 86_400_000);

/** The UTC month number of a date (months since 1970-01): a search through all history reads a month at a time. */
export const monthOf = (at: Date): number => at.getUTCFullYear() * 12 + at.getUTCMonth() - 1970 * 12;
