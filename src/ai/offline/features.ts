/**
 * TF-IDF features over a fixed vocabulary learnt from training texts.
 *
 * Two blocks, each weighted with sublinear tf (1 + ln tf) × smoothed idf
 * (ln((1 + n) / (1 + df)) + 1, as scikit-learn) and L2-normalised on its own:
 * the word block (word uni/bigrams, CJK char uni/bigrams) and the character
 * n-gram block, the latter scaled by `charWeight`. This mirrors the classic
 * "FeatureUnion(word tf-idf, char_wb tf-idf)" setup.
 */
import { featureOccurrences, type TokenizeOptions } from './tokenize';

export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

export interface ExplainedVector extends SparseVector {
  /** Surface term for each entry of `indices`. */
  terms: string[];
}

export interface VectorizerOptions {
  tokenize: TokenizeOptions;
  /** Features seen in fewer training texts are dropped. */
  minDf: number;
  /** Keep at most this many features (highest document frequency first). */
  maxFeatures: number;
  /** Weight of the character n-gram block relative to the word block. */
  charWeight: number;
}

export interface VectorizerJSON {
  options: VectorizerOptions;
  /** Feature keys, index = column. */
  vocabulary: string[];
  /** idf per column, rounded to 4 decimals. */
  idf: number[];
}

export class Vectorizer {
  readonly options: VectorizerOptions;
  readonly vocabulary: readonly string[];
  private readonly index: Map<string, number>;
  private readonly idf: Float64Array;
  private readonly isChar: Uint8Array;

  private constructor(options: VectorizerOptions, vocabulary: string[], idf: Float64Array) {
    this.options = options;
    this.vocabulary = vocabulary;
    this.idf = idf;
    this.index = new Map(vocabulary.map((k, i) => [k, i]));
    this.isChar = Uint8Array.from(vocabulary, (k) => (k.startsWith('c ') ? 1 : 0));
  }

  get size(): number {
    return this.vocabulary.length;
  }

  static fit(texts: readonly string[], options: VectorizerOptions): Vectorizer {
    const df = new Map<string, number>();
    for (const text of texts) {
      const seen = new Set<string>();
      for (const occ of featureOccurrences(text, options.tokenize)) seen.add(occ.key);
      for (const key of seen) df.set(key, (df.get(key) ?? 0) + 1);
    }
    // Map iteration order is insertion order, so ties are broken deterministically.
    let keys = [...df.entries()].filter(([, d]) => d >= options.minDf);
    if (keys.length > options.maxFeatures) {
      keys = keys
        .map((e, i) => ({ e, i }))
        .sort((a, b) => b.e[1] - a.e[1] || a.i - b.i)
        .slice(0, options.maxFeatures)
        .sort((a, b) => a.i - b.i)
        .map((x) => x.e);
    }
    const n = texts.length;
    const vocabulary = keys.map(([k]) => k);
    const idf = Float64Array.from(keys, ([, d]) => roundTo(Math.log((1 + n) / (1 + d)) + 1, 4));
    return new Vectorizer(options, vocabulary, idf);
  }

  transform(text: string): SparseVector {
    const { indices, values } = this.transformExplained(text);
    return { indices, values };
  }

  transformExplained(text: string): ExplainedVector {
    const counts = new Map<number, { tf: number; term: string }>();
    for (const occ of featureOccurrences(text, this.options.tokenize)) {
      const col = this.index.get(occ.key);
      if (col === undefined) continue;
      const entry = counts.get(col);
      if (entry) entry.tf += 1;
      else counts.set(col, { tf: 1, term: occ.term });
    }
    const size = counts.size;
    const indices = new Int32Array(size);
    const values = new Float64Array(size);
    const terms: string[] = new Array<string>(size);
    let i = 0;
    let normW = 0;
    let normC = 0;
    for (const [col, { tf, term }] of counts) {
      const v = (1 + Math.log(tf)) * this.idf[col]!;
      indices[i] = col;
      values[i] = v;
      terms[i] = term;
      if (this.isChar[col]) normC += v * v;
      else normW += v * v;
      i++;
    }
    const scaleW = normW > 0 ? 1 / Math.sqrt(normW) : 0;
    const scaleC = normC > 0 ? this.options.charWeight / Math.sqrt(normC) : 0;
    for (let j = 0; j < size; j++) values[j]! *= this.isChar[indices[j]!] ? scaleC : scaleW;
    return { indices, values, terms };
  }

  toJSON(): VectorizerJSON {
    return { options: this.options, vocabulary: [...this.vocabulary], idf: Array.from(this.idf) };
  }

  static fromJSON(json: VectorizerJSON): Vectorizer {
    if (!json || !Array.isArray(json.vocabulary) || !Array.isArray(json.idf) || json.vocabulary.length !== json.idf.length) {
      throw new TypeError('vectorizer: vocabulary and idf must be arrays of equal length');
    }
    return new Vectorizer(json.options, [...json.vocabulary], Float64Array.from(json.idf));
  }
}

export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
