import { describe, expect, it } from 'vitest';
import { applyCalibration, fitCalibration, fitIsotonic, fitPlatt } from '../../src/score/calibration';
import { brierScore } from '../../src/metrics';

function lcg(seed: number) {
  let x = seed;
  return () => (x = (x * 1664525 + 1013904223) % 4294967296) / 4294967296;
}

/** Scores that are systematically overconfident: the true probability is sigmoid(0.5·logit(p) − 0.3). */
function overconfident(n: number) {
  const r = lcg(11);
  const probs: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = (r() - 0.5) * 10;
    const p = 1 / (1 + Math.exp(-z));
    const truth = 1 / (1 + Math.exp(-(0.5 * z - 0.3)));
    probs.push(p);
    labels.push(r() < truth ? 1 : 0);
  }
  return { probs, labels };
}

describe('Platt scaling', () => {
  it('recovers the true slope and offset of an overconfident model', () => {
    const { probs, labels } = overconfident(20_000);
    const cal = fitPlatt(probs, labels);
    expect(cal.a).toBeCloseTo(0.5, 1);
    expect(cal.b).toBeCloseTo(-0.3, 1);
  });

  it('never reverses the ranking: labels that run against the scores give the constant smoothed base rate', () => {
    const probs = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1];
    const labels = [0, 0, 1, 0, 1, 1];
    const cal = fitPlatt(probs, labels);
    expect(cal.a).toBe(0);
    // Smoothed targets (3+1)/(3+2) and 1/(3+2): their mean is 0.5.
    probs.forEach((p) => expect(applyCalibration(cal, p)).toBeCloseTo(0.5, 9));
  });

  it('lowers the Brier score it was fitted to improve', () => {
    const { probs, labels } = overconfident(5_000);
    const cal = fitCalibration('platt', probs, labels);
    const calibrated = probs.map((p) => applyCalibration(cal, p));
    expect(brierScore(calibrated, labels)).toBeLessThan(brierScore(probs, labels));
  });
});

describe('isotonic regression', () => {
  it('pools adjacent violators', () => {
    const cal = fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]);
    expect(cal.x).toEqual([0.1, 0.25, 0.4]);
    expect(cal.y).toEqual([0, 0.5, 1]);
  });

  it('is monotone and interpolates between blocks', () => {
    const { probs, labels } = overconfident(2_000);
    const cal = fitIsotonic(probs, labels);
    for (let i = 1; i < cal.y.length; i++) expect(cal.y[i]).toBeGreaterThanOrEqual(cal.y[i - 1]);
    const grid = Array.from({ length: 101 }, (_, i) => applyCalibration(cal, i / 100));
    for (let i = 1; i < grid.length; i++) expect(grid[i]).toBeGreaterThanOrEqual(grid[i - 1]);
  });

  it('refuses to fit on fewer than two examples', () => {
    expect(() => fitCalibration('isotonic', [0.5], [1])).toThrow(/at least 2/);
  });
});
