// The one training loop for head and full modes: weighted BCE, AdamW with warm-up/decay, clipping, early stopping on validation ROC-AUC.
import * as tf from '@tensorflow/tfjs';
import { TrainingInterruptedError, ValidationError } from '../../src/errors';
import { rocAuc } from '../../src/metrics';
import { rng, shuffle } from '../../src/sampling/splits';
import { lengthGroupedOrder } from './length-buckets';
import { AdamW, clipByGlobalNorm, warmupLinearDecay } from './adamw';
import { batchWeight, partGradients, type PartGradients } from './batch-gradients';
import { CheckpointStore, type CheckpointState, type EpochRecord } from './checkpoint';

export interface TrainBatch<In> {
  inputs: In;
  labels: tf.Tensor1D;
  dispose(): void;
}

/** What the loop trains: the mode (head or full) decides how inputs become logits. */
export interface TrainSpec<In> {
  variables: tf.Variable[];
  /** Subject to weight decay; biases and norms are usually left out. */
  decayed: tf.Variable[];
  forward(inputs: In): tf.Tensor1D;
  makeBatch(indices: number[]): TrainBatch<In>;
  /** Probabilities for the given rows, for validation. */
  predict(indices: number[]): Promise<Float32Array>;
  /** A row's token count, for specs whose step cost grows with padding (full mode): batches group similar lengths. */
  lengthOf?: (row: number) => number;
  /**
   * The batch's loss and gradients when the spec computes them elsewhere (training/parallel spreads them over worker
   * threads); default partGradients on this thread. Must equal partGradients(spec, indices, posWeight, totalWeight).
   */
  gradients?: (indices: number[], posWeight: number, totalWeight: number) => Promise<PartGradients>;
  /**
   * Called whenever the loop changed the variables — each optimiser step, a resume from a checkpoint, the restore of
   * the best epoch at the end — e.g. to publish the new weights to the workers that compute gradients and predictions.
   */
  weightsChanged?: () => Promise<void>;
}

export interface TrainLoopOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  warmupFraction: number;
  weightDecay: number;
  clipNorm: number;
  /** weight: positives weighted by neg/pos in the loss; sample: batches drawn class-balanced; none. */
  imbalance: 'weight' | 'sample' | 'none';
  /** Epochs without validation ROC-AUC improvement before stopping. */
  patience: number;
  seed: number;
  /** Group rows of similar length into batches when the spec gives lengths (default on); off: random batches. */
  groupByLength?: boolean;
}

export interface StepProgress {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  examplesPerSecond: number;
}

export interface TrainLoopArgs<In> {
  spec: TrainSpec<In>;
  labels: readonly number[];
  train: number[];
  valid: number[];
  options: TrainLoopOptions;
  onStep?: (p: StepProgress) => void;
  onEpoch?: (r: EpochRecord) => void;
  checkpoint?: { store: CheckpointStore; fingerprint: string };
  /** Aborting stops at the next step; the last epoch's checkpoint stays for --resume. */
  signal?: AbortSignal;
}

export { TrainingInterruptedError };

export interface TrainResult {
  history: EpochRecord[];
  bestEpoch: number;
  bestAuc: number;
  stoppedEarly: boolean;
}

