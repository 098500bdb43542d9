import { describe, expect, it } from 'vitest';
import { parseFeatureSchema } from '../../src/fuse';
import { LateFusion, lateTextInputs, outOfFoldLogits, tabularLogit } from '../../src/fuse/late-fusion';
import { LogisticStacker } from '../../src/fuse/logistic-stacker';
import { TabularModel } from '../../src/fuse/tabular-model';
import { rocAuc } from '../../src/metrics';
import { rng, stratifiedFolds } from '../../src/sampling';

// Labels are coin flips and the one feature is a unique random number per row: trees fitted without early stopping
// memorise it, so in-sample log-odds look predictive while held-out ones are noise.
const schema = parseFeatureSchema({ features: [{ name: 'serial', type: 'numeric', missing: 'median' }] });
const r = rng(21);
const rows = Array.from({ length: 600 }, () => ({ serial: r() }));
const labels = rows.map(() => (r() < 0.4 ? 1 : 0));
const overfit = { params: { minSamplesLeaf: 1, maxIterations: 60, learningRate: 0.3 }, validFraction: 0 };
const options = { rows, schema, labels, seed: 4, ...overfit };

describe('outOfFoldLogits', () => {
  const oof = outOfFoldLogits(options);
  const inSample = TabularModel.train({ rows, labelOf: (_row, i) => labels[i], schema, seed: 4, ...overfit });

  it('scores each row with the model fitted on the other four folds', () => {
    const folds = stratifiedFolds(labels, 5, 4);
    expect(folds.flat().sort((a, b) => a - b)).toEqual([...rows.keys()]);
    const held = folds[2];
    const fit = [...rows.keys()].filter((i) => !held.includes(i));
    const model = TabularModel.train({
      rows: fit.map((i) => rows[i]),
      labelOf: (_row, j) => labels[fit[j]],
      schema,
      seed: 4,
      ...overfit,
    });
    for (const i of held) expect(oof[i]).toBe(tabularLogit(model.predict(rows[i])));
  });

  it('is noise where in-sample log-odds of the same trees look like signal', () => {
    expect(
      rocAuc(
        rows.map((row) => tabularLogit(inSample.predict(row))),
        labels,
      ),
    ).toBeGreaterThan(0.8);
    expect(Math.abs(rocAuc([...oof], labels) - 0.5)).toBeLessThan(0.08);
  });

  it('keeps the stacker from trusting an over-fitted tabular model', () => {
    const late = LateFusion.fit({ ...options, textAggregates: rows.map(() => null) });
    const naive = LogisticStacker.fit({
      names: ['tabular_logit'],
      x: rows.map((row) => [tabularLogit(inSample.predict(row))]),
      y: labels,
    });
    expect(naive.weights[0]).toBeGreaterThan(0.3);
    expect(Math.abs(late.stacker.weightOf('tabular_logit'))).toBeLessThan(0.1);
  });

  it('refuses fewer than two folds', () => {
    expect(() => outOfFoldLogits({ ...options, folds: 1 })).toThrow(/folds/);
  });
});

describe('lateTextInputs', () => {
  it('is logit(mean), logit(max), log1p(count) and 0 for a writer; zeros and the indicator for a silent customer', () => {
    const [mean, max, count, missing] = lateTextInputs({ latest: 0.5, recencyWeightedMean: 0.2, max: 0.9, count: 3 });
    expect(mean).toBeCloseTo(Math.log(0.2 / 0.8), 12);
    expect(max).toBeCloseTo(Math.log(0.9 / 0.1), 12);
    expect(count).toBeCloseTo(Math.log(4), 12);
    expect(missing).toBe(0);
    expect(lateTextInputs(null)).toEqual([0, 0, 0, 1]);
    expect(lateTextInputs({ latest: 0, recencyWeightedMean: 0, max: 0, count: 0 })).toEqual([0, 0, 0, 1]);
  });

  it('clips certain risks so one text cannot carry unbounded log-odds', () => {
    const [mean, max] = lateTextInputs({ latest: 1, recencyWeightedMean: 0, max: 1, count: 1 });
    expect(mean).toBeCloseTo(Math.log(0.001 / 0.999), 12);
    expect(max).toBeCloseTo(-mean, 12);
  });
});

describe('LateFusion.fit', () => {
  it('names the out-of-fold fit that fails when a class is too small to reach every fold', () => {
    const labelsOfOne = rows.map((_, i) => (i === 0 ? 1 : 0));
    expect(() => LateFusion.fit({ ...options, labels: labelsOfOne, textAggregates: rows.map(() => null) })).toThrow(
      /out-of-fold tabular model \d of 5: .*both classes/,
    );
  });
});
