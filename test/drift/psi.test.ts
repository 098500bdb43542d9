// PSI against values worked out by hand.
import { describe, expect, it } from 'vitest';
import { psi, PSI_EMPTY_SHARE } from '../../src/drift';

describe('psi', () => {
  it('is 0 for the same shares, whatever the counts', () => {
    expect(psi([10, 30, 60], [1, 3, 6])).toBeCloseTo(0, 12);
  });

  it('matches the hand-computed sum over bins', () => {
    // shares .5/.5 against .8/.2: 0.3·ln(1.6) + (−0.3)·ln(0.4) = 0.141001 + 0.274887
    expect(psi([50, 50], [80, 20])).toBeCloseTo(0.415888, 5);
    // symmetric in its arguments
    expect(psi([80, 20], [50, 50])).toBeCloseTo(0.415888, 5);
  });

  it('floors an empty bin at the documented share instead of going infinite', () => {
    // e = [1, 1e-4], a = [.5, .5]: (−0.5)·ln(0.5) + (0.5 − 1e-4)·ln(0.5 / 1e-4)
    const expected = -0.5 * Math.log(0.5) + (0.5 - PSI_EMPTY_SHARE) * Math.log(0.5 / PSI_EMPTY_SHARE);
    expect(psi([100, 0], [50, 50])).toBeCloseTo(expected, 9);
    expect(expected).toBeCloseTo(4.604319, 5);
  });

  it('is null when a side is empty and refuses histograms over different bins', () => {
    expect(psi([1, 2], [0, 0])).toBeNull();
    expect(() => psi([1, 2], [1, 2, 3])).toThrow(/same bins/);
  });
});
