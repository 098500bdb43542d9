// Quantile edges and bin counts: the layout PSI is computed over.
import { describe, expect, it } from 'vitest';
import { binCounts, categoryCounts, quantileEdges, sampleQuantiles } from '../../src/drift';

const oneToTen = Array.from({ length: 10 }, (_, i) => i + 1);

describe('quantileEdges', () => {
  it('cuts at the nearest-rank quantiles, so each bin holds its share of the reference', () => {
    expect(quantileEdges(oneToTen, 5)).toEqual([2, 4, 6, 8]);
    expect(binCounts(oneToTen, [2, 4, 6, 8])).toEqual([2, 2, 2, 2, 2]);
  });

  it('merges repeated cut points: many equal values make fewer, wider bins, not empty ones', () => {
    const v = [0, 0, 0, 0, 0, 0, 1, 2, 3, 4];
    const edges = quantileEdges(v, 5);
    expect(edges).toEqual([0, 2]);
    expect(binCounts(v, edges)).toEqual([6, 2, 2]);
  });

  it('drops a last edge at the maximum (its top bin could never fill) and needs at least two bins', () => {
    expect(quantileEdges([3, 3, 3], 10)).toEqual([]);
    expect(binCounts([3, 3, 3], [])).toEqual([3]);
    expect(() => quantileEdges(oneToTen, 1)).toThrow(/bins/);
  });
});

describe('binCounts', () => {
  it('puts a value equal to an edge in the bin that edge closes, and values beyond the reference in the end bins', () => {
    expect(binCounts([-5, 2, 2.5, 4, 99], [2, 4])).toEqual([2, 2, 1]);
  });
});

describe('categoryCounts and sampleQuantiles', () => {
  it('counts listed categories only, in the given order', () => {
    expect(categoryCounts(['b', 'a', 'b', 'z'], ['a', 'b'])).toEqual([1, 2]);
  });

  it('keeps every value when few, evenly spaced order statistics when many', () => {
    expect(sampleQuantiles([3, 1, 2], 5)).toEqual([1, 2, 3]);
    expect(sampleQuantiles(oneToTen, 4)).toEqual([1, 4, 7, 10]);
  });
});
