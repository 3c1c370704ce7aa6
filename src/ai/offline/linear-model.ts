/**
 * Multinomial logistic regression (softmax regression) on sparse features.
 *
 * Objective: mean cross-entropy (optionally class-weighted) + (l2 / 2)·‖W‖²
 * (bias not regularised), minimised with plain SGD over seeded shuffles:
 *   - learning rate η_t = η0 / (1 + η0·l2·t) (Bottou's schedule for L2-SGD);
 *   - the L2 shrinkage is exact and O(1) per step thanks to the usual
 *     "weight scale" trick (W = s·V; shrinking multiplies s only);
 *   - Polyak–Ruppert averaging over the last epochs (averaged SGD), which
 *     makes the final weights close to the regularised optimum.
 *
 * After training, weights are quantised per class to 8- or 16-bit integers;
 * the model always predicts with the quantised weights, so a model restored
 * from JSON predicts exactly like the one that was trained.
 */
import type { SparseVector } from './features';
import { createRng, shuffleInPlace } from './rng';

export interface LinearModelOptions {
  epochs: number;
  /** L2 strength per example (the objective's λ). */
  l2: number;
  /** Initial learning rate. */
  learningRate: number;
  /** Averaging starts after this fraction of the epochs. */
  averageFrom: number;
  /** Re-weight classes inversely to their frequency. */
  balanced: boolean;
  /** Quantisation of stored weights. */
  weightBits: 8 | 16;
  seed: number;
}

export interface LinearModelJSON {
  classes: number;
  features: number;
  bits: 8 | 16;
  /** Per-class dequantisation scale. */
  scales: number[];
  bias: number[];
  /** base64 of the little-endian Int8Array/Int16Array, feature-major (row = feature, column = class). */
  weights: string;
}

export class LinearModel {
  readonly classes: number;
  readonly features: number;
  private readonly bits: 8 | 16;
  private readonly q: Int8Array | Int16Array;
  private readonly scales: Float64Array;
  private readonly bias: Float64Array;

  private constructor(classes: number, features: number, bits: 8 | 16, q: Int8Array | Int16Array, scales: Float64Array, bias: Float64Array) {
    this.classes = classes;
    this.features = features;
    this.bits = bits;
    this.q = q;
    this.scales = scales;
    this.bias = bias;
  }

  /** Raw linear scores (logits) per class. */
  scores(x: SparseVector): Float64Array {
    const K = this.classes;
    const acc = new Float64Array(K);
    const q = this.q;
    for (let e = 0; e < x.indices.length; e++) {
      const v = x.values[e]!;
      const base = x.indices[e]! * K;
      for (let k = 0; k < K; k++) acc[k]! += v * q[base + k]!;
    }
    for (let k = 0; k < K; k++) acc[k] = acc[k]! * this.scales[k]! + this.bias[k]!;
    return acc;
  }

  /** Contribution of each entry of `x` to the logit of class `k` minus its mean over classes. */
  contributions(x: SparseVector, k: number): Float64Array {
    const K = this.classes;
    const out = new Float64Array(x.indices.length);
    for (let e = 0; e < x.indices.length; e++) {
      const base = x.indices[e]! * K;
      let mean = 0;
      for (let c = 0; c < K; c++) mean += this.q[base + c]! * this.scales[c]!;
      mean /= K;
      out[e] = x.values[e]! * (this.q[base + k]! * this.scales[k]! - mean);
    }
    return out;
  }

