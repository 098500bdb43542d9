// Length-grouped batches: the same rows each epoch, far less padding than random batches, seeded order.
import { describe, expect, it } from 'vitest';
import { rng, shuffle } from '../../src/sampling/splits';
import { lengthGroupedOrder, POOL_BATCHES } from '../../training/loop/length-buckets';

/** Padded token slots over real token count when `order` is cut into consecutive batches of `size`. */
function paddingRatio(order: number[], size: number, lengths: number[]): number {
  let padded = 0;
  let real = 0;
  for (let s = 0; s < order.length; s += size) {
    const batch = order.slice(s, s + size).map((i) => lengths[i]);
    padded += Math.max(...batch) * batch.length;
    real += batch.reduce((a, b) => a + b, 0);
  }
  return padded / real;
}

describe('lengthGroupedOrder', () => {
  const r = rng(7);
  // Review-like lengths: mostly short, a long tail to 256 tokens.
  const lengths = Array.from({ length: 1234 }, () => Math.min(256, 8 + Math.floor(-60 * Math.log(1 - r()))));
  const order = shuffle(
    lengths.map((_, i) => i),
    rng(1),
  );

  it('keeps every row exactly once and cuts far less padding than random batches', () => {
    const grouped = lengthGroupedOrder(order, 16, (i) => lengths[i], rng(2));
    expect([...grouped].sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    const random = paddingRatio(order, 16, lengths);
    const byLength = paddingRatio(grouped, 16, lengths);
    expect(random).toBeGreaterThan(2);
    expect(byLength).toBeLessThan(1.2);
  });

  it('leaves the one short batch last, so consecutive slices stay whole batches', () => {
    const grouped = lengthGroupedOrder(order, 16, (i) => lengths[i], rng(3));
    const tail = grouped.slice(Math.floor(order.length / 16) * 16);
    expect(tail).toHaveLength(order.length % 16);
    // Each full slice comes from one sorted pool: its lengths span a narrow range relative to the whole spread.
    for (let s = 0; s + 16 <= POOL_BATCHES * 16; s += 16) {
      const batch = grouped.slice(s, s + 16).map((i) => lengths[i]);
      expect(Math.max(...batch) - Math.min(...batch)).toBeLessThan(60);
    }
  });

  it('is seeded: the same seed gives the same order, another seed another', () => {
    const a = lengthGroupedOrder(order, 16, (i) => lengths[i], rng(4));
    expect(lengthGroupedOrder(order, 16, (i) => lengths[i], rng(4))).toEqual(a);
    expect(lengthGroupedOrder(order, 16, (i) => lengths[i], rng(5))).not.toEqual(a);
    expect(lengthGroupedOrder([], 16, (i) => lengths[i], rng(4))).toEqual([]);
  });
});
