import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { HybridHead } from '../../training/heads/hybrid-head';
import { CheckpointStore } from '../../training/loop/checkpoint';
import { TrainingInterruptedError, trainLoop, type TrainLoopOptions } from '../../training/loop/train-loop';
import { headModeSpec, type HeadModeData } from '../../training/modes/head-mode';
import { rng, stratifiedSplit } from '../../src/sampling/splits';

/** Synthetic texts: the label depends on one embedding direction and on token 7 ("refund") appearing. */
function synthetic(n: number, seed: number): HeadModeData {
  const r = rng(seed);
  const D = 16;
  const embeddings = new Float32Array(n * D);
  const ids: Int32Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = r() < 0.35 ? 1 : 0;
    for (let d = 0; d < D; d++) embeddings[i * D + d] = r() - 0.5 + (d === 0 ? (y ? 0.4 : -0.4) : 0);
    const len = 3 + Math.floor(r() * 8);
    ids.push(Int32Array.from({ length: len }, (_, t) => (t === 0 && y && r() < 0.7 ? 7 : 10 + Math.floor(r() * 40))));
    labels.push(y);
  }
  return { embeddings, embeddingDim: D, ids, labels };
}

const options: TrainLoopOptions = {
  epochs: 4,
  batchSize: 32,
  learningRate: 0.05,
  warmupFraction: 0.1,
  weightDecay: 0.01,
  clipNorm: 1,
  imbalance: 'weight',
  patience: 10,
  seed: 3,
};
const headConfig = { embeddingDim: 16, vocabSize: 64, bigramBuckets: 128, unigrams: true };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function run(
  data: HeadModeData,
  opts: TrainLoopOptions,
  checkpoint?: { store: CheckpointStore; fingerprint: string },
  stopAfterEpoch?: number,
  onWeightsChanged?: (head: HybridHead) => Promise<void>,
) {
  const head = new HybridHead(headConfig);
  const { train, valid } = stratifiedSplit(data.labels, 0.2, 1);
  const abort = new AbortController();
  const onEpoch = (r: { epoch: number }) => (r.epoch === stopAfterEpoch ? abort.abort() : undefined);
  try {
    const result = await trainLoop({
      spec: {
        ...headModeSpec(head, data),
        ...(onWeightsChanged ? { weightsChanged: () => onWeightsChanged(head) } : {}),
      },
      labels: data.labels,
      train,
      valid,
      options: opts,
      checkpoint,
      onEpoch,
      signal: abort.signal,
    });
    return { result, params: await head.toParams() };
  } finally {
    head.dispose();
  }
}

describe('trainLoop in head mode', () => {
  const data = synthetic(600, 5);

  it('learns a separable signal from embeddings and token ids', async () => {
    const { result, params } = await run(data, options);
    expect(result.bestAuc).toBeGreaterThan(0.9);
    expect(result.history).toHaveLength(4);
    expect(params.unigramWeight!.data[7]).toBeGreaterThan(0); // the "refund" token pushes risk up
  });

  it('resumes from a checkpoint to the same weights as an uninterrupted run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
    const store = new CheckpointStore(path.join(dir, 'checkpoint'));
    await expect(run(data, options, { store, fingerprint: 'x' }, 1)).rejects.toBeInstanceOf(TrainingInterruptedError);
    const resumed = await run(data, options, { store, fingerprint: 'x' });
    const straight = await run(data, options);
    expect(resumed.result.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3]);
    const diff = Math.max(
      ...resumed.params.embeddingWeight.data.map((v, i) => Math.abs(v - straight.params.embeddingWeight.data[i])),
    );
    expect(diff).toBeLessThan(1e-5);
    await expect(run(data, options, { store, fingerprint: 'other' })).rejects.toThrow(ValidationError);
    await expect(run(data, options, { store, fingerprint: 'other' })).rejects.toThrow(
      /^--resume: the checkpoint in .* other data or options/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tells the spec whenever its weights change: each step, a resume, and the restore of the best epoch', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
    const store = new CheckpointStore(path.join(dir, 'checkpoint'));
    const stepsPerEpoch = Math.ceil(stratifiedSplit(data.labels, 0.2, 1).train.length / options.batchSize);
    let calls = 0;
    let last: Float32Array | undefined;
    const count = async (head: HybridHead) => {
      calls++;
      last = (await head.wEmb.data()) as Float32Array;
    };
    await expect(run(data, options, { store, fingerprint: 'x' }, 1, count)).rejects.toBeInstanceOf(
      TrainingInterruptedError,
    );
    expect(calls).toBe(2 * stepsPerEpoch);
    calls = 0;
    const resumed = await run(data, options, { store, fingerprint: 'x' }, undefined, count);
    // One for the resume, one per step of the two remaining epochs, one for the restore of the best epoch.
    expect(calls).toBe(1 + 2 * stepsPerEpoch + 1);
    expect(Array.from(last!)).toEqual(Array.from(resumed.params.embeddingWeight.data));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops early when validation ROC-AUC stops improving', async () => {
    const { result } = await run(data, { ...options, epochs: 30, patience: 1, learningRate: 0.2 });
    expect(result.stoppedEarly).toBe(true);
    expect(result.history.length).toBeLessThan(30);
  });

  it('balanced sampling also learns', async () => {
    const { result } = await run(data, { ...options, imbalance: 'sample' });
    expect(result.bestAuc).toBeGreaterThan(0.9);
  });
});
