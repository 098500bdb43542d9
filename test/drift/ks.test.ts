// The two-sample KS statistic and its p-value against hand-computed values.
import { describe, expect, it } from 'vitest';
import { ksPValue, ksStatistic } from '../../src/drift';

describe('ksStatistic', () => {
  it('is the largest gap between the two step functions', () => {
    // After 2: F_a = 2/4, F_b = 0 → 0.5; after 3: 3/4 − 1/4; after 4: 1 − 2/4.
    expect(ksStatistic([1, 2, 3, 4], [3, 4, 5, 6])).toBeCloseTo(0.5, 12);
    expect(ksStatistic([3, 1, 2], [6, 5, 4])).toBe(1);
    expect(ksStatistic([1, 2, 3], [3, 2, 1])).toBe(0);
  });

  it('steps past tied values on both sides at once', () => {
    // At 1: F_a = 2/3, F_b = 1/3; at 2 both reach 1.
    expect(ksStatistic([1, 1, 2], [1, 2, 2])).toBeCloseTo(1 / 3, 12);
  });

  it('ignores non-finite values and is null for an empty side', () => {
    expect(ksStatistic([1, Number.NaN, 2], [1, 2])).toBe(0);
    expect(ksStatistic([], [1])).toBeNull();
  });
});

describe('ksPValue', () => {
  it('follows the Kolmogorov distribution: D·√(nm/(n+m)) ≈ 1.36 is the 5% point', () => {
    const n = 20_000;
    expect(ksPValue(1.36 / Math.sqrt(n / 2), n, n)).toBeCloseTo(0.049, 2);
    expect(ksPValue(0, 10, 10)).toBe(1);
    expect(ksPValue(1, 50, 50)).toBeLessThan(1e-6);
  });
});
