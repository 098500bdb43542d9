// The TF-IDF + dense-vector baseline: it uses the dense part when that is where the signal is, and reduces to TF-IDF at scale 0.
import { describe, expect, it } from 'vitest';
import { TfidfBaseline, TfidfDenseBaseline } from '../../src/baseline';
import { rocAuc } from '../../src/metrics';

/** Texts from one shared pool of words (no signal); the dense vector's first value carries the label, with noise. */
function data(n: number, seed: number) {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const words = ['tea', 'box', 'taste', 'order', 'bag', 'price', 'dog', 'cup', 'sweet', 'salt'];
  const texts: string[] = [];
  const dense: Float32Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 2;
    texts.push(Array.from({ length: 6 }, () => words[Math.floor(rand() * words.length)]).join(' '));
    const v = Float32Array.from([(y ? 1 : -1) + (rand() - 0.5), rand() - 0.5, rand() - 0.5]);
    const norm = Math.hypot(...v);
    dense.push(v.map((x) => x / norm));
    labels.push(y);
  }
  return { texts, dense, labels };
}

const options = { minDf: 1, maxFeatures: 1000, c: 1, maxIterations: 200 };

describe('TfidfDenseBaseline', () => {
  it('ranks by the dense vector when the words carry no signal', () => {
    const train = data(200, 1);
    const test = data(100, 2);
    const auc = (scale: number) =>
      rocAuc(
        TfidfDenseBaseline.fit(train.texts, train.dense, train.labels, { ...options, denseScale: scale }).logits(
          test.texts,
          test.dense,
        ),
        test.labels,
      );
    expect(auc(1)).toBeGreaterThan(0.95);
    expect(auc(0)).toBeLessThan(0.7);
  });

  it('is the text-only TF-IDF baseline when the dense part is scaled to zero', () => {
    const train = data(120, 3);
    const test = data(40, 4);
    const dense = TfidfDenseBaseline.fit(train.texts, train.dense, train.labels, { ...options, denseScale: 0 });
    const text = TfidfBaseline.fit(train.texts, train.labels, options);
    const a = dense.logits(test.texts, test.dense);
    text.predict(test.texts).forEach((p, i) => expect(a[i]).toBeCloseTo(Math.log(p / (1 - p)), 4));
  });

  it('refuses texts, vectors and labels of different counts, and vectors of the wrong width, naming them', () => {
    const d = data(10, 5);
    expect(() => TfidfDenseBaseline.fit(d.texts, d.dense.slice(1), d.labels)).toThrow(
      '10 texts, 9 dense vectors and 10 labels',
    );
    const uneven = [...d.dense.slice(1), new Float32Array(2)];
    expect(() => TfidfDenseBaseline.fit(d.texts, uneven, d.labels)).toThrow('dense vectors must all have 3 values');
    const fitted = TfidfDenseBaseline.fit(d.texts, d.dense, d.labels);
    expect(() => fitted.logits(['tea'], [new Float32Array(4)])).toThrow('dense vector has 4 values, expected 3');
  });
});
