// The batch policy: CPU batches only near-equal lengths within a token budget, GPU keeps wide batches; selectBatch's choices.
import { describe, expect, it } from 'vitest';
import {
  batchPolicyFor,
  CPU_MAX_BATCH_TOKENS,
  CPU_MAX_PADDING_FRACTION,
  selectBatch,
  type BatchPolicy,
} from '../../src/engine/batch-policy';

const config = { maxBatch: 32, maxWaitMs: 2, maxPaddingFraction: 0.15 };
const pick = (lengths: number[], oldest: number, policy: Omit<BatchPolicy, 'reason' | 'maxWaitMs'>) => {
  const { lo, hi } = selectBatch(lengths, oldest, policy);
  return lengths.slice(lo, hi);
};

describe('batchPolicyFor', () => {
  it('on CPU: near-equal lengths only, a token budget per call, and no waiting for company', () => {
    const p = batchPolicyFor('cpu', config);
    expect(p).toMatchObject({
      maxBatch: 32,
      maxWaitMs: 0,
      maxPaddingFraction: CPU_MAX_PADDING_FRACTION,
      maxBatchTokens: CPU_MAX_BATCH_TOKENS,
    });
    expect(p.reason).toMatch(/5% padding/);
    // A stricter configured padding still wins.
    expect(batchPolicyFor('cpu', { ...config, maxPaddingFraction: 0 }).maxPaddingFraction).toBe(0);
  });

  it('on CUDA (and fakes): the configured batch size, wait and padding, no token budget', () => {
    for (const provider of ['cuda', 'fake']) {
      expect(batchPolicyFor(provider, config)).toMatchObject({
        maxBatch: 32,
        maxWaitMs: 2,
        maxPaddingFraction: 0.15,
        maxBatchTokens: Infinity,
      });
    }
  });

  it('never batches beyond the configured maxBatch', () => {
    expect(batchPolicyFor('cpu', { maxBatch: 4, maxWaitMs: 2 }).maxBatch).toBe(4);
  });
});

describe('selectBatch under the CPU policy', () => {
  const cpu = batchPolicyFor('cpu', config);

  it('batches short windows of equal length up to maxBatch, long ones up to the token budget', () => {
    expect(
      pick(
        Array.from({ length: 40 }, () => 16),
        0,
        cpu,
      ),
    ).toHaveLength(32);
    expect(
      pick(
        Array.from({ length: 40 }, () => 256),
        0,
        cpu,
      ),
    ).toHaveLength(CPU_MAX_BATCH_TOKENS / 256);
  });

  it('takes neighbours within 5% padding and never pads a short window to a long one', () => {
    expect(pick([90, 91, 92, 93], 0, cpu)).toEqual([90, 91, 92, 93]);
    expect(pick([20, 20, 30, 30, 30], 2, cpu)).toEqual([30, 30, 30]);
    expect(pick([12, 40, 90, 256], 2, cpu)).toEqual([90]);
  });
});

describe('selectBatch (configured padding, no budget)', () => {
  const wide = { maxBatch: 3, maxPaddingFraction: 0.15, maxBatchTokens: Infinity };

  it('always keeps the oldest and takes its nearest neighbours in length', () => {
    const lengths = [10, 11, 12, 50, 98, 99, 100];
    expect(pick(lengths, 5, wide)).toEqual([98, 99, 100]);
    expect(pick(lengths, 1, wide)).toEqual([10, 11, 12]);
  });

  it('drops the farthest lengths until the padding fits', () => {
    expect(pick([10, 10, 11, 98, 100], 0, { ...wide, maxBatch: 5 })).toEqual([10, 10, 11]);
    expect(pick([10, 98, 100], 2, { ...wide, maxBatch: 5 })).toEqual([98, 100]);
  });

  it('keeps a lone window even when it alone breaks the token budget', () => {
    expect(pick([300], 0, { ...wide, maxBatchTokens: 256 })).toEqual([300]);
  });

  it('takes everything that fits when no limit binds', () => {
    expect(pick([5, 5, 6], 2, { maxBatch: 8, maxBatchTokens: Infinity })).toEqual([5, 5, 6]);
  });
});
