// Data-parallel full mode: each batch split over this thread and worker threads, gradients summed, weights shared.
import * as tf from '@tensorflow/tfjs';
import { TrainingFailedError } from '../../src/errors';
import type { BackendChoice } from '../backend';
import type { BertPooling } from '../encoders/bert';
import type { FreezeOptions, TrainableEncoder } from '../encoders/trainable-encoder';
import type { HybridHead } from '../heads/hybrid-head';
import { partGradients, type PartGradients } from '../loop/batch-gradients';
import { fullModeSpec, type FullModeData, type FullModeSpec } from '../modes/full-mode';
import type { StateCache } from '../modes/state-cache';
import { GradientWorker } from './gradient-worker';
import type { VariableSlot } from './protocol';
import { fillOwnShare, planSharedStates, sharedStateCache } from './shared-states';
import { splitBatch } from './split-batch';
import { checkWorkerShapes, variableSlots } from './variable-slots';

export interface DataParallelOptions {
  /** Threads computing gradients, this one included (≥ 2; 1 needs no workers: use fullModeSpec). */
  threads: number;
  backend: BackendChoice;
  /** What the workers open to rebuild the encoder (the same argument the training thread opened). */
  encoder: { encoder: string; pooling?: BertPooling };
  /** This thread's encoder and head: their variables are the run's weights, the workers' copies follow them. */
  trainable: TrainableEncoder;
  head: HybridHead;
  data: FullModeData;
  freeze: FreezeOptions;
  /** Rows training and validation will use (default all): each thread caches frozen states for these. */
  rows?: readonly number[];
  /**
   * A frozen-state cache already filled in a SharedArrayBuffer (StateCache.fill with shared: true) for the same
   * frozen weights and every row used, e.g. one for all cross-validation folds: the threads read it, nobody refills.
   */
  stateCache?: StateCache;
}

/**
 * Owns the workers of one full-mode run. `spec` is a full-mode spec whose gradients and predictions are spread over
 * all threads: a batch's rows are dealt out by length (splitBatch), every part divides by the whole batch's weight,
 * so the parts' gradients add up to the single-thread gradients (up to float summation order).
 */
export class DataParallelFullMode {
  private version = 0;
  /** The spec the loop trains: the local one with gradients, predictions and weight updates spread over threads. */
  readonly spec: FullModeSpec;

  private constructor(
    private readonly local: FullModeSpec,
    private readonly workers: GradientWorker[],
    private readonly layout: VariableSlot[],
    private readonly weights: Float32Array,
    private readonly grads: Float32Array[],
  ) {
    this.spec = {
      ...local,
      gradients: (indices, posWeight, totalWeight) => this.gradients(indices, posWeight, totalWeight),
      weightsChanged: () => this.publishWeights(),
      predict: (indices) => this.predict(indices),
    };
  }

