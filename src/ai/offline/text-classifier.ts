/**
 * Offline single-label text classifier: TF-IDF features (./features) +
 * multinomial logistic regression (./linear-model), with softmax confidences
 * temperature-calibrated on a held-out slice of the training data.
 *
 * Pure TypeScript, deterministic for a given seed and example order,
 * serialisable to JSON (weights quantised, see ./linear-model).
 */
import { ChatdeskError } from '../../domain/errors';
import type { LabeledExample, LabelPrediction, TextClassifier } from '../classifier.port';
import { Vectorizer, roundTo, type SparseVector, type VectorizerJSON, type VectorizerOptions } from './features';
import { LinearModel, type LinearModelJSON, type LinearModelOptions } from './linear-model';
import { stratifiedSplit } from './rng';
import { DEFAULT_TOKENIZE_OPTIONS, type TokenizeOptions } from './tokenize';

export const MODEL_FORMAT = 'chatdesk-text-classifier';
export const MODEL_VERSION = 1;

export interface TextClassifierOptions {
  tokenize: TokenizeOptions;
  /** Minimum document frequency; default 1 below 1,000 examples, else 2. */
  minDf?: number;
  maxFeatures: number;
  charWeight: number;
  /** SGD epochs; default scales with data size (more passes for small sets). */
  epochs?: number;
  l2: number;
  learningRate: number;
  balanced: boolean;
  weightBits: 8 | 16;
  /** Fit a softmax temperature on a held-out slice of the training data. */
  calibrate: boolean;
  /** Fraction held out for calibration (the final model is retrained on everything). */
  calibrationFraction: number;
  seed: number;
}

export const DEFAULT_TEXT_CLASSIFIER_OPTIONS: TextClassifierOptions = {
  tokenize: DEFAULT_TOKENIZE_OPTIONS,
  maxFeatures: 60_000,
  charWeight: 1,
  l2: 1e-5,
  learningRate: 0.5,
  balanced: false,
  weightBits: 8,
  calibrate: true,
  calibrationFraction: 0.2,
  seed: 42,
};

export interface TextClassifierJSON {
  format: typeof MODEL_FORMAT;
  version: number;
  labels: string[];
  temperature: number;
  trainedOn: number;
  vectorizer: VectorizerJSON;
  model: LinearModelJSON;
}

export interface TermContribution {
  term: string;
  weight: number;
}

/** Number of labels reported in `LabelPrediction.ranking`. */
const RANKING_SIZE = 5;
const MIN_EXAMPLES_TO_CALIBRATE = 40;

export class OfflineTextClassifier implements TextClassifier {
  readonly labels: readonly string[];
  /** Softmax temperature (1 = uncalibrated). */
  readonly temperature: number;
  /** Number of examples the model was trained on. */
  readonly trainedOn: number;
  private readonly vectorizer: Vectorizer;
  private readonly model: LinearModel;

  private constructor(labels: string[], temperature: number, trainedOn: number, vectorizer: Vectorizer, model: LinearModel) {
    this.labels = Object.freeze([...labels]);
    this.temperature = temperature;
    this.trainedOn = trainedOn;
    this.vectorizer = vectorizer;
    this.model = model;
  }

  get featureCount(): number {
    return this.vectorizer.size;
  }

  static train(examples: readonly LabeledExample[], options: Partial<TextClassifierOptions> = {}): OfflineTextClassifier {
    const opts: TextClassifierOptions = { ...DEFAULT_TEXT_CLASSIFIER_OPTIONS, ...options };
    validateExamples(examples);
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    if (labels.length < 2) {
      throw new ChatdeskError('chatdesk_classifier_input_invalid', `need examples of at least 2 labels to train, got ${labels.length}`, {
        labels,
      });
    }
    let temperature = 1;
    if (opts.calibrate && examples.length >= MIN_EXAMPLES_TO_CALIBRATE) {
      const { train, test } = stratifiedSplit(examples, (e) => e.label, opts.calibrationFraction, opts.seed + 1);
      if (test.length > 0 && new Set(train.map((e) => e.label)).size >= 2) {
        const probe = OfflineTextClassifier.fit(train, labels, opts, 1);
        const logits = test.map((e) => probe.logits(probe.vectorizer.transform(e.text)));
        const targets = test.map((e) => labels.indexOf(e.label));
        temperature = roundTo(fitTemperature(logits, targets), 4);
      }
    }
    return OfflineTextClassifier.fit(examples, labels, opts, temperature);
  }

