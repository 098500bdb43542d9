import { describe, expect, it } from 'vitest';
import { binCount, binOf, binRows, fitBins, quantileThresholds, type NumericBins } from '../../src/fuse/gbdt/binning';

describe('quantile binning', () => {
  it('puts a cut between every pair of distinct values when they are few', () => {
    expect(Array.from(quantileThresholds([3, 1, 2, 2, Number.NaN, 1], 254))).toEqual([1.5, 2.5]);
    expect(quantileThresholds([4, 4, 4], 254)).toHaveLength(0);
  });

  it('keeps at most 255 bins and roughly equal counts for many distinct values', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_007);
    const [bins] = fitBins({ columns: [values], kinds: ['numeric'], maxBins: 255 }) as NumericBins[];
    expect(binCount(bins)).toBeLessThanOrEqual(255);
    const counts = new Map<number, number>();
    for (const v of values) counts.set(binOf(bins, v), (counts.get(binOf(bins, v)) ?? 0) + 1);
    expect(counts.size).toBe(254);
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2 * Math.ceil(10_000 / 254));
  });

  it('honours a small maxBins', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const [bins] = fitBins({ columns: [values], kinds: ['numeric'], maxBins: 5 });
    expect(binCount(bins)).toBeLessThanOrEqual(5);
    expect(new Set(values.map((v) => binOf(bins, v)))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('maps v to a bin <= t exactly when v <= thresholds[t - 1], with missing in bin 0', () => {
    const values = [0.1, 0.2, 0.2, 0.3, 5, 5, 7, 1e6, -3];
    const [bins] = fitBins({ columns: [values], kinds: ['numeric'], maxBins: 4 }) as NumericBins[];
    for (const v of [...values, -1e9, 0.25, 6, 1e9]) {
      for (let t = 1; t <= bins.thresholds.length; t++) expect(binOf(bins, v) <= t).toBe(v <= bins.thresholds[t - 1]);
      expect(binOf(bins, v)).toBeGreaterThan(0);
    }
    expect(binOf(bins, Number.NaN)).toBe(0);
  });

  it('bins categoricals by code, folding missing and unseen codes into 0', () => {
    const [bins] = fitBins({ columns: [[1, 2, 3, 0, 2]], kinds: ['categorical'], maxBins: 255 });
    expect(binCount(bins)).toBe(4);
    expect([0, 1, 3, 4, 2.5, Number.NaN].map((v) => binOf(bins, v))).toEqual([0, 1, 3, 0, 0, 0]);
    expect(Array.from(binRows([bins], [[3], [9]])[0])).toEqual([3, 0]);
  });
});
