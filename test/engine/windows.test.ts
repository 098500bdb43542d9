import { describe, expect, it } from 'vitest';
import { aggregateWindowScores, splitWindows } from '../../src/engine';

const seq = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('splitWindows', () => {
  it('keeps a short sequence whole', () => {
    const r = splitWindows(seq(10), { size: 16, overlap: 4, maxWindows: 8 });
    expect(r.windows.map((w) => [...w])).toEqual([[...seq(10)]]);
    expect(r.truncated).toBe(false);
  });

  it('covers every token with overlapping windows', () => {
    const r = splitWindows(seq(25), { size: 10, overlap: 3, maxWindows: 8 });
    expect(r.windows.map((w) => [w[0], w[w.length - 1]])).toEqual([
      [0, 9],
      [7, 16],
      [14, 23],
      [21, 24],
    ]);
    const covered = new Set(r.windows.flatMap((w) => [...w]));
    expect(covered.size).toBe(25);
    expect(r.truncated).toBe(false);
  });

  it('stops at maxWindows and says so', () => {
    const r = splitWindows(seq(100), { size: 10, overlap: 0, maxWindows: 3 });
    expect(r.windows).toHaveLength(3);
    expect(r.truncated).toBe(true);
  });

  it('rejects an overlap as large as the window', () => {
    expect(() => splitWindows(seq(20), { size: 5, overlap: 5, maxWindows: 3 })).toThrow(RangeError);
  });
});

describe('aggregateWindowScores', () => {
  it('reports max and mean', () => {
    const s = aggregateWindowScores([0.2, 0.9, 0.4]);
    expect(s.max).toBeCloseTo(0.9);
    expect(s.mean).toBeCloseTo(0.5);
  });
});
