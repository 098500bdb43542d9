// The boosting loop: bin once, then add one gradient tree per iteration, with row subsampling and early stopping on a validation set.
import { ValidationError } from '../../errors';
import { rng, type Rng } from '../../sampling/splits';
import { binRows, fitBins, type FeatureKind } from './binning';
import { growTree } from './grow-tree';
import { histogramLayout } from './histogram';
import { baseScore, fillGradients, logLoss } from './logistic';
import { resolveParams, type GbdtParams, type GbdtParamsInput } from './params';
import { Tree } from './tree';

export interface LabelledRows {
  /** One row per example; NaN marks a missing numeric, categoricals are non-negative integer codes. */
  x: readonly ArrayLike<number>[];
  /** 0 or 1 per row. */
  y: ArrayLike<number>;
}

export interface GbdtTrainOptions extends LabelledRows {
  kinds: readonly FeatureKind[];
  params?: GbdtParamsInput;
  /** Enables early stopping: trees past the best validation loss are dropped. */
  validation?: LabelledRows;
}

export interface TrainingHistory {
  trainLoss: number[];
  validLoss: number[];
  /** Trees kept; equals the iterations run when there is no validation set. */
  bestIteration: number;
}

export interface TrainedBooster {
  params: GbdtParams;
  baseScore: number;
  trees: Tree[];
  history: TrainingHistory;
}

function check(rows: LabelledRows, width: number, what: string): void {
  if (rows.x.length !== rows.y.length)
    throw new ValidationError(`${what}: ${rows.x.length} rows but ${rows.y.length} labels`);
  if (rows.x.length === 0) throw new ValidationError(`${what}: no rows`);
  for (let i = 0; i < rows.x.length; i++) {
    if (rows.x[i].length !== width)
      throw new ValidationError(`${what} row ${i + 1}: ${rows.x[i].length} values, expected ${width}`, { row: i + 1 });
    if (rows.y[i] !== 0 && rows.y[i] !== 1)
      throw new ValidationError(`${what} row ${i + 1}: label must be 0 or 1, got ${rows.y[i]}`, { row: i + 1 });
  }
}

/** A sorted sample without replacement (sorted keeps histogram passes cache-friendly). */
function sampleRows(n: number, k: number, random: Rng): Uint32Array {
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.subarray(0, k).sort();
}

function addTree(tree: Tree, x: readonly ArrayLike<number>[], raw: Float64Array): void {
  for (let i = 0; i < x.length; i++) raw[i] += tree.predict(x[i]);
}

export function trainGbdt(options: GbdtTrainOptions): TrainedBooster {
  const params = resolveParams(options.params);
  const { x, y, kinds, validation } = options;
  check(options, kinds.length, 'training');
  if (validation) check(validation, kinds.length, 'validation');

  const columns = kinds.map((_, f) => Float64Array.from(x, (row) => row[f]));
  const bins = fitBins({ columns, kinds, maxBins: params.maxBins });
  const binned = binRows(bins, x);
  const layout = histogramLayout(bins);
  const n = x.length;
  const base = baseScore(y);
  const raw = new Float64Array(n).fill(base);
  const validRaw = new Float64Array(validation?.x.length ?? 0).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const allRows = Uint32Array.from({ length: n }, (_, i) => i);
  const sampleSize = Math.max(1, Math.round(params.subsample * n));
  const random = rng(params.seed);
  const trees: Tree[] = [];
  const history: TrainingHistory = { trainLoss: [], validLoss: [], bestIteration: 0 };
  let bestLoss = Infinity;

  for (let it = 0; it < params.maxIterations; it++) {
    fillGradients(raw, y, grad, hess);
    const rows = sampleSize < n ? sampleRows(n, sampleSize, random) : allRows;
    const tree = new Tree(growTree({ binned, bins, layout, grad, hess, rows, params }));
    trees.push(tree);
    addTree(tree, x, raw);
    history.trainLoss.push(logLoss(raw, y));
    if (validation) {
      addTree(tree, validation.x, validRaw);
      const loss = logLoss(validRaw, validation.y);
      history.validLoss.push(loss);
      if (loss < bestLoss - 1e-9) {
        bestLoss = loss;
        history.bestIteration = it + 1;
      } else if (it + 1 - history.bestIteration >= params.earlyStoppingPatience) break;
    } else history.bestIteration = it + 1;
    // A root-only tree means no split helps any more; further trees would only nudge the constant.
    if (tree.size === 1 && sampleSize === n) break;
  }
  return { params, baseScore: base, trees: trees.slice(0, history.bestIteration), history };
}
