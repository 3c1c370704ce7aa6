/**
 * In-memory similarity search over short texts (ticket titles, questions),
 * English and Chinese, with the offline classifier's features
 * (../offline/tokenize): word uni/bigrams and CJK character uni/bigrams in one
 * block, character 3-5-grams inside words in another. Each block is weighted
 * with sublinear tf × smoothed idf (as ../offline/features) and L2-normalised;
 * the score is the cosine of the concatenated vectors (char block × charWeight),
 * 0..1.
 *
 * idf follows the indexed texts (an inverted index with document frequencies
 * updated on add/remove). Document norms depend on idf; they are recomputed
 * for all documents when more than `normDrift` of the collection changed since
 * the last recomputation, and computed with the current idf for new texts, so
 * scores are exact right after a recomputation and close in between.
 * Results are deterministic for a given sequence of operations.
 */
import { DEFAULT_TOKENIZE_OPTIONS, featureOccurrences, type TokenizeOptions } from '../offline/tokenize';

export interface SimilarityIndexOptions {
  tokenize: TokenizeOptions;
  /** Weight of the character n-gram block relative to the word block. Default 2 (chosen on Banking77 train). */
  charWeight: number;
  /** Fraction of changed documents after which all norms are recomputed. Default 0.05. */
  normDrift: number;
}

export const DEFAULT_SIMILARITY_OPTIONS: SimilarityIndexOptions = { tokenize: DEFAULT_TOKENIZE_OPTIONS, charWeight: 2, normDrift: 0.05 };

export interface SearchOptions<M> {
  /** At most this many hits, best first. Default 5. */
  k?: number;
  /** Hits scoring below this are dropped. Default 0 (any shared feature). */
  minScore?: number;
  filter?: (meta: M, id: string) => boolean;
}

export interface SimilarityHit<M> {
  id: string;
  score: number;
  meta: M;
}

interface Doc<M> {
  id: string;
  meta: M;
  /** Feature ids and their sublinear tf (1 + ln tf). */
  features: Int32Array;
  logTf: Float32Array;
  normW: number;
  normC: number;
  alive: boolean;
}

export class SimilarityIndex<M = undefined> {
  readonly options: SimilarityIndexOptions;
  private readonly featureIds = new Map<string, number>();
  private readonly isChar: number[] = [];
  private readonly df: number[] = [];
  /** Per feature: doc slots (may include removed docs until compaction) and their log tf. */
  private postings: Array<{ slots: number[]; tf: number[] }> = [];
  private docs: Array<Doc<M>> = [];
  private readonly slotById = new Map<string, number>();
  private changesSinceNorms = 0;
  private dead = 0;

  constructor(options: Partial<SimilarityIndexOptions> = {}) {
    this.options = { ...DEFAULT_SIMILARITY_OPTIONS, ...options };
  }

  get size(): number {
    return this.slotById.size;
  }

  has(id: string): boolean {
    return this.slotById.has(id);
  }

  /** Adds a text (replacing any text with the same id). */
  add(id: string, text: string, meta: M): void {
    if (typeof id !== 'string' || id === '') throw new TypeError('SimilarityIndex.add: id must be a non-empty string');
    if (typeof text !== 'string') throw new TypeError('SimilarityIndex.add: text must be a string');
    this.remove(id);
    const counts = this.count(text, true);
    const features = Int32Array.from(counts.keys());
    const logTf = Float32Array.from(counts.values(), (tf) => 1 + Math.log(tf));
    const slot = this.docs.length;
    for (let i = 0; i < features.length; i++) {
      const f = features[i]!;
      this.df[f]! += 1;
      const p = this.postings[f]!;
      p.slots.push(slot);
      p.tf.push(logTf[i]!);
    }
    const doc: Doc<M> = { id, meta, features, logTf, normW: 0, normC: 0, alive: true };
    this.docs.push(doc);
    this.slotById.set(id, slot);
    this.touch();
    this.computeNorms(doc);
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    const doc = this.docs[slot]!;
    doc.alive = false;
    for (const f of doc.features) this.df[f]! -= 1;
    this.slotById.delete(id);
    this.dead++;
    this.touch();
    if (this.dead > 64 && this.dead > this.docs.length / 4) this.compact();
    return true;
  }

