// Data-parallel full mode: gradients split over a worker thread add up to one thread's, training follows, a dead worker fails fast.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingFailedError } from '../../../src/errors';
import { silentLogger } from '../../../src/logging/index';
import { selectBackend, type BackendChoice } from '../../../training/backend/index';
import { readUseLiteCheckpoint, UseLiteEncoder, type FreezeOptions } from '../../../training/encoders/index';
import { HybridHead } from '../../../training/heads/hybrid-head';
import { batchWeight, partGradients } from '../../../training/loop/batch-gradients';
import { trainLoop, type TrainLoopOptions } from '../../../training/loop/train-loop';
import { fullModeSpec } from '../../../training/modes/full-mode';
import { StateCache } from '../../../training/modes/state-cache';
import { DataParallelFullMode, openFullModeSpec } from '../../../training/parallel/index';
import { USE_LITE_ARCHITECTURE } from '../../../onnx/params/use-lite-params';
import { referenceReviewIds } from '../../helpers/use-reference-tokens';

const TOP_ONLY: FreezeOptions = { freezeEmbeddings: true, freezeLowerLayer: true };
const headConfig = {
  embeddingDim: USE_LITE_ARCHITECTURE.outputDim,
  vocabSize: USE_LITE_ARCHITECTURE.vocabSize,
  unigrams: true,
  bigramBuckets: 1024,
};
let backend: BackendChoice;
let ids: Int32Array[];
let labels: number[];
const owned: { dispose(): unknown }[] = [];

beforeAll(async () => {
  backend = (await selectBackend({ logger: silentLogger() })).name;
  ids = (await referenceReviewIds(24)).map((r) => Int32Array.from(r.slice(0, 48)));
  labels = ids.map((_, i) => (i % 3 === 0 ? 1 : 0));
}, 60_000);
afterAll(async () => {
  for (const o of owned.reverse()) await o.dispose();
});

/** A USE-lite encoder and a head with a non-zero start, the same on every call. */
async function model() {
  const encoder = UseLiteEncoder.fromParams(await readUseLiteCheckpoint());
  const head = new HybridHead(headConfig);
  head.wEmb.assign(tf.linspace(-0.05, 0.05, headConfig.embeddingDim));
  owned.push(encoder, head);
  return { encoder, head };
}

async function parallel(freeze: FreezeOptions, stateCache?: StateCache, rows?: number[]) {
  const { encoder, head } = await model();
  const dp = await DataParallelFullMode.create({
    ...(stateCache ? { stateCache } : {}),
    ...(rows ? { rows } : {}),
    threads: 2,
    backend,
    encoder: { encoder: 'use-lite' },
    trainable: encoder,
    head,
    data: { ids, labels },
    freeze,
  });
  owned.push(dp);
  return Object.assign(dp, { encoder, head });
}

const values = async (vars: readonly tf.Tensor[]) =>
  Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
const maxAbsDiff = (a: Float32Array[], b: Float32Array[]) =>
  Math.max(...a.map((x, i) => x.reduce((m, v, j) => Math.max(m, Math.abs(v - b[i][j])), 0)));
const maxAbs = (a: Float32Array[]) => Math.max(...a.map((x) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));