  static async create(opts: DataParallelOptions): Promise<DataParallelFullMode> {
    if (!(opts.threads >= 2)) throw new RangeError(`data-parallel training needs ≥ 2 threads, got ${opts.threads}`);
    const { ids } = opts.data;
    const rows = [...(opts.rows ?? ids.map((_, i) => i))];
    const split = opts.trainable.frozenSplit?.(opts.freeze);
    const states = planSharedStates({ split, ids, rows, threads: opts.threads, given: opts.stateCache });
    const trainable = [...opts.trainable.trainableVariables(opts.freeze), ...opts.head.variables];
    const layout = variableSlots(trainable);
    const floats = layout.reduce((n, s) => n + s.size, 0);
    const weights = new Float32Array(new SharedArrayBuffer(floats * 4));
    const workers = Array.from({ length: opts.threads - 1 }, (_, k) => new GradientWorker(k + 1));
    const grads = workers.map(() => new Float32Array(new SharedArrayBuffer(floats * 4)));
    const started = performance.now();
    const stop = () => Promise.all(workers.map((w) => w.dispose()));
    try {
      for (let i = 0; i < trainable.length; i++) weights.set(await trainable[i].data(), layout[i].offset);
      const replies = Promise.all(
        workers.map((w, k) =>
          w.request({
            type: 'init',
            backend: opts.backend,
            encoder: opts.encoder,
            headConfig: opts.head.config,
            freeze: opts.freeze,
            ids,
            labels: [...opts.data.labels],
            ...(states
              ? { states: { buffer: states.buffer, rows: states.rows, fill: states.fills[k + 1] ?? [] } }
              : {}),
            layout,
            weights: weights.buffer,
            grads: grads[k].buffer,
          }),
        ),
      );
      // Awaited below; a failure of this thread's fill must not leave it unhandled meanwhile.
      replies.catch(() => undefined);
      if (split && states) await fillOwnShare(split, ids, states);
      (await replies).forEach((r, k) => checkWorkerShapes(r, layout, k + 1));
    } catch (e) {
      await stop();
      throw e;
    }
    const stateCache = states ? sharedStateCache(states, ids, (performance.now() - started) / 1000) : undefined;
    const local = await fullModeSpec(opts.trainable, opts.head, opts.data, opts.freeze, {
      rows,
      ...(stateCache ? { stateCache } : { cacheFrozenStates: false }),
    });
    if (local.variables.some((v, i) => v !== trainable[i])) {
      await stop();
      throw new TrainingFailedError('full mode trains other variables than the ones shared with the workers');
    }
    return new DataParallelFullMode(local, workers, layout, weights, grads);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  private async gradients(indices: number[], posWeight: number, totalWeight: number): Promise<PartGradients> {
    const parts = splitBatch(indices, this.threads, this.local.lengthOf);
    // Workers first: they run while this thread computes its own part.
    const remote = parts
      .slice(1)
      .map((part, k) =>
        this.workers[k].request({ type: 'grads', version: this.version, indices: part, posWeight, totalWeight }),
      );
    const mine = await partGradients(this.local, parts[0], posWeight, totalWeight);
    const replies = await Promise.all(remote);
    let loss = mine.loss;
    const sums = tf.tidy(() =>
      mine.grads.map((g, i) => {
        const { offset, size, shape } = this.layout[i];
        let sum = g;
        replies.forEach((r, k) => (sum = tf.add(sum, tf.tensor(this.grads[k].subarray(offset, offset + size), shape))));
        return sum;
      }),
    );
    tf.dispose(mine.grads);
    for (const r of replies) if (r.type === 'grads') loss += r.loss;
    return { loss, grads: sums };
  }

  private async predict(indices: number[]): Promise<Float32Array> {
    const chunk = Math.ceil(indices.length / this.threads);
    const parts = Array.from({ length: this.threads }, (_, t) => indices.slice(t * chunk, (t + 1) * chunk));
    const remote = parts
      .slice(1)
      .map((part, k) => this.workers[k].request({ type: 'predict', version: this.version, indices: part }));
    const mine = await this.local.predict(parts[0]);
    const out = new Float32Array(indices.length);
    out.set(mine, 0);
    (await Promise.all(remote)).forEach((r, k) => {
      if (r.type !== 'probs') throw new TrainingFailedError(`gradient worker ${k + 1} answered ${r.type} to predict`);
      if (r.probs.length > 0) out.set(r.probs, (k + 1) * chunk);
    });
    return out;
  }

  /** Writes this thread's weights where the workers read them; each syncs before its next request. */
  private async publishWeights(): Promise<void> {
    const vars = this.local.variables;
    for (let i = 0; i < vars.length; i++) this.weights.set(await vars[i].data(), this.layout[i].offset);
    this.version++;
  }

  /** Test hook: the worker thread `index` (1-based) dies as a crash would. */
  crashWorkerForTest(index: number): Promise<void> {
    return this.workers[index - 1].crashForTest();
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.dispose()));
  }
}
