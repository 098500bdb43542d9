// The few-shot head: the zero-shot direction is the prototypes' cosine difference, and folding it in changes no logit.
import { describe, expect, it } from 'vitest';
import { fitLogistic, logit } from '../../../src/baseline/sparse-logistic-regression';
import { rocAuc } from '../../../src/metrics';
import { rng } from '../../../src/sampling/splits';
import { FEW_SHOT_C, PRIOR_SCALE, fitFewShotHead, priorDirection } from '../../../training/few-shot/few-shot-head';

const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

/** Unit embeddings in 8 dims whose class shows along axis 0, plus noise; the prompts sit on ±axis 0. */
function synthetic(n: number, seed: number) {
  const r = rng(seed);
  const dim = 8;
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const rows = labels.map((y) =>
    unit(Array.from({ length: dim }, (_, d) => (d === 0 ? (y ? 0.6 : -0.6) : 0) + (r() - 0.5) * 2)),
  );
  return { dim, labels, embeddings: Float32Array.from(rows.flat()) };
}

describe('few-shot head', () => {
  it('priorDirection: e·u is cos(e, mean positive prompt) − cos(e, mean negative prompt)', () => {
    const dim = 3;
    const prompts = Float32Array.from([1, 1, 0, 3, 1, 0, 0, 0, 2]);
    const u = priorDirection(prompts, dim, 2);
    const e = unit([0.2, 0.5, 0.8]);
    const cos = (a: number[], b: number[]) =>
      a.reduce((s, x, i) => s + x * b[i], 0) / Math.hypot(...a) / Math.hypot(...b);
    expect(e.reduce((s, x, i) => s + x * u[i], 0)).toBeCloseTo(cos(e, [4, 2, 0]) - cos(e, [0, 0, 2]), 6);
    expect(() => priorDirection(prompts, dim, 3)).toThrow(/both classes/);
  });

  it('folds the prior weight into the embedding weight: the same logits as the fit on [e, scale·e·u]', () => {
    const { dim, labels, embeddings } = synthetic(40, 1);
    const direction = Float64Array.from({ length: dim }, (_, d) => (d === 0 ? 1 : d === 3 ? 0.3 : 0));
    const train = labels.map((_, i) => i).slice(0, 30);
    const head = fitFewShotHead({ embeddings, dim, labels, train, direction });
    const row = (i: number) => {
      const values = Float32Array.from({ length: dim + 1 }, (_, d) =>
        d < dim
          ? embeddings[i * dim + d]
          : PRIOR_SCALE * direction.reduce((s, u, k) => s + u * embeddings[i * dim + k], 0),
      );
      return { indices: Int32Array.from({ length: dim + 1 }, (_, j) => j), values };
    };
    const augmented = fitLogistic(
      train.map(row),
      train.map((i) => labels[i]),
      dim + 1,
      {
        c: FEW_SHOT_C,
        maxIterations: 500,
        balanced: true,
      },
    );
    for (let i = 30; i < 40; i++) {
      const folded =
        head.bias + Array.from(head.embeddingWeight.data).reduce((s, w, d) => s + w * embeddings[i * dim + d], 0);
      expect(folded).toBeCloseTo(logit(augmented, row(i)), 4);
    }
  });

  it('with 4 labels, a good prior direction beats the same fit without one (and a wrong one does worse)', () => {
    const { dim, labels, embeddings } = synthetic(400, 2);
    const train = [0, 1, 2, 3];
    const test = labels.map((_, i) => i).slice(4);
    const auc = (direction: Float64Array) => {
      const h = fitFewShotHead({ embeddings, dim, labels, train, direction });
      const scores = test.map((i) =>
        Array.from(h.embeddingWeight.data).reduce((s, w, d) => s + w * embeddings[i * dim + d], h.bias),
      );
      return rocAuc(
        scores,
        test.map((i) => labels[i]),
      );
    };
    const axis = (d0: number) => Float64Array.from({ length: dim }, (_, d) => (d === d0 ? 1 : 0));
    const good = auc(axis(0));
    expect(good).toBeGreaterThan(auc(new Float64Array(dim)) + 0.05);
    expect(good).toBeGreaterThan(auc(axis(5)));
  });
});
