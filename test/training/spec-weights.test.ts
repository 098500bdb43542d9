// Snapshots, averages and settings of a spec's weights (checkpoint averaging in cv:fine-tune).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HybridHead } from '../../training/heads/hybrid-head';
import { meanWeights, setWeights, snapshotWeights } from '../../training/loop/spec-weights';
import { headModeSpec } from '../../training/modes/head-mode';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function spec() {
  const head = new HybridHead({ embeddingDim: 3, vocabSize: 8, unigrams: true, bigramBuckets: 0 });
  const data = {
    embeddings: new Float32Array(6),
    embeddingDim: 3,
    ids: [Int32Array.of(1), Int32Array.of(2)],
    labels: [0, 1],
  };
  let told = 0;
  return {
    head,
    spec: { ...headModeSpec(head, data), weightsChanged: () => (told++, Promise.resolve()) },
    told: () => told,
  };
}

describe('spec weights', () => {
  it('snapshots are copies: later changes to the variables do not reach them', async () => {
    const { head, spec: s } = spec();
    const before = snapshotWeights(s);
    head.wEmb.assign(tf.tensor1d([1, 2, 3]));
    expect(Array.from(before[0])).toEqual([0, 0, 0]);
    expect(Array.from(snapshotWeights(s)[0])).toEqual([1, 2, 3]);
  });

  it('sets every variable and tells the spec, and refuses weights of another shape', async () => {
    const { spec: s, told } = spec();
    const w = snapshotWeights(s).map((a) => a.map((_, j) => j + 0.5));
    await setWeights(s, w);
    expect(snapshotWeights(s)).toEqual(w);
    expect(told()).toBe(1);
    await expect(setWeights(s, w.slice(1))).rejects.toThrow(/do not match/);
    await expect(setWeights(s, [new Float32Array(2), ...w.slice(1)])).rejects.toThrow(/do not match/);
    expect(told()).toBe(1);
  });

  it('averages snapshots element by element', () => {
    const a = [Float32Array.of(1, 2), Float32Array.of(10)];
    const b = [Float32Array.of(3, 6), Float32Array.of(20)];
    expect(meanWeights([a, b]).map((x) => Array.from(x))).toEqual([[2, 4], [15]]);
    expect(meanWeights([a]).map((x) => Array.from(x))).toEqual([[1, 2], [10]]);
  });
});
