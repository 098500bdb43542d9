// The TF-IDF + LR baseline on real reviews: it reaches the optimum of its objective, ranks well, and survives its file.
import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithBaseline, describeComparison, TfidfBaseline } from '../../src/baseline';
import { rocAuc } from '../../src/metrics';
import { loadReviews } from '../helpers/reviews';

let train: { text: string; label: number }[];
let test: { text: string; label: number }[];

beforeAll(async () => {
  const rows = (await loadReviews())
    .slice(0, 1200)
    .map((r) => ({ text: r.review, label: r.score === 'other' ? 1 : 0 }));
  train = rows.slice(0, 900);
  test = rows.slice(900);
});

describe('TfidfBaseline', () => {
  it('ranks held-out real reviews far better than chance', () => {
    const m = TfidfBaseline.fit(
      train.map((r) => r.text),
      train.map((r) => r.label),
    );
    const auc = rocAuc(
      m.predict(test.map((r) => r.text)),
      test.map((r) => r.label),
    );
    expect(auc).toBeGreaterThan(0.75);
  });

  it('converges: more iterations do not change the fitted probabilities', () => {
    const texts = train.map((r) => r.text);
    const labels = train.map((r) => r.label);
    const base = { minDf: 2, maxFeatures: 50_000, c: 1 };
    const a = TfidfBaseline.fit(texts, labels, { ...base, maxIterations: 200 }).predict(test.map((r) => r.text));
    const b = TfidfBaseline.fit(texts, labels, { ...base, maxIterations: 600 }).predict(test.map((r) => r.text));
    a.forEach((p, i) => expect(Math.abs(p - b[i])).toBeLessThan(1e-3));
  });

  it('scores the same after a round trip through its file', () => {
    const m = TfidfBaseline.fit(
      train.map((r) => r.text),
      train.map((r) => r.label),
    );
    const again = TfidfBaseline.fromFile(JSON.parse(JSON.stringify(m.toFile())));
    const texts = test.slice(0, 50).map((r) => r.text);
    const p = m.predict(texts);
    again.predict(texts).forEach((q, i) => expect(q).toBeCloseTo(p[i], 5));
  });
});

describe('compareWithBaseline', () => {
  const labels = [0, 0, 1, 1];
  it('says when the model beats its baseline and when it does not', () => {
    const win = compareWithBaseline([0.1, 0.2, 0.8, 0.9], [0.1, 0.9, 0.2, 0.8], labels);
    expect(win.modelBeatsBaseline).toBe(true);
    expect(win.rocAucMargin).toBeCloseTo(1 - 0.5, 12);
    const loss = compareWithBaseline([0.1, 0.9, 0.2, 0.8], [0.1, 0.2, 0.8, 0.9], labels);
    expect(loss.modelBeatsBaseline).toBe(false);
    expect(describeComparison(loss)).toMatch(/does NOT beat its baseline/);
  });
});
