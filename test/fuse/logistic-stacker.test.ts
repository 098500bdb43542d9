import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { LogisticStacker, logisticStackerJsonSchema } from '../../src/fuse/logistic-stacker';
import { rng } from '../../src/sampling';

/** Rows drawn from a known logistic model: x ~ N(0, 1) per column (one 0/1 column), y ~ Bernoulli(σ(b + w·x)). */
function synthetic(n: number, intercept: number, weights: number[], seed: number): { x: number[][]; y: number[] } {
  const r = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = weights.map((_, j) => (j === weights.length - 1 ? (r() < 0.3 ? 1 : 0) : normal()));
    const z = row.reduce((s, v, j) => s + v * weights[j], intercept);
    x.push(row);
    y.push(r() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return { x, y };
}

const names = ['a', 'b', 'c', 'flag'];
const truth = { intercept: -1, weights: [1.5, -0.8, 0.3, 1] };
const data = synthetic(40_000, truth.intercept, truth.weights, 11);

/** Gradient of the penalised objective: Σ (p - y)·[1, x] + l2·[0, w]; zero at the optimum. */
function gradient(s: LogisticStacker, x: number[][], y: number[], l2: number): number[] {
  const g = [0, ...s.weights.map((w) => l2 * w)];
  x.forEach((row, i) => {
    const e = s.predict(row) - y[i];
    g[0] += e;
    row.forEach((v, j) => (g[j + 1] += e * v));
  });
  return g;
}

describe('LogisticStacker.fit (Newton / IRLS)', () => {
  it('recovers the weights of the model that generated the data', () => {
    const s = LogisticStacker.fit({ names, ...data, l2: 1e-6 });
    expect(s.intercept).toBeCloseTo(truth.intercept, 1);
    s.weights.forEach((w, j) => expect(Math.abs(w - truth.weights[j])).toBeLessThan(0.06));
    expect(s.weightOf('b')).toBe(s.weights[1]);
  });

  it('stops at the optimum of the penalised log loss: its gradient vanishes', () => {
    for (const l2 of [1e-6, 1, 500]) {
      const s = LogisticStacker.fit({ names, ...data, l2 });
      for (const g of gradient(s, data.x, data.y, l2)) expect(Math.abs(g)).toBeLessThan(1e-6 * data.y.length);
    }
  });

  it('shrinks the weights but not the intercept, which tends to the base rate under a huge penalty', () => {
    const norm = (s: LogisticStacker) => Math.hypot(...s.weights);
    const [free, mild, heavy] = [1e-6, 1000, 1e9].map((l2) => LogisticStacker.fit({ names, ...data, l2 }));
    expect(norm(mild)).toBeLessThan(norm(free));
    expect(norm(heavy)).toBeLessThan(1e-4);
    const rate = data.y.reduce((a, b) => a + b, 0) / data.y.length;
    expect(heavy.intercept).toBeCloseTo(Math.log(rate / (1 - rate)), 3);
  });

  it('stays finite on separable data, where an unpenalised fit would run off to infinity', () => {
    const s = LogisticStacker.fit({ names: ['v'], x: [[-2], [-1], [1], [2]], y: [0, 0, 1, 1], l2: 0.1 });
    expect(Number.isFinite(s.weights[0]) && s.weights[0] > 1).toBe(true);
    expect(s.predict([2])).toBeGreaterThan(0.9);
  });

  it('splits the weight of a repeated input by the ridge rule (v = 2u gets twice the weight), and refuses bad inputs', () => {
    const x = data.x.map((r) => [r[0], 2 * r[0]]);
    const s = LogisticStacker.fit({ names: ['u', 'v'], x, y: data.y, l2: 1 });
    expect(s.weights[1]).toBeCloseTo(2 * s.weights[0], 8);
    expect(s.weights[0] + 2 * s.weights[1]).toBeCloseTo(truth.weights[0], 0);
    expect(() => LogisticStacker.fit({ names: ['v'], x: [[1]], y: [1], l2: 0 })).toThrow(/l2 must be a positive/);
    expect(() => LogisticStacker.fit({ names, x: [[1, 2]], y: [1] })).toThrow(ValidationError);
    expect(() => LogisticStacker.fit({ names: ['v'], x: [[1]], y: [2] })).toThrow(/0 or 1/);
    expect(() => LogisticStacker.fit({ names: ['v'], x: [[Number.NaN]], y: [1] })).toThrow(/not finite/);
  });

  it('round-trips through validated JSON', () => {
    const s = LogisticStacker.fit({ names, ...data, l2: 1 });
    const json = logisticStackerJsonSchema.parse(JSON.parse(JSON.stringify(s)));
    const copy = LogisticStacker.fromJSON(json);
    expect(copy.predict([0.3, -1, 2, 1])).toBe(s.predict([0.3, -1, 2, 1]));
    expect(logisticStackerJsonSchema.safeParse({ ...json, weights: [1] }).success).toBe(false);
  });
});
