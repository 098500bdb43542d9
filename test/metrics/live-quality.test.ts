// Live quality summaries: per model and source, with a seeded bootstrap interval of ROC-AUC.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { bootstrapRocAuc, qualityByModel, qualitySummary, rocAuc, type LabelledPoint } from '../../src/metrics';

const point = (risk: number, label: 0 | 1, modelVersion = 'v1', source = 'review'): LabelledPoint => ({
  risk,
  label,
  modelVersion,
  source,
});

describe('bootstrapRocAuc', () => {
  // Calibrated but noisy: each label is drawn with its score as the probability (ROC-AUC near 0.8, not 1).
  const rnd = seedrandom('points');
  const scores = Array.from({ length: 200 }, () => rnd());
  const labels = scores.map((s) => (rnd() < s ? 1 : 0));

  it('is reproducible for a seed, differs for another, and brackets the point estimate', () => {
    const a = bootstrapRocAuc(scores, labels, { seed: 's1' })!;
    expect(bootstrapRocAuc(scores, labels, { seed: 's1' })).toEqual(a);
    expect(bootstrapRocAuc(scores, labels, { seed: 's2' })).not.toEqual(a);
    const auc = rocAuc(scores, labels);
    expect(a.lo).toBeLessThan(auc);
    expect(a.hi).toBeGreaterThan(auc);
    expect(a.resamples).toBe(500);
  });

  it('narrows as labels grow (four times the points, about half the width)', () => {
    const wide = bootstrapRocAuc(scores.slice(0, 50), labels.slice(0, 50))!;
    const narrow = bootstrapRocAuc(scores, labels)!;
    expect(narrow.hi - narrow.lo).toBeLessThan(0.75 * (wide.hi - wide.lo));
  });

  it('is null for one class or a single point', () => {
    expect(bootstrapRocAuc([0.1, 0.2, 0.3], [1, 1, 1])).toBeNull();
    expect(bootstrapRocAuc([0.1], [1])).toBeNull();
  });
});

describe('qualitySummary and qualityByModel', () => {
  it('matches hand-computed ROC-AUC, PR-AUC and Brier', () => {
    // Positives at 0.9 and 0.4, negatives at 0.6 and 0.1: 3 of 4 pairs ordered → ROC-AUC 0.75.
    // Ranked 0.9(+) 0.6(−) 0.4(+) 0.1(−): AP = ½·1 + ½·(2/3) = 0.8333.
    // Brier = (0.01 + 0.36 + 0.36 + 0.01) / 4 = 0.185.
    const s = qualitySummary([point(0.9, 1), point(0.6, 0), point(0.4, 1), point(0.1, 0)]);
    expect(s).toMatchObject({ n: 4, positives: 2, rocAuc: 0.75 });
    expect(s.prAuc).toBeCloseTo(0.833333, 5);
    expect(s.brier).toBeCloseTo(0.185, 9);
    expect(s.calibration).toHaveLength(10);
    expect(s.calibration[9]).toMatchObject({ count: 1, fractionPositive: 1 });
  });

  it('says why ROC-AUC is missing with one outcome only', () => {
    const s = qualitySummary([point(0.9, 1), point(0.4, 1)]);
    expect(s).toMatchObject({ rocAuc: null, rocAucCi95: null, prAuc: null, note: expect.stringContaining('both') });
  });

  it('splits by model version, then by source within each', () => {
    const groups = qualityByModel([
      point(0.9, 1, 'v2', 'ticket'),
      point(0.1, 0, 'v2', 'review'),
      point(0.8, 0, 'v1', 'review'),
      point(0.2, 1, 'v1', 'review'),
    ]);
    expect(groups.map((g) => [g.modelVersion, g.n, g.rocAuc])).toEqual([
      ['v1', 2, 0],
      ['v2', 2, 1],
    ]);
    expect(groups[1].bySource.map((s) => [s.source, s.n])).toEqual([
      ['review', 1],
      ['ticket', 1],
    ]);
  });
});