  search(text: string, options: SearchOptions<M> = {}): Array<SimilarityHit<M>> {
    const k = options.k ?? 5;
    const minScore = options.minScore ?? 0;
    if (k <= 0 || this.size === 0) return [];
    if (this.changesSinceNorms > Math.max(1, this.options.normDrift * this.size)) this.recomputeNorms();
    const q = this.count(text, false);
    const cw2 = this.options.charWeight ** 2;
    // Query weights per block.
    const qf: number[] = [];
    const qw: number[] = [];
    let qNormW = 0;
    let qNormC = 0;
    for (const [f, tf] of q) {
      if (this.df[f]! <= 0) continue;
      const w = (1 + Math.log(tf)) * this.idf(f);
      qf.push(f);
      qw.push(w);
      if (this.isChar[f]) qNormC += w * w;
      else qNormW += w * w;
    }
    if (qf.length === 0) return [];
    qNormW = Math.sqrt(qNormW);
    qNormC = Math.sqrt(qNormC);
    const n = this.docs.length;
    const dotW = new Float64Array(n);
    const dotC = new Float64Array(n);
    const seen = new Uint8Array(n);
    const touched: number[] = [];
    for (let i = 0; i < qf.length; i++) {
      const f = qf[i]!;
      const weight = qw[i]! * this.idf(f);
      const target = this.isChar[f] ? dotC : dotW;
      const { slots, tf } = this.postings[f]!;
      for (let j = 0; j < slots.length; j++) {
        const s = slots[j]!;
        target[s]! += weight * tf[j]!;
        if (!seen[s]) {
          seen[s] = 1;
          touched.push(s);
        }
      }
    }
    const qBlocks = (qNormW > 0 ? 1 : 0) + (qNormC > 0 ? cw2 : 0);
    const hits: Array<SimilarityHit<M> & { slot: number }> = [];
    for (const slot of touched) {
      const doc = this.docs[slot]!;
      if (!doc.alive) continue;
      const w = doc.normW > 0 && qNormW > 0 ? dotW[slot]! / (qNormW * doc.normW) : 0;
      const c = doc.normC > 0 && qNormC > 0 ? dotC[slot]! / (qNormC * doc.normC) : 0;
      const dBlocks = (doc.normW > 0 ? 1 : 0) + (doc.normC > 0 ? cw2 : 0);
      const score = Math.min(1, (w + cw2 * c) / Math.sqrt(qBlocks * dBlocks));
      if (score < minScore || score <= 0) continue;
      if (options.filter && !options.filter(doc.meta, doc.id)) continue;
      hits.push({ id: doc.id, score, meta: doc.meta, slot });
    }
    hits.sort((a, b) => b.score - a.score || a.slot - b.slot);
    return hits.slice(0, k).map(({ id, score, meta }) => ({ id, score, meta }));
  }

  private idf(f: number): number {
    return Math.log((1 + this.size) / (1 + this.df[f]!)) + 1;
  }

  /** Feature id → tf of a text; unknown features are created only when `create`. */
  private count(text: string, create: boolean): Map<number, number> {
    const counts = new Map<number, number>();
    for (const occ of featureOccurrences(text, this.options.tokenize)) {
      let f = this.featureIds.get(occ.key);
      if (f === undefined) {
        if (!create) continue;
        f = this.featureIds.size;
        this.featureIds.set(occ.key, f);
        this.isChar.push(occ.block === 'c' ? 1 : 0);
        this.df.push(0);
        this.postings.push({ slots: [], tf: [] });
      }
      counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    return counts;
  }

  private computeNorms(doc: Doc<M>): void {
    let w = 0;
    let c = 0;
    for (let i = 0; i < doc.features.length; i++) {
      const f = doc.features[i]!;
      const v = doc.logTf[i]! * this.idf(f);
      if (this.isChar[f]) c += v * v;
      else w += v * v;
    }
    doc.normW = Math.sqrt(w);
    doc.normC = Math.sqrt(c);
  }

  private recomputeNorms(): void {
    for (const doc of this.docs) if (doc.alive) this.computeNorms(doc);
    this.changesSinceNorms = 0;
  }

  private touch(): void {
    this.changesSinceNorms++;
  }

  /** Drops removed documents from the postings (slots are renumbered; order is kept). */
  private compact(): void {
    const live = this.docs.filter((d) => d.alive);
    const newSlot = new Map<number, number>();
    this.docs.forEach((d, old) => {
      if (d.alive) newSlot.set(old, newSlot.size);
    });
    for (const p of this.postings) {
      const slots: number[] = [];
      const tf: number[] = [];
      for (let j = 0; j < p.slots.length; j++) {
        const s = newSlot.get(p.slots[j]!);
        if (s !== undefined) {
          slots.push(s);
          tf.push(p.tf[j]!);
        }
      }
      p.slots = slots;
      p.tf = tf;
    }
    this.docs = live;
    this.slotById.clear();
    for (const [i, d] of live.entries()) this.slotById.set(d.id, i);
    this.dead = 0;
  }
}
