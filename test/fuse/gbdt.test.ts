import { describe, expect, it } from 'vitest';
import { ModelLoadError, ValidationError } from '../../src/errors';
import { GradientBoostedClassifier } from '../../src/fuse';
import { rocAuc } from '../../src/metrics';
import { rng } from '../../src/sampling/splits';

const kinds = ['numeric', 'numeric', 'numeric', 'categorical'] as const;

/** Risk rises with x0, falls with x1, x2 is noise, category 3 is risky; some x0 are missing. */
function synthetic(n: number, seed: number): { x: number[][]; y: number[] } {
  const r = rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [r() * 10, r() * 10, r(), 1 + Math.floor(r() * 4)];
    const logit = 0.8 * (row[0] - 5) - 0.5 * (row[1] - 5) + (row[3] === 3 ? 1.5 : 0);
    if (r() < 0.05) row[0] = Number.NaN;
    x.push(row);
    y.push(r() < 1 / (1 + Math.exp(-logit)) ? 1 : 0);
  }
  return { x, y };
}

const train = synthetic(2000, 1);
const valid = synthetic(500, 2);

describe('GradientBoostedClassifier', () => {
  it('picks the split an exhaustive search over all thresholds picks', () => {
    const data = synthetic(300, 3);
    const x = data.x.map((row) => [Number.isNaN(row[0]) ? 5 : row[0], row[1], row[2]]);
    const y = data.y;
    const stump = GradientBoostedClassifier.train({
      x,
      y,
      kinds: ['numeric', 'numeric', 'numeric'],
      params: { maxIterations: 1, maxDepth: 1, l2: 1, minSamplesLeaf: 5 },
    });
    const tree = stump.toJSON().trees[0];
    const p = y.reduce((a, b) => a + b) / y.length;
    const score = (rows: number[]) => {
      const g = rows.reduce((s, i) => s + p - y[i], 0);
      return (g * g) / (rows.length * p * (1 - p) + 1);
    };
    let best = { gain: -Infinity, feature: -1, threshold: 0 };
    for (let f = 0; f < 3; f++) {
      for (const t of new Set(x.map((row) => row[f]))) {
        const left = x.flatMap((row, i) => (row[f] <= t ? [i] : []));
        const right = x.flatMap((row, i) => (row[f] > t ? [i] : []));
        if (left.length < 5 || right.length < 5) continue;
        const gain = score(left) + score(right);
        if (gain > best.gain) best = { gain, feature: f, threshold: t };
      }
    }
    // Bin cuts sit at midpoints, so compare the partition, not the number.
    expect(tree.feature[0]).toBe(best.feature);
    const sorted = [...new Set(x.map((row) => row[best.feature]))].sort((a, b) => a - b);
    const next = sorted[sorted.indexOf(best.threshold) + 1];
    expect(tree.threshold[0]).toBeGreaterThanOrEqual(best.threshold);
    expect(tree.threshold[0]).toBeLessThan(next);
  });

  it('decreases the training loss at every iteration', () => {
    const model = GradientBoostedClassifier.train({ ...train, kinds, params: { maxIterations: 60, seed: 1 } });
    const loss = model.history!.trainLoss;
    expect(loss).toHaveLength(60);
    for (let i = 1; i < loss.length; i++) expect(loss[i]).toBeLessThan(loss[i - 1]);
  });

  it('learns the signal and stops early on a validation set', () => {
    const model = GradientBoostedClassifier.train({
      ...train,
      kinds,
      validation: valid,
      params: { maxIterations: 500, earlyStoppingPatience: 5 },
    });
    const h = model.history!;
    expect(h.validLoss.length).toBeLessThan(500);
    expect(h.validLoss.length - h.bestIteration).toBe(5);
    expect(model.nTrees).toBe(h.bestIteration);
    expect(
      rocAuc(
        valid.x.map((r) => model.predictProba(r)),
        valid.y,
      ),
    ).toBeGreaterThan(0.85);
  });

  it('subsamples rows reproducibly from the seed', () => {
    const fit = (seed: number) =>
      JSON.stringify(
        GradientBoostedClassifier.train({ ...train, kinds, params: { maxIterations: 5, subsample: 0.5, seed } }),
      );
    expect(fit(4)).toBe(fit(4));
    expect(fit(4)).not.toBe(fit(5));
  });

  it('attributes the raw score to features exactly along the path', () => {
    const model = GradientBoostedClassifier.train({ ...train, kinds, params: { maxIterations: 30 } });
    for (const row of valid.x.slice(0, 20)) {
      const { bias, values } = model.contributions(row);
      expect(bias + values.reduce((a, b) => a + b)).toBeCloseTo(model.predictRaw(row), 9);
    }
    // A clearly low-risk row owes its low score mostly to x0 and x1, not the noise feature.
    const { values } = model.contributions([1, 9, 0.5, 1]);
    expect(values[0]).toBeLessThan(0);
    expect(values[1]).toBeLessThan(0);
    expect(Math.abs(values[2])).toBeLessThan(Math.abs(values[0]));
  });

  it('round-trips through JSON with identical predictions', () => {
    const model = GradientBoostedClassifier.train({ ...train, kinds, params: { maxIterations: 20 } });
    const copy = GradientBoostedClassifier.fromJSON(JSON.parse(JSON.stringify(model)));
    expect(copy.nTrees).toBe(20);
    for (const row of [...valid.x, [Number.NaN, Number.NaN, Number.NaN, 99]]) {
      expect(copy.predictRaw(row)).toBe(model.predictRaw(row));
      expect(Array.from(copy.contributions(row).values)).toEqual(Array.from(model.contributions(row).values));
    }
  });

  it('rejects malformed model JSON and bad options', () => {
    const json = GradientBoostedClassifier.train({ ...train, kinds, params: { maxIterations: 2 } }).toJSON();
    expect(() => GradientBoostedClassifier.fromJSON({ ...json, format: 'xgboost' })).toThrow(ModelLoadError);
    const looped = structuredClone(json);
    looped.trees[0].left[0] = 0;
    expect(() => GradientBoostedClassifier.fromJSON(looped)).toThrow(/invalid children/);
    expect(() => GradientBoostedClassifier.fromJSON({ ...json, kinds: ['numeric'] })).toThrow(/beyond the model/);
    expect(() => GradientBoostedClassifier.train({ ...train, kinds, params: { maxBins: 1000 } })).toThrow(
      ValidationError,
    );
    expect(() => GradientBoostedClassifier.train({ x: [[1]], y: [2], kinds: ['numeric'] })).toThrow(
      /label must be 0 or 1/,
    );
    const model = GradientBoostedClassifier.fromJSON(json);
    expect(() => model.predictRaw([1, 2])).toThrow(ValidationError);
  });
});
