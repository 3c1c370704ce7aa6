/**
 * Tokenization for the offline classifier. Handles Latin-script (and other
 * space-separated) languages and CJK text, which has no spaces:
 *
 *   - text is NFKC-normalised (full-width → half-width) and lower-cased;
 *   - Latin/other scripts: words = runs of letters/digits (apostrophes inside
 *     words are dropped: "can't" → "cant"); features are word unigrams,
 *     word bigrams and, separately, character 3..5-grams inside each word
 *     (with boundary markers) for robustness to typos and inflection;
 *   - CJK (Han, kana, Hangul): each run yields character unigrams and bigrams
 *     (a word segmenter would need a dictionary; bigrams get most of the way).
 *
 * Every feature carries the surface term it came from, so that a prediction
 * can be explained with words the user actually wrote. Terms only ever contain
 * letters, digits and single spaces, which makes them safe to echo back.
 */

export interface TokenizeOptions {
  /** Word bigrams (and CJK character bigrams). Default true. */
  bigrams: boolean;
  /** Character n-gram range inside words, e.g. [3, 5]; [0, 0] disables. */
  charNgrams: readonly [number, number];
}

export const DEFAULT_TOKENIZE_OPTIONS: TokenizeOptions = { bigrams: true, charNgrams: [3, 5] };

/** A feature occurrence: `key` is the feature name, `term` the text it came from. */
export interface FeatureOccurrence {
  key: string;
  term: string;
  /** 'w' = word/CJK gram block, 'c' = character n-gram block. */
  block: 'w' | 'c';
}

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** A CJK run, or a run of other letters/digits (with inner apostrophes). */
const SEGMENT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;
/** Words this long are noise (hashes, base64, URLs glued together). */
const MAX_WORD_LENGTH = 40;
/** Only the first part of very long input is used (tickets with pasted logs). */
export const MAX_INPUT_CHARS = 20_000;

export function normalizeText(text: string): string {
  return text.slice(0, MAX_INPUT_CHARS).normalize('NFKC').toLowerCase();
}

interface Segment {
  kind: 'word' | 'cjk';
  text: string;
}

/** Splits normalised text into words and CJK runs, in order. */
export function segments(text: string): Segment[] {
  const out: Segment[] = [];
  for (const m of normalizeText(text).matchAll(SEGMENT)) {
    const s = m[0];
    if (CJK_CHAR.test(s[0] ?? '')) {
      out.push({ kind: 'cjk', text: s });
    } else {
      const word = s.replace(/['’]/g, '');
      if (word.length > 0 && word.length <= MAX_WORD_LENGTH) out.push({ kind: 'word', text: word });
    }
  }
  return out;
}

/** Plain list of words / CJK characters (for tests and debugging). */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const seg of segments(text)) {
    if (seg.kind === 'word') out.push(seg.text);
    else out.push(...Array.from(seg.text));
  }
  return out;
}

/** All feature occurrences of a text (a feature repeats once per occurrence). */
export function featureOccurrences(text: string, options: TokenizeOptions = DEFAULT_TOKENIZE_OPTIONS): FeatureOccurrence[] {
  const out: FeatureOccurrence[] = [];
  const [minN, maxN] = options.charNgrams;
  // Previous unit for bigrams; reset at CJK/Latin boundaries so bigrams never straddle scripts.
  let prev: string | undefined;
  let prevKind: Segment['kind'] | undefined;
  for (const seg of segments(text)) {
    if (seg.kind === 'word') {
      const w = seg.text;
      out.push({ key: `w ${w}`, term: w, block: 'w' });
      if (options.bigrams && prev !== undefined && prevKind === 'word') {
        const term = `${prev} ${w}`;
        out.push({ key: `b ${term}`, term, block: 'w' });
      }
      if (minN > 0 && maxN >= minN && w.length >= 2) {
        const padded = `<${w}>`;
        for (let n = minN; n <= maxN; n++) {
          if (padded.length < n) break;
          for (let i = 0; i + n <= padded.length; i++) {
            out.push({ key: `c ${padded.slice(i, i + n)}`, term: w, block: 'c' });
          }
        }
      }
      prev = w;
      prevKind = 'word';
    } else {
      const chars = Array.from(seg.text);
      for (let i = 0; i < chars.length; i++) {
        const c = chars[i]!;
        out.push({ key: `w ${c}`, term: c, block: 'w' });
        if (options.bigrams && i > 0) {
          const term = chars[i - 1]! + c;
          out.push({ key: `b ${term}`, term, block: 'w' });
        }
      }
      prev = undefined;
      prevKind = 'cjk';
    }
  }
  return out;
}
