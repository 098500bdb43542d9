// How a batch is dealt to threads, and how many threads `--threads auto` gives per backend.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors';
import { parseTrainThreads, resolveTrainThreads, splitBatch } from '../../../training/parallel/index';

describe('splitBatch', () => {
  const lengths = [5, 40, 12, 33, 7, 41, 20, 3];
  const lengthOf = (row: number) => lengths[row];

  it('deals every row exactly once, longest first, so each part pads to about the same length', () => {
    const parts = splitBatch([0, 1, 2, 3, 4, 5, 6, 7], 2, lengthOf);
    expect(parts.flat().sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(parts.map((p) => p.length)).toEqual([4, 4]);
    // 41 and 40 (the two longest) go to different parts: neither thread pads the other's longest row.
    expect(parts.map((p) => Math.max(...p.map(lengthOf)))).toEqual([41, 40]);
    expect(parts[0]).toEqual([5, 3, 2, 0]);
  });

  it('gives fewer parts than threads when the batch is smaller, and one empty part for an empty batch', () => {
    expect(splitBatch([3, 4], 4, lengthOf)).toEqual([[3], [4]]);
    expect(splitBatch([], 3, lengthOf)).toEqual([[]]);
  });

  it('keeps the given order without lengths', () => {
    expect(splitBatch([9, 8, 7, 6, 5], 2)).toEqual([
      [9, 7, 5],
      [8, 6],
    ]);
  });
});

describe('resolveTrainThreads', () => {
  it('auto: one thread per core (at most 4) on single-threaded backends, one on tfjs-node and GPU', () => {
    expect(resolveTrainThreads('auto', 'wasm', 2)).toBe(2);
    expect(resolveTrainThreads('auto', 'cpu', 16)).toBe(4);
    expect(resolveTrainThreads('auto', 'wasm', 1)).toBe(1);
    expect(resolveTrainThreads('auto', 'tensorflow', 16)).toBe(1);
    expect(resolveTrainThreads('auto', 'tensorflow-gpu', 16)).toBe(1);
  });

  it('takes a number as given, on any backend', () => {
    expect(resolveTrainThreads(3, 'tensorflow', 2)).toBe(3);
    expect(resolveTrainThreads(1, 'wasm', 8)).toBe(1);
  });
});

describe('parseTrainThreads', () => {
  it('takes auto (or nothing) and whole numbers from 1 to 64', () => {
    expect(parseTrainThreads(undefined)).toBe('auto');
    expect(parseTrainThreads('auto')).toBe('auto');
    expect(parseTrainThreads('1')).toBe(1);
    expect(parseTrainThreads('64')).toBe(64);
  });

  it.each(['0', '65', '2.5', '-1', 'two', '', '1e1'])('refuses %j naming the flag and the valid values', (flag) => {
    expect(() => parseTrainThreads(flag)).toThrow(ValidationError);
    expect(() => parseTrainThreads(flag)).toThrow(
      `--threads must be auto or a whole number from 1 to 64, got "${flag}"`,
    );
  });
});