describe('DataParallelFullMode', () => {
  it.each([
    ['the top layer on cached states', TOP_ONLY],
    ['every layer', {}],
  ])(
    'sums the threads’ gradients to one thread’s (%s)',
    async (_name, freeze) => {
      const dp = await parallel(freeze);
      const batch = [0, 3, 5, 6, 9, 12, 17, 20];
      const W = batchWeight(batch, labels, 2);
      const split = await dp.spec.gradients!(batch, 2, W);
      const single = await partGradients(dp.spec, batch, 2, W);
      const [a, b] = [await values(split.grads), await values(single.grads)];
      expect(maxAbs(b)).toBeGreaterThan(1e-4);
      // Float summation order differs; relative to the largest gradient the parts agree to ~1e-5.
      expect(maxAbsDiff(a, b)).toBeLessThan(1e-4 * maxAbs(b) + 1e-7);
      expect(split.loss).toBeCloseTo(single.loss, 5);
      tf.dispose([...split.grads, ...single.grads]);
    },
    120_000,
  );

  it('trains to the weights and predictions of a single-thread run', async () => {
    const options: TrainLoopOptions = {
      epochs: 2,
      batchSize: 6,
      learningRate: 1e-3,
      warmupFraction: 0,
      weightDecay: 0.01,
      clipNorm: 1,
      imbalance: 'weight',
      patience: 5,
      seed: 7,
    };
    const train = ids.map((_, i) => i).filter((i) => i % 4 !== 1);
    const valid = ids.map((_, i) => i).filter((i) => i % 4 === 1);
    const dp = await parallel(TOP_ONLY);
    const one = await model();
    const spec = await fullModeSpec(one.encoder, one.head, { ids, labels }, TOP_ONLY);
    const before = await values(spec.variables);
    const r1 = await trainLoop({ spec: dp.spec, labels, train, valid, options });
    const r2 = await trainLoop({ spec, labels, train, valid, options });
    const [a, b] = [await values(dp.spec.variables), await values(spec.variables)];
    expect(maxAbsDiff(b, before)).toBeGreaterThan(1e-4);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
    expect(r1.history.map((h) => h.trainLoss)).toEqual(r2.history.map((h) => expect.closeTo(h.trainLoss, 4)));
    // Predictions are spread over the threads too, on the weights the worker synced after the last step.
    const pa = await dp.spec.predict(valid);
    const pb = await spec.predict(valid);
    expect(maxAbsDiff([pa], [pb])).toBeLessThan(1e-4);
  }, 300_000);

  it('predicts with weights changed outside a step once told (weightsChanged), on every thread', async () => {
    const dp = await parallel(TOP_ONLY);
    const rows = ids.map((_, i) => i);
    const same = await fullModeSpec(dp.encoder, dp.head, { ids, labels }, TOP_ONLY);
    dp.head.bias.assign(tf.scalar(1.5));
    await dp.spec.weightsChanged!();
    const told = await dp.spec.predict(rows);
    expect(maxAbsDiff([told], [await same.predict(rows)])).toBeLessThan(1e-5);
    // Without being told, the worker's half still sees the old bias: the hook is what keeps threads in step.
    dp.head.bias.assign(tf.scalar(-1.5));
    const stale = await dp.spec.predict(rows);
    const truth = await same.predict(rows);
    const half = Math.ceil(rows.length / 2);
    expect(maxAbsDiff([stale.subarray(0, half)], [truth.subarray(0, half)])).toBeLessThan(1e-5);
    expect(maxAbsDiff([stale.subarray(half)], [truth.subarray(half)])).toBeGreaterThan(0.1);
  }, 120_000);

  it('reuses a cache filled once in shared memory (cross-validation folds) and refuses an unshared one', async () => {
    const probe = (await model()).encoder;
    const rows = ids.map((_, i) => i);
    const shared = await StateCache.fill(probe.frozenSplit(TOP_ONLY)!, ids, rows, { shared: true });
    const fresh = await parallel(TOP_ONLY);
    // The run uses fewer rows than the cache holds: the workers must still read the cache's own layout.
    const reused = await parallel(TOP_ONLY, shared, [1, 2, 4, 7, 8, 11, 15, 22]);
    expect(reused.spec.stateCache?.fillSeconds).toBe(shared.fillSeconds);
    const batch = [1, 2, 4, 7, 8, 11, 15, 22];
    const W = batchWeight(batch, labels, 1);
    const a = await fresh.spec.gradients!(batch, 1, W);
    const b = await reused.spec.gradients!(batch, 1, W);
    expect(maxAbsDiff(await values(a.grads), await values(b.grads))).toBeLessThan(1e-6);
    tf.dispose([...a.grads, ...b.grads]);
    const unshared = await StateCache.fill(probe.frozenSplit(TOP_ONLY)!, ids, rows);
    await expect(parallel(TOP_ONLY, unshared)).rejects.toThrow(/filled with shared: true/);
  }, 120_000);

  it('openFullModeSpec: one thread is the plain spec, more are data-parallel, and an uncached parallel run is refused', async () => {
    const { encoder, head } = await model();
    const common = {
      backend,
      encoder: { encoder: 'use-lite' },
      trainable: encoder,
      head,
      data: { ids, labels },
      freeze: TOP_ONLY,
    };
    const one = await openFullModeSpec({ ...common, threads: 1, cacheFrozenStates: false });
    expect(one.threads).toBe(1);
    expect(one.spec.gradients).toBeUndefined();
    expect(one.spec.stateCache).toBeUndefined();
    const two = await openFullModeSpec({ ...common, threads: 2 });
    owned.push(two);
    expect(two.threads).toBe(2);
    expect(two.spec.gradients).toBeDefined();
    expect(two.spec.stateCache?.rows).toBe(ids.length);
    await expect(openFullModeSpec({ ...common, threads: 2, cacheFrozenStates: false })).rejects.toThrow(
      /cacheFrozenStates: false is for one thread/,
    );
  }, 120_000);

  it('fails the step with TrainingFailedError, not a hang, when a worker dies', async () => {
    const dp = await parallel(TOP_ONLY);
    await dp.crashWorkerForTest(1);
    await expect(dp.spec.gradients!([0, 1, 2, 3], 1, 4)).rejects.toBeInstanceOf(TrainingFailedError);
    await expect(dp.spec.predict([0, 1, 2, 3])).rejects.toThrow(/gradient worker 1/);
  }, 120_000);
});
