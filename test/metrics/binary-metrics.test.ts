import { describe, expect, it } from 'vitest';
import {
  atThreshold,
  averagePrecision,
  brierScore,
  calibrationBins,
  expectedCalibrationError,
  rocAuc,
} from '../../src/metrics';

/** Mann-Whitney: the share of (positive, negative) pairs ranked correctly, ties counting one half. */
function pairwiseAuc(s: number[], y: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < s.length; i++)
    for (let j = 0; j < s.length; j++)
      if (y[i] === 1 && y[j] === 0) {
        den++;
        num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
  return num / den;
}

function lcg(seed: number) {
  let x = seed;
  return () => (x = (x * 1664525 + 1013904223) % 4294967296) / 4294967296;
}

describe('rocAuc', () => {
  it('matches the textbook example', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 10);
  });

  it('equals the pairwise ranking probability on random data with ties', () => {
    const r = lcg(7);
    const y = Array.from({ length: 300 }, () => (r() < 0.3 ? 1 : 0));
    const s = y.map((l) => Math.round((r() + l * 0.4) * 20) / 20); // coarse scores force ties
    expect(rocAuc(s, y)).toBeCloseTo(pairwiseAuc(s, y), 10);
  });

  it('is NaN with a single class', () => {
    expect(rocAuc([0.2, 0.3], [1, 1])).toBeNaN();
  });
});

describe('averagePrecision', () => {
  it('matches the textbook example', () => {
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.8333333, 6);
  });
  it('is 1 for a perfect ranking', () => {
    expect(averagePrecision([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
  });
});

describe('calibration metrics', () => {
  it('computes the Brier score', () => {
    expect(brierScore([1, 0, 0.5], [1, 0, 1])).toBeCloseTo(0.25 / 3, 10);
  });

  it('is zero ECE when each bin predicts its positive rate', () => {
    const probs = [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75];
    const labels = [1, 0, 0, 0, 1, 1, 1, 0];
    expect(expectedCalibrationError(probs, labels)).toBeCloseTo(0, 10);
  });

  it('measures overconfidence', () => {
    expect(expectedCalibrationError([0.95, 0.95, 0.95, 0.95], [1, 0, 1, 0])).toBeCloseTo(0.45, 10);
    const bins = calibrationBins([0.95, 0.05], [1, 0], 10);
    expect(bins).toHaveLength(10);
    expect(bins[9]).toMatchObject({ count: 1, fractionPositive: 1 });
  });
});

describe('atThreshold', () => {
  it('counts the confusion matrix and derived scores', () => {
    const m = atThreshold([0.9, 0.8, 0.3, 0.2, 0.7], [1, 0, 1, 0, 1], 0.5);
    expect(m).toMatchObject({ tp: 2, fp: 1, tn: 1, fn: 1 });
    expect(m.precision).toBeCloseTo(2 / 3);
    expect(m.recall).toBeCloseTo(2 / 3);
    expect(m.f1).toBeCloseTo(2 / 3);
  });

  it('rejects mismatched lengths', () => {
    expect(() => atThreshold([0.1], [1, 0], 0.5)).toThrow(/differ in length/);
  });
});