  private static fit(examples: readonly LabeledExample[], labels: string[], opts: TextClassifierOptions, temperature: number): OfflineTextClassifier {
    const n = examples.length;
    const vectorizerOptions: VectorizerOptions = {
      tokenize: opts.tokenize,
      minDf: opts.minDf ?? (n >= 1000 ? 2 : 1),
      maxFeatures: opts.maxFeatures,
      charWeight: opts.charWeight,
    };
    const vectorizer = Vectorizer.fit(
      examples.map((e) => e.text),
      vectorizerOptions,
    );
    const X = examples.map((e) => vectorizer.transform(e.text));
    const index = new Map(labels.map((l, i) => [l, i]));
    const y = Int32Array.from(examples, (e) => index.get(e.label) ?? -1);
    const modelOptions: LinearModelOptions = {
      epochs: opts.epochs ?? defaultEpochs(n),
      l2: opts.l2,
      learningRate: opts.learningRate,
      averageFrom: 0.5,
      balanced: opts.balanced,
      weightBits: opts.weightBits,
      seed: opts.seed,
    };
    const model = LinearModel.train(X, y, labels.length, vectorizer.size, modelOptions);
    return new OfflineTextClassifier(labels, temperature, n, vectorizer, model);
  }

  private logits(x: SparseVector): Float64Array {
    return this.model.scores(x);
  }

  /** Calibrated probabilities, one per label (same order as `labels`). */
  probabilities(text: string): Float64Array {
    return softmax(this.logits(this.vectorizer.transform(checkText(text))), this.temperature);
  }

  predict(text: string): LabelPrediction {
    const probs = this.probabilities(text);
    const order = [...probs.keys()].sort((a, b) => probs[b]! - probs[a]! || a - b);
    const best = order[0]!;
    return {
      label: this.labels[best]!,
      confidence: probs[best]!,
      ranking: order.slice(0, RANKING_SIZE).map((i) => ({ label: this.labels[i]!, score: probs[i]! })),
    };
  }

  /**
   * Terms of `text` that pushed hardest towards `label` (relative to the other
   * labels), best first. Terms contain only letters, digits and spaces.
   */
  explain(text: string, label: string, limit = 3): TermContribution[] {
    const k = this.labels.indexOf(label);
    if (k < 0) return [];
    const x = this.vectorizer.transformExplained(checkText(text));
    const contrib = this.model.contributions(x, k);
    const byTerm = new Map<string, number>();
    for (const [e, term] of x.terms.entries()) byTerm.set(term, (byTerm.get(term) ?? 0) + contrib[e]!);
    // A single CJK character reads badly on its own: fold it into the best CJK bigram containing it.
    for (const [term, w] of [...byTerm]) {
      if (Array.from(term).length !== 1 || !CJK.test(term)) continue;
      let host: string | undefined;
      for (const [other, ow] of byTerm) {
        if (other !== term && Array.from(other).length === 2 && other.includes(term) && ow > 0 && (host === undefined || ow > byTerm.get(host)!)) host = other;
      }
      if (host !== undefined) {
        byTerm.set(host, byTerm.get(host)! + w);
        byTerm.delete(term);
      }
    }
    const ranked = [...byTerm.entries()].filter(([term, w]) => w > 0 && !STOPWORDS.has(term)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const picked: TermContribution[] = [];
    for (const [term, weight] of ranked) {
      if (picked.length >= limit) break;
      // Drop a term already covered by a better-ranked phrase ("vpn" under "vpn down");
      // join overlapping CJK bigrams ("打印" + "印机" → "打印机").
      if (picked.some((p) => containsTerm(p.term, term) || containsTerm(term, p.term))) continue;
      const joinable = picked.find((p) => CJK.test(term) && CJK.test(p.term) && (p.term.endsWith(term[0]!) || term.endsWith(p.term[0]!)));
      if (joinable) {
        const joined = joinable.term.endsWith(term[0]!) ? joinable.term + term.slice(1) : term + joinable.term.slice(1);
        if (normalizedIncludes(text, joined)) {
          joinable.term = joined;
          joinable.weight += weight;
          continue;
        }
      }
      picked.push({ term, weight });
    }
    return picked;
  }

  toJSON(): TextClassifierJSON {
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      labels: [...this.labels],
      temperature: this.temperature,
      trainedOn: this.trainedOn,
      vectorizer: this.vectorizer.toJSON(),
      model: this.model.toJSON(),
    };
  }

