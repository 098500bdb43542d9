import { describe, expect, it } from 'vitest';
import { GradientBoostedClassifier, type GbdtParamsInput } from '../../src/fuse';

const stump: GbdtParamsInput = {
  maxIterations: 1,
  maxDepth: 1,
  learningRate: 1,
  l2: 0,
  minSamplesLeaf: 1,
  minCategorySamples: 1,
  categoricalL2: 0,
};

function oneTree(x: number[][], y: number[], kinds: ('numeric' | 'categorical')[], params: GbdtParamsInput = {}) {
  return GradientBoostedClassifier.train({ x, y, kinds, params: { ...stump, ...params } }).toJSON().trees[0];
}

describe('a single tree', () => {
  it('finds the one clean split on a tiny dataset and ignores the noise feature', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v, i) => [i % 3, v]);
    const y = x.map(([, v]) => (v > 6 ? 1 : 0));
    const tree = oneTree(x, y, ['numeric', 'numeric']);
    expect(tree.feature[0]).toBe(1);
    expect(tree.threshold[0]).toBe(6.5);
    // Newton leaf values: -G/H with p = 0.4 everywhere at the start.
    expect(tree.value[tree.left[0]]).toBeCloseTo(-0.4 / 0.24, 10);
    expect(tree.value[tree.right[0]]).toBeCloseTo(0.6 / 0.24, 10);
    expect(tree.count).toEqual([10, 6, 4]);
  });

  it('respects min samples per leaf', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => [v]);
    const y = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
    expect(oneTree(x, y, ['numeric']).threshold[0]).toBe(8.5);
    expect(oneTree(x, y, ['numeric'], { minSamplesLeaf: 4 }).threshold[0]).toBe(6.5);
    expect(oneTree(x, y, ['numeric'], { minSamplesLeaf: 6 }).feature).toEqual([-1]);
  });

  it('splits a categorical by a set of codes', () => {
    const codes = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4];
    const tree = oneTree(
      codes.map((c) => [c]),
      codes.map((c) => (c === 2 || c === 4 ? 1 : 0)),
      ['categorical'],
    );
    const sent = tree.categories[0]!;
    expect([
      [1, 3],
      [2, 4],
    ]).toContainEqual(sent);
  });

  it('learns where missing values go', () => {
    const x = [[1], [2], [3], [4], [Number.NaN], [Number.NaN], [5], [6]];
    const y = [0, 0, 0, 0, 1, 1, 1, 1];
    const model = GradientBoostedClassifier.train({ x, y, kinds: ['numeric'], params: { ...stump, maxDepth: 2 } });
    expect(model.predictProba([Number.NaN])).toBeCloseTo(model.predictProba([6]), 10);
    expect(model.predictProba([Number.NaN])).toBeGreaterThan(model.predictProba([1]));
  });

  it('stops at max depth and max leaves', () => {
    const x = Array.from({ length: 200 }, (_, i) => [i]);
    const y = x.map(([v]) => ((v * 37) % 11 > 5 ? 1 : 0));
    const depthOf = (t: { left: number[]; right: number[] }) => {
      const depth = [0];
      t.left.forEach((l, i) => {
        if (l >= 0) depth[l] = depth[t.right[i]] = depth[i] + 1;
      });
      return Math.max(...depth);
    };
    const deep = oneTree(x, y, ['numeric'], { maxDepth: 3, maxLeaves: 100 });
    expect(depthOf(deep)).toBe(3);
    expect(deep.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(8);
    const wide = oneTree(x, y, ['numeric'], { maxDepth: 10, maxLeaves: 5 });
    expect(wide.feature.filter((f) => f < 0)).toHaveLength(5);
  });
});