export async function trainLoop<In>(args: TrainLoopArgs<In>): Promise<TrainResult> {
  const { spec, labels, train, valid, options: o } = args;
  const pos = train.filter((i) => labels[i] === 1).length;
  const posWeight = o.imbalance === 'weight' && pos > 0 ? (train.length - pos) / pos : 1;
  const stepsPerEpoch = Math.ceil(train.length / o.batchSize);
  const totalSteps = stepsPerEpoch * o.epochs;
  const optimizer = new AdamW({ learningRate: o.learningRate, weightDecay: o.weightDecay });
  let state: CheckpointState = {
    epochsDone: 0,
    bestEpoch: -1,
    bestAuc: -Infinity,
    history: [],
    fingerprint: args.checkpoint?.fingerprint ?? '',
  };
  let best: tf.Tensor[] = spec.variables.map((v) => tf.keep(v.clone()));
  if (args.checkpoint?.store.exists()) {
    state = await resume(args.checkpoint, spec, optimizer, (b) => (best = b), best);
    await spec.weightsChanged?.();
  }

  for (let epoch = state.epochsDone; epoch < o.epochs; epoch++) {
    const started = performance.now();
    let lossSum = 0;
    let seen = 0;
    let order = epochOrder(train, labels, o, epoch);
    if (spec.lengthOf && o.groupByLength !== false) {
      // A batch is a contiguous slice of the order, so the last short batch is the only one not length-grouped.
      order = lengthGroupedOrder(order, o.batchSize, spec.lengthOf, rng(o.seed * 1000 + epoch + 0.5));
    }
    for (let s = 0; s < stepsPerEpoch; s++) {
      const idx = order.slice(s * o.batchSize, (s + 1) * o.batchSize);
      if (idx.length === 0) break;
      if (args.signal?.aborted) throw new TrainingInterruptedError(state.epochsDone);
      optimizer.setLearningRate(
        warmupLinearDecay(
          epoch * stepsPerEpoch + s,
          totalSteps,
          Math.round(totalSteps * o.warmupFraction),
          o.learningRate,
        ),
      );
      const part = await (spec.gradients ?? ((i, p, w) => partGradients(spec, i, p, w)))(
        idx,
        posWeight,
        batchWeight(idx, labels, posWeight),
      );
      const named: tf.NamedTensorMap = {};
      spec.variables.forEach((v, i) => (named[v.name] = part.grads[i]));
      const clipped = clipByGlobalNorm(named, o.clipNorm);
      optimizer.step(clipped.grads, spec.decayed);
      tf.dispose(Object.values(clipped.grads));
      await spec.weightsChanged?.();
      const loss = part.loss;
      lossSum += loss * idx.length;
      seen += idx.length;
      args.onStep?.({
        epoch,
        step: s + 1,
        stepsPerEpoch,
        loss,
        examplesPerSecond: seen / ((performance.now() - started) / 1000),
      });
    }
    const validProbs = await spec.predict(valid);
    const validAuc = rocAuc(
      validProbs,
      valid.map((i) => labels[i]),
    );
    const seconds = (performance.now() - started) / 1000;
    const record: EpochRecord = {
      epoch,
      trainLoss: lossSum / Math.max(seen, 1),
      validAuc,
      seconds,
      examplesPerSecond: seen / seconds,
    };
    state.history.push(record);
    if (validAuc > state.bestAuc) {
      state.bestAuc = validAuc;
      state.bestEpoch = epoch;
      tf.dispose(best);
      best = spec.variables.map((v) => tf.keep(v.clone()));
    }
    state.epochsDone = epoch + 1;
    args.onEpoch?.(record);
    if (args.checkpoint) await saveCheckpoint(args.checkpoint.store, state, spec, optimizer, best);
    if (args.signal?.aborted) throw new TrainingInterruptedError(state.epochsDone);
    if (epoch - state.bestEpoch >= o.patience) break;
  }
  spec.variables.forEach((v, i) => v.assign(best[i]));
  await spec.weightsChanged?.();
  tf.dispose(best);
  optimizer.dispose();
  return {
    history: state.history,
    bestEpoch: state.bestEpoch,
    bestAuc: state.bestAuc,
    stoppedEarly: state.epochsDone < o.epochs,
  };
}

/** Seeded per epoch, so a resumed run sees the same order an uninterrupted one would. */
function epochOrder(train: number[], labels: readonly number[], o: TrainLoopOptions, epoch: number): number[] {
  const random = rng(o.seed * 1000 + epoch);
  if (o.imbalance !== 'sample') return shuffle(train, random);
  const pos = train.filter((i) => labels[i] === 1);
  const neg = train.filter((i) => labels[i] !== 1);
  const half = Math.floor(train.length / 2);
  const draw = (from: number[], n: number) => Array.from({ length: n }, () => from[Math.floor(random() * from.length)]);
  return shuffle([...draw(pos, half), ...draw(neg, train.length - half)], random);
}

async function saveCheckpoint<In>(
  store: CheckpointStore,
  state: CheckpointState,
  spec: TrainSpec<In>,
  optimizer: AdamW,
  best: tf.Tensor[],
): Promise<void> {
  await store.save(state, {
    current: spec.variables.map((v, i) => ({ name: `${i}:${v.name}`, tensor: v })),
    best: best.map((t, i) => ({ name: String(i), tensor: t })),
    optimizer: await optimizer.getWeights(),
  });
}

async function resume<In>(
  ck: NonNullable<TrainLoopArgs<In>['checkpoint']>,
  spec: TrainSpec<In>,
  optimizer: AdamW,
  setBest: (b: tf.Tensor[]) => void,
  oldBest: tf.Tensor[],
): Promise<CheckpointState> {
  const { state, groups } = ck.store.load();
  if (state.fingerprint !== ck.fingerprint) {
    tf.dispose(groups.current.concat(groups.best, groups.optimizer).map((g) => g.tensor));
    throw new ValidationError(
      `--resume: the checkpoint in ${ck.store.dir} was written by a run with other data or options; ` +
        'rerun with the same flags, remove the checkpoint, or use another --out',
      { field: 'resume', file: ck.store.dir },
    );
  }
  spec.variables.forEach((v, i) => v.assign(groups.current[i].tensor));
  tf.dispose(oldBest);
  setBest(groups.best.map((g) => tf.keep(g.tensor)));
  if (groups.optimizer.length) await optimizer.setWeights(groups.optimizer);
  tf.dispose(groups.current.map((g) => g.tensor));
  return state;
}
