import { isChatdeskError } from '../../../src/domain/errors';
import { OfflineTextClassifier } from '../../../src/ai/offline/text-classifier';
import { featureOccurrences, words } from '../../../src/ai/offline/tokenize';
import type { LabeledExample } from '../../../src/ai/classifier.port';

const ex = (label: string, texts: string[]): LabeledExample[] => texts.map((text) => ({ text, label }));

const SMALL: LabeledExample[] = [
  ...ex('billing', [
    'I was charged twice for my subscription',
    'my invoice shows the wrong amount',
    'please refund the duplicate payment',
    'credit card was billed after I cancelled',
    'why is there an extra fee on my bill',
    'need a copy of last month invoice',
    'payment failed but money left my account',
    'update the billing address on invoices',
  ]),
  ...ex('shipping', [
    'my package has not arrived yet',
    'where is my order, tracking shows nothing',
    'the parcel was delivered to the wrong address',
    'delivery is late by two weeks',
    'courier lost my shipment',
    'can I change the delivery date',
    'tracking number does not work',
    'order stuck in transit',
  ]),
  ...ex('login', [
    'I cannot log in to my account',
    'password reset email never arrives',
    'my account is locked after failed attempts',
    'two factor code is rejected',
    'forgot my username',
    'login page shows an error',
    'how do I change my password',
    'sign in keeps failing',
  ]),
];

describe('OfflineTextClassifier', () => {
  const model = OfflineTextClassifier.train(SMALL, { seed: 1 });

  it('learns a small taxonomy and generalises to phrasing it has not seen', () => {
    expect(model.labels).toEqual(['billing', 'login', 'shipping']);
    expect(model.predict('you charged my card two times, I want a refund').label).toBe('billing');
    expect(model.predict('the delivery of my parcel is very late').label).toBe('shipping');
    expect(model.predict('cannot sign into my account, password does not work').label).toBe('login');
    // typo robustness through character n-grams
    expect(model.predict('forgott my pasword').label).toBe('login');
  });

  it('returns a probability-like confidence and a ranking, best first', () => {
    const p = model.predict('refund my duplicate payment');
    expect(p.confidence).toBeGreaterThan(0.5);
    expect(p.confidence).toBeLessThanOrEqual(1);
    expect(p.ranking[0]).toEqual({ label: p.label, score: p.confidence });
    const total = p.ranking.reduce((s, r) => s + r.score, 0);
    expect(total).toBeCloseTo(1, 6);
    expect(p.ranking.map((r) => r.score)).toEqual([...p.ranking.map((r) => r.score)].sort((a, b) => b - a));
  });

  it('is less confident on text with no known words than on in-domain text', () => {
    const nonsense = model.predict('zxqv blorft quux');
    expect(nonsense.confidence).toBeLessThan(0.6);
    expect(model.predict('my package has not arrived').confidence).toBeGreaterThan(nonsense.confidence);
  });

  it('trains deterministically for the same seed and data', () => {
    const again = OfflineTextClassifier.train(SMALL, { seed: 1 });
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(model.toJSON()));
  });

  it('round-trips through JSON with identical predictions', () => {
    const restored = OfflineTextClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    const restoredFromString = OfflineTextClassifier.fromJSON(JSON.stringify(model));
    for (const text of ['refund please', 'parcel missing', 'locked out', '完全不相关的文字', '']) {
      expect(restored.predict(text)).toEqual(model.predict(text));
      expect(restoredFromString.predict(text)).toEqual(model.predict(text));
    }
  });

  it('rejects corrupt or foreign model JSON with a coded error', () => {
    const good = model.toJSON();
    const cases: unknown[] = ['not json', { format: 'other' }, { ...good, version: 99 }, { ...good, model: { ...good.model, weights: 'AAAA' } }];
    for (const c of cases) {
      let err: unknown;
      try {
        OfflineTextClassifier.fromJSON(c);
      } catch (e) {
        err = e;
      }
      expect(isChatdeskError(err, 'chatdesk_classifier_input_invalid')).toBe(true);
    }
  });

  it('refuses to train without examples or with a single label', () => {
    expect(() => OfflineTextClassifier.train([])).toThrow(expect.objectContaining({ code: 'chatdesk_classifier_input_invalid' }));
    expect(() => OfflineTextClassifier.train(ex('a', ['x', 'y']))).toThrow(/at least 2 labels/);
    expect(() => model.predict(undefined as unknown as string)).toThrow(expect.objectContaining({ code: 'chatdesk_classifier_input_invalid' }));
  });

  it('explains a prediction with words from the input', () => {
    const terms = model.explain('I was charged twice, refund please', 'billing').map((t) => t.term);
    expect(terms.length).toBeGreaterThan(0);
    expect(terms.some((t) => ['charged', 'refund', 'twice', 'charged twice'].includes(t))).toBe(true);
  });
});

describe('tokenize', () => {
  it('lower-cases, normalises full-width characters and splits CJK into characters', () => {
    expect(words("ＶＰＮ 连不上, Can't connect!")).toEqual(['vpn', '连', '不', '上', 'cant', 'connect']);
  });

  it('produces CJK bigrams and word bigrams but no bigram across scripts', () => {
    const keys = featureOccurrences('打印机 jam now').map((f) => f.key);
    expect(keys).toEqual(expect.arrayContaining(['w 打', 'b 打印', 'b 印机', 'w jam', 'b jam now', 'c <ja']));
    expect(keys).not.toContain('b 机 jam');
    expect(keys.some((k) => k.startsWith('b ') && k.includes('机 '))).toBe(false);
  });

  it('only yields terms made of letters, digits and spaces (safe to echo back)', () => {
    const terms = featureOccurrences('<script>alert("x")</script> *bold* [link](http://e.vil) `code`').map((f) => f.term);
    for (const t of terms) expect(t).toMatch(/^[\p{L}\p{M}\p{N} ]+$/u);
  });
});