  /** Restores a model from `toJSON()` output (object or JSON string). */
  static fromJSON(input: unknown): OfflineTextClassifier {
    let json: unknown = input;
    try {
      if (typeof input === 'string') json = JSON.parse(input);
    } catch (err) {
      throw new ChatdeskError('chatdesk_classifier_input_invalid', 'model is not valid JSON', {}, { cause: err });
    }
    const j = json as Partial<TextClassifierJSON> | null;
    if (!j || typeof j !== 'object' || j.format !== MODEL_FORMAT) {
      throw new ChatdeskError('chatdesk_classifier_input_invalid', `not a ${MODEL_FORMAT} model`);
    }
    if (j.version !== MODEL_VERSION) {
      throw new ChatdeskError('chatdesk_classifier_input_invalid', `unsupported model version ${String(j.version)} (expected ${MODEL_VERSION})`);
    }
    try {
      const labels = j.labels;
      if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === 'string')) throw new TypeError('labels must be an array of strings');
      const vectorizer = Vectorizer.fromJSON(j.vectorizer as VectorizerJSON);
      const model = LinearModel.fromJSON(j.model as LinearModelJSON);
      if (model.classes !== labels.length || model.features !== vectorizer.size) throw new TypeError('model shape does not match labels/vocabulary');
      const temperature = typeof j.temperature === 'number' && j.temperature > 0 ? j.temperature : 1;
      return new OfflineTextClassifier(labels, temperature, Number(j.trainedOn) || 0, vectorizer, model);
    } catch (err) {
      if (err instanceof ChatdeskError) throw err;
      throw new ChatdeskError('chatdesk_classifier_input_invalid', `corrupt model: ${(err as Error).message}`, {}, { cause: err });
    }
  }
}

function defaultEpochs(n: number): number {
  // Small sets need more passes to converge; large ones get ~10.
  return Math.max(10, Math.min(60, Math.ceil(40_000 / Math.max(1, n))));
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Function words never shown as a reason (they still count in the model). */
const STOPWORDS = new Set(
  'a an the is are was were be been am i me my we our you your it its this that to of in on at for with and or but not no do does did can could will would should please hi hello thanks thank from by as so if just have has had there here what when how why who which 的 了 吗 呢 吧 啊 我 你 他 她 是 在 有 和 就 都 也 很 请'.split(
    ' ',
  ),
);

function containsTerm(phrase: string, term: string): boolean {
  if (phrase === term) return false;
  if (CJK.test(phrase) && CJK.test(term)) return phrase.includes(term);
  return ` ${phrase} `.includes(` ${term} `);
}

function normalizedIncludes(text: string, fragment: string): boolean {
  return text.normalize('NFKC').toLowerCase().includes(fragment);
}

function checkText(text: unknown): string {
  if (typeof text !== 'string') {
    throw new ChatdeskError('chatdesk_classifier_input_invalid', `text must be a string, got ${text === null ? 'null' : typeof text}`);
  }
  return text;
}

function validateExamples(examples: readonly LabeledExample[]): void {
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new ChatdeskError('chatdesk_classifier_input_invalid', 'no training examples');
  }
  examples.forEach((e, i) => {
    if (!e || typeof e.text !== 'string' || typeof e.label !== 'string' || e.label.trim() === '') {
      throw new ChatdeskError('chatdesk_classifier_input_invalid', `training example ${i + 1} needs a string text and a non-empty label`, { index: i });
    }
  });
}

export function softmax(logits: Float64Array, temperature = 1): Float64Array {
  const out = new Float64Array(logits.length);
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  let sum = 0;
  for (let k = 0; k < logits.length; k++) {
    const p = Math.exp((logits[k]! - max) / temperature);
    out[k] = p;
    sum += p;
  }
  for (let k = 0; k < out.length; k++) out[k]! /= sum;
  return out;
}

/** Temperature minimising held-out negative log-likelihood (golden-section search on log T). */
export function fitTemperature(logits: readonly Float64Array[], targets: readonly number[]): number {
  const nll = (logT: number): number => {
    const T = Math.exp(logT);
    let total = 0;
    logits.forEach((z, i) => {
      const p = softmax(z, T)[targets[i]!]!;
      total -= Math.log(Math.max(p, 1e-12));
    });
    return total;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let iter = 0; iter < 40; iter++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}
