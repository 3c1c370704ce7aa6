/** Small seeded PRNG (mulberry32) so that training and data splits are reproducible. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** In-place Fisher–Yates shuffle driven by `rng`. */
export function shuffleInPlace<T>(items: T[] | Int32Array, rng: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
}

/**
 * Deterministic stratified split: about `fraction` of each label goes to `test`.
 * Labels with a single example stay in `train`.
 */
export function stratifiedSplit<T>(items: readonly T[], labelOf: (item: T) => string, fraction: number, seed: number): { train: T[]; test: T[] } {
  const byLabel = new Map<string, number[]>();
  items.forEach((item, i) => {
    const label = labelOf(item);
    const list = byLabel.get(label);
    if (list) list.push(i);
    else byLabel.set(label, [i]);
  });
  const rng = createRng(seed);
  const testIdx = new Set<number>();
  for (const idx of byLabel.values()) {
    if (idx.length < 2) continue;
    shuffleInPlace(idx, rng);
    const k = Math.min(idx.length - 1, Math.max(1, Math.round(idx.length * fraction)));
    for (let i = 0; i < k; i++) testIdx.add(idx[i]!);
  }
  const train: T[] = [];
  const test: T[] = [];
  for (const [i, item] of items.entries()) (testIdx.has(i) ? test : train).push(item);
  return { train, test };
}

/** FNV-1a 32-bit hash of the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}

/**
 * Deterministic split by content: an item is in `test` when
 * fnv1a32(`${seed}:${key}`) % 100 < testPercent. Identical texts always land
 * on the same side (no train/test leakage through duplicates), and the split
 * is reproducible from other languages (bench/baselines/sklearn_baseline.py).
 */
export function hashSplit<T>(items: readonly T[], keyOf: (item: T) => string, testPercent: number, seed: number): { train: T[]; test: T[] } {
  const train: T[] = [];
  const test: T[] = [];
  for (const item of items) (fnv1a32(`${seed}:${keyOf(item)}`) % 100 < testPercent ? test : train).push(item);
  return { train, test };
}
