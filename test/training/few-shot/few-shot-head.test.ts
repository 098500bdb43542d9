// The few-shot head: the zero-shot direction is the prototypes' cosine difference, blended with a labels-only fit.
import { describe, expect, it } from 'vitest';
import { fitLogistic } from '../../../src/baseline/sparse-logistic-regression';
import { rocAuc } from '../../../src/metrics';
import { rng } from '../../../src/sampling/splits';
import { fitLabelsOnly } from '../../../training/few-shot/cross-fit';
import { fitFewShotHead, labelWeight, priorDirection, type FewShotFit } from '../../../training/few-shot/few-shot-head';

const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

/** Unit embeddings in `dim` dims whose class shows along axis `signal`, plus noise. */
function synthetic(n: number, seed: number, signal = 0, dim = 8, strength = 0.6) {
  const r = rng(seed);
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const rows = labels.map((y) =>
    unit(Array.from({ length: dim }, (_, d) => (d === signal ? (y ? strength : -strength) : 0) + (r() - 0.5) * 2)),
  );
  return { dim, labels, embeddings: Float32Array.from(rows.flat()) };
}

const axis = (dim: number, d0: number) => Float64Array.from({ length: dim }, (_, d) => (d === d0 ? 1 : 0));
const logits = (f: FewShotFit, rows: readonly number[]) => {
  const h = fitFewShotHead(f);
  return rows.map((i) =>
    Array.from(h.embeddingWeight.data).reduce((s, w, d) => s + w * f.embeddings[i * f.dim + d], h.bias),
  );
};
const aucOn = (f: FewShotFit, rows: readonly number[]) =>
  rocAuc(
    logits(f, rows),
    rows.map((i) => f.labels[i]),
  );

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

  it('the head weight lies in the plane of the prior direction and the labels-only weight, leaning on both', () => {
    const data = synthetic(60, 1);
    const direction = axis(data.dim, 3);
    const f = { ...data, train: data.labels.map((_, i) => i), direction };
    const w = Array.from(fitFewShotHead(f).embeddingWeight.data);
    const l = Array.from(fitLabelsOnly(f));
    // Solve w ≈ a·u + b·l by least squares (u is axis 3, so a = w₃ − b·l₃) and check that nothing is left over.
    const others = (v: number[]) => v.filter((_, d) => d !== 3);
    const b = others(w).reduce((s, x, k) => s + x * others(l)[k], 0) / others(l).reduce((s, x) => s + x * x, 0);
    const a = w[3] - b * l[3];
    w.forEach((x, d) => expect(x).toBeCloseTo(a * direction[d] + b * l[d], 4));
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
  });

  it('the labels weigh more as they grow: with a useless prior, 400 labels still find the signal, 4 cannot', () => {
    const data = synthetic(1200, 2);
    const direction = axis(data.dim, 5);
    const test = data.labels.map((_, i) => i).slice(800);
    const few = aucOn({ ...data, train: [0, 1, 2, 3], direction }, test);
    const many = aucOn({ ...data, train: data.labels.map((_, i) => i).slice(0, 400), direction }, test);
    expect(labelWeight(400)).toBeGreaterThan(labelWeight(16));
    expect(many).toBeGreaterThan(0.8);
    expect(many).toBeGreaterThan(few + 0.2);
  });

  it('with 4 labels, a good prior direction beats a wrong one', () => {
    const data = synthetic(400, 3);
    const train = [0, 1, 2, 3];
    const test = data.labels.map((_, i) => i).slice(4);
    const good = aucOn({ ...data, train, direction: axis(data.dim, 0) }, test);
    expect(good).toBeGreaterThan(aucOn({ ...data, train, direction: axis(data.dim, 5) }, test) + 0.05);
  });

  it('the logit is scaled on the training rows: balanced labels centre near 0, positives above negatives', () => {
    const data = synthetic(200, 4);
    const f = { ...data, train: data.labels.map((_, i) => i), direction: axis(data.dim, 0) };
    const z = logits(f, f.train);
    const meanOf = (y: number) => {
      const rows = z.filter((_, i) => data.labels[i] === y);
      return rows.reduce((s, v) => s + v, 0) / rows.length;
    };
    expect(Math.abs((meanOf(0) + meanOf(1)) / 2)).toBeLessThan(0.5);
    expect(meanOf(1) - meanOf(0)).toBeGreaterThan(1);
  });

  it('labels that contradict the prior are followed, not the prior: flipped labels still rank well', () => {
    const data = synthetic(600, 5);
    const labels = data.labels.map((y) => 1 - y);
    const train = data.labels.map((_, i) => i).slice(0, 200);
    const test = data.labels.map((_, i) => i).slice(200);
    // The prior points at the unflipped class, so a blend that trusts it would rank these labels upside down.
    expect(aucOn({ ...data, labels, train, direction: axis(data.dim, 0) }, test)).toBeGreaterThan(0.85);
  });

  it('the logit scale comes from rows each fit did not see: on new rows it is not overconfident', () => {
    // 256 labels in 128 dims, a weak signal: the labels-only fit separates its own rows, so an in-sample scale fit is
    // far too steep (a Platt slope of 0.15 on new rows when this was written with one).
    const data = synthetic(2256, 6, 0, 128, 0.3);
    const direction = Float64Array.from({ length: 128 }, (_, d) => (d < 2 ? 1 : 0));
    const f = { ...data, train: data.labels.map((_, i) => i).slice(0, 256), direction };
    const test = data.labels.map((_, i) => i).slice(256);
    const z = logits(f, test);
    const one = Int32Array.of(0);
    const platt = fitLogistic(
      z.map((v) => ({ indices: one, values: Float32Array.of(v) })),
      test.map((i) => data.labels[i]),
      1,
      { c: 1e6, maxIterations: 200, balanced: true },
    );
    expect(platt.weights[0]).toBeGreaterThan(0.6);
    expect(platt.weights[0]).toBeLessThan(1.6);
  });
});