  static train(X: readonly SparseVector[], y: Int32Array, classes: number, features: number, options: LinearModelOptions): LinearModel {
    const K = classes;
    const n = X.length;
    const V = new Float64Array(features * K); // W = scale · V
    const b = new Float64Array(K);
    // Averaged weights: A = Σ W_t over averaged steps, kept lazily as (V sum) via the standard trick:
    // we accumulate avgV and avgB densely once per epoch-chunk would be O(D·K); instead use
    // the "sparse averaging" identity: A = Σ_t s_t V_t = U + C·V with per-step updates below.
    const U = new Float64Array(features * K);
    const bSum = new Float64Array(K);
    let scale = 1;
    let avgCoef = 0; // C: running Σ s_t, so that Σ_t s_t V_t = avgCoef·V - U (U absorbs past updates)
    let avgSteps = 0;

    const counts = new Float64Array(K);
    for (let i = 0; i < n; i++) counts[y[i]!]! += 1;
    const classWeight = new Float64Array(K).fill(1);
    if (options.balanced) for (let k = 0; k < K; k++) classWeight[k] = counts[k]! > 0 ? n / (K * counts[k]!) : 1;

    const rng = createRng(options.seed);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const { l2, learningRate: eta0 } = options;
    const averageStart = Math.floor(options.epochs * options.averageFrom);
    const scores = new Float64Array(K);
    const grad = new Float64Array(K);
    let t = 0;

    for (let epoch = 0; epoch < options.epochs; epoch++) {
      shuffleInPlace(order, rng);
      const averaging = epoch >= averageStart;
      for (let oi = 0; oi < n; oi++) {
        const i = order[oi]!;
        const x = X[i]!;
        const label = y[i]!;
        const eta = eta0 / (1 + eta0 * l2 * t);
        t++;
        // Forward.
        scores.set(b);
        for (let e = 0; e < x.indices.length; e++) {
          const v = x.values[e]! * scale;
          const base = x.indices[e]! * K;
          for (let k = 0; k < K; k++) scores[k]! += v * V[base + k]!;
        }
        let max = -Infinity;
        for (let k = 0; k < K; k++) if (scores[k]! > max) max = scores[k]!;
        let sum = 0;
        for (let k = 0; k < K; k++) {
          const p = Math.exp(scores[k]! - max);
          scores[k] = p;
          sum += p;
        }
        const w = classWeight[label]!;
        for (let k = 0; k < K; k++) grad[k] = (scores[k]! / sum - (k === label ? 1 : 0)) * w;
        // L2 shrink (exact, via the scale).
        scale *= 1 - eta * l2;
        if (scale < 1e-9) {
          for (let j = 0; j < V.length; j++) V[j]! *= scale;
          // U is defined relative to V's scale only through avgCoef; rescale consistently.
          avgCoef /= scale;
          scale = 1;
        }
        // Sparse update of V (and of U for averaging: U += avgCoef·ΔV keeps Σ s_t V_t = avgCoef·V − U).
        const step = eta / scale;
        for (let e = 0; e < x.indices.length; e++) {
          const xv = x.values[e]! * step;
          const base = x.indices[e]! * K;
          for (let k = 0; k < K; k++) {
            const g = grad[k]!;
            if (g > -1e-7 && g < 1e-7) continue;
            const dv = -g * xv;
            V[base + k]! += dv;
            if (averaging) U[base + k]! += avgCoef * dv;
          }
        }
        for (let k = 0; k < K; k++) b[k]! -= eta * grad[k]!;
        if (averaging) {
          avgCoef += scale;
          avgSteps++;
          for (let k = 0; k < K; k++) bSum[k]! += b[k]!;
        }
      }
    }

    // Final weights: averaged if averaging ran, else the last iterate.
    const W = new Float64Array(features * K);
    const bias = new Float64Array(K);
    if (avgSteps > 0) {
      for (let j = 0; j < W.length; j++) W[j] = (avgCoef * V[j]! - U[j]!) / avgSteps;
      for (let k = 0; k < K; k++) bias[k] = bSum[k]! / avgSteps;
    } else {
      for (let j = 0; j < W.length; j++) W[j] = scale * V[j]!;
      bias.set(b);
    }
    return LinearModel.quantize(W, bias, K, features, options.weightBits);
  }

  private static quantize(W: Float64Array, bias: Float64Array, K: number, D: number, bits: 8 | 16): LinearModel {
    const maxQ = bits === 8 ? 127 : 32767;
    const maxAbs = new Float64Array(K);
    for (let j = 0; j < D; j++) {
      for (let k = 0; k < K; k++) {
        const a = Math.abs(W[j * K + k]!);
        if (a > maxAbs[k]!) maxAbs[k] = a;
      }
    }
    const scales = Float64Array.from(maxAbs, (m) => (m > 0 ? m / maxQ : 1));
    const q = bits === 8 ? new Int8Array(D * K) : new Int16Array(D * K);
    for (let j = 0; j < D; j++) {
      for (let k = 0; k < K; k++) q[j * K + k] = Math.round(W[j * K + k]! / scales[k]!);
    }
    return new LinearModel(K, D, bits, q, scales, Float64Array.from(bias));
  }

  toJSON(): LinearModelJSON {
    const bytes = Buffer.from(this.q.buffer, this.q.byteOffset, this.q.byteLength);
    return {
      classes: this.classes,
      features: this.features,
      bits: this.bits,
      scales: Array.from(this.scales),
      bias: Array.from(this.bias),
      weights: bytes.toString('base64'),
    };
  }

  static fromJSON(json: LinearModelJSON): LinearModel {
    const { classes: K, features: D, bits } = json;
    if (!Number.isInteger(K) || !Number.isInteger(D) || K < 1 || D < 0 || (bits !== 8 && bits !== 16)) {
      throw new TypeError('linear model: bad shape');
    }
    if (!Array.isArray(json.scales) || json.scales.length !== K || !Array.isArray(json.bias) || json.bias.length !== K) {
      throw new TypeError('linear model: scales/bias must have one entry per class');
    }
    const bytes = Buffer.from(String(json.weights), 'base64');
    const expected = D * K * (bits / 8);
    if (bytes.length !== expected) throw new TypeError(`linear model: expected ${expected} weight bytes, got ${bytes.length}`);
    // Copy into an aligned buffer (Buffer slices may be unaligned for Int16Array).
    const copy = new Uint8Array(expected);
    copy.set(bytes);
    if (bits === 16 && !isLittleEndian()) throw new TypeError('linear model: big-endian hosts are not supported');
    const q = bits === 8 ? new Int8Array(copy.buffer) : new Int16Array(copy.buffer);
    return new LinearModel(K, D, bits, q, Float64Array.from(json.scales), Float64Array.from(json.bias));
  }
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
