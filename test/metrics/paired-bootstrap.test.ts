import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { pairedBootstrapRocAuc, rocAuc } from '../../src/metrics';

// Labels and two scorers: `good` separates the classes well, `noise` not at all.
function scorers(n: number) {
  const rnd = seedrandom('paired');
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const good = labels.map((l) => l * 0.6 + rnd() * 0.5);
  const noise = labels.map(() => rnd());
  return { labels, good, noise };
}

describe('pairedBootstrapRocAuc', () => {
  it('puts the interval above zero for a clearly better model, below for a worse one', () => {
    const { labels, good, noise } = scorers(200);
    const better = pairedBootstrapRocAuc(noise, good, labels, { resamples: 300 })!;
    expect(better.difference).toBeCloseTo(rocAuc(good, labels) - rocAuc(noise, labels), 12);
    expect(better.interval[0]).toBeGreaterThan(0);
    expect(better.interval[0]).toBeLessThanOrEqual(better.difference);
    expect(better.interval[1]).toBeGreaterThanOrEqual(better.difference);
    const worse = pairedBootstrapRocAuc(good, noise, labels, { resamples: 300 })!;
    expect(worse.interval[1]).toBeLessThan(0);
  });

  it('includes zero for the same model, is reproducible by seed, and needs both classes', () => {
    const { labels, good } = scorers(100);
    const same = pairedBootstrapRocAuc(good, good, labels, { resamples: 100 })!;
    expect(same.interval).toEqual([0, 0]);
    const { noise } = scorers(100);
    const a = pairedBootstrapRocAuc(noise, good, labels, { resamples: 100, seed: 's' });
    expect(pairedBootstrapRocAuc(noise, good, labels, { resamples: 100, seed: 's' })).toEqual(a);
    expect(pairedBootstrapRocAuc([0.1, 0.2], [0.3, 0.4], [1, 1])).toBeNull();
    expect(() => pairedBootstrapRocAuc([0.1], [0.2, 0.3], [0, 1])).toThrow(/differ in length/);
  });
});
