// A small L2-regularised logistic regression fitted by Newton's method (IRLS): the combiner of late fusion.
import { z } from 'zod';
import { ValidationError } from '../errors';
import { sigmoid } from './gbdt/logistic';

export const logisticStackerJsonSchema = z
  .strictObject({
    /** Input names, in the order `weights` and every input row follow. */
    names: z.array(z.string().min(1)).min(1),
    intercept: z.number(),
    weights: z.array(z.number()),
    /** Provenance only: the penalty the weights were fitted with. */
    l2: z.number().positive(),
  })
  .refine((s) => s.weights.length === s.names.length, {
    message: 'weights must have one entry per name',
    path: ['weights'],
  });

export type LogisticStackerJson = z.infer<typeof logisticStackerJsonSchema>;

export interface LogisticFitOptions {
  names: readonly string[];
  /** One row per example, one column per name. */
  x: readonly ArrayLike<number>[];
  /** 0/1 labels. */
  y: readonly number[];
  /**
   * Penalty ½·l2·‖w‖² on the summed log loss (default 1, must be > 0): it keeps the optimum finite and unique when the
   * inputs separate the classes or repeat one another. The intercept is never penalised, so it still matches the base rate.
   */
  l2?: number;
  maxIterations?: number;
}

/** Solves A·v = b for a symmetric positive-definite A (Cholesky); null when A is not positive definite. */
function solveSpd(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 1e-12 * Math.max(1, Math.abs(a[i][i])))) return null;
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
  const z1 = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * z1[k];
    z1[i] = s / l[i][i];
  }
  const v = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z1[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * v[k];
    v[i] = s / l[i][i];
  }
  return v;
}

function softplus(m: number): number {
  return Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m)));
}

export class LogisticStacker {
  private constructor(
    readonly names: readonly string[],
    readonly intercept: number,
    readonly weights: readonly number[],
    readonly l2: number,
  ) {}

  static fit(options: LogisticFitOptions): LogisticStacker {
    const { names, x, y } = options;
    const l2 = options.l2 ?? 1;
    const maxIterations = options.maxIterations ?? 100;
    const d = names.length;
    if (!(l2 > 0 && Number.isFinite(l2)))
      throw new ValidationError(`l2 must be a positive number, got ${l2}`, { field: 'l2' });
    if (x.length !== y.length || x.length === 0)
      throw new ValidationError(
        `stacker needs as many labels as rows, and at least one: got ${x.length} rows, ${y.length} labels`,
        { field: 'y' },
      );
    x.forEach((row, i) => {
      if (row.length !== d)
        throw new ValidationError(`stacker row ${i} has ${row.length} values for ${d} names`, { field: 'x', row: i });
      for (let j = 0; j < d; j++)
        if (!Number.isFinite(row[j]))
          throw new ValidationError(`stacker row ${i}: ${names[j]} is not finite`, { field: names[j], row: i });
      if (y[i] !== 0 && y[i] !== 1)
        throw new ValidationError(`stacker label ${i} must be 0 or 1, got ${y[i]}`, { field: 'y', row: i });
    });
    // β[0] is the intercept; starting it at the base rate's log-odds makes the first Newton step a small one.
    const rate = Math.min(Math.max(y.reduce((s, v) => s + v, 0) / y.length, 1e-6), 1 - 1e-6);
    let beta = [Math.log(rate / (1 - rate)), ...new Array<number>(d).fill(0)];
    const raw = (b: number[], row: ArrayLike<number>) => {
      let r = b[0];
      for (let j = 0; j < d; j++) r += b[j + 1] * row[j];
      return r;
    };
    const objective = (b: number[]) => {
      let loss = 0;
      for (let i = 0; i < x.length; i++) loss += softplus(y[i] ? -raw(b, x[i]) : raw(b, x[i]));
      for (let j = 1; j <= d; j++) loss += 0.5 * l2 * b[j] * b[j];
      return loss;
    };
    const fitted = (b: number[]) => new LogisticStacker([...names], b[0], b.slice(1), l2);
    let current = objective(beta);
    for (let iter = 0; iter < maxIterations; iter++) {
      const g = beta.map((b, j) => (j === 0 ? 0 : l2 * b));
      const h = beta.map((_, r) => beta.map((__, c) => (r === c && r > 0 ? l2 : 0)));
      for (let i = 0; i < x.length; i++) {
        const p = sigmoid(raw(beta, x[i]));
        const w = Math.max(p * (1 - p), 1e-12);
        const xi = [1, ...Array.from(x[i])];
        for (let r = 0; r <= d; r++) {
          g[r] += (p - y[i]) * xi[r];
          for (let c = 0; c <= r; c++) h[r][c] += w * xi[r] * xi[c];
        }
      }
      for (let r = 0; r <= d; r++) for (let c = r + 1; c <= d; c++) h[r][c] = h[c][r];
      const step = solveSpd(h, g);
      // Unreachable with l2 > 0 short of overflow; a clear error beats NaN weights.
      if (!step)
        throw new ValidationError('stacker Hessian is not positive definite (inputs too large?)', { field: 'x' });
      // Newton decrement ½·gᵀH⁻¹g: the predicted fall of the objective; tiny means we are at the optimum.
      const decrement = 0.5 * g.reduce((s, gi, j) => s + gi * step[j], 0);
      if (decrement < 1e-10 * Math.max(1, current)) return fitted(beta);
      // Step halving keeps every iteration downhill when the quadratic model overshoots (far from the optimum).
      let t = 1;
      let next = beta.map((b, j) => b - step[j]);
      let value = objective(next);
      while (!(value <= current) && t > 1e-8) {
        t /= 2;
        next = beta.map((b, j) => b - t * step[j]);
        value = objective(next);
      }
      // No step downhill at all: rounding, not the model, is what is left to fit.
      if (!(value <= current)) return fitted(beta);
      beta = next;
      current = value;
    }
    throw new ValidationError(`stacker did not converge in ${maxIterations} Newton steps`, { field: 'maxIterations' });
  }

  /** Log-odds for one row of inputs in `names` order. */
  raw(row: ArrayLike<number>): number {
    if (row.length !== this.weights.length)
      throw new ValidationError(`expected ${this.weights.length} stacker inputs, got ${row.length}`);
    let r = this.intercept;
    for (let j = 0; j < row.length; j++) r += this.weights[j] * row[j];
    return r;
  }

  predict(row: ArrayLike<number>): number {
    return sigmoid(this.raw(row));
  }

  weightOf(name: string): number {
    const j = this.names.indexOf(name);
    if (j < 0) throw new ValidationError(`stacker has no input "${name}"`, { field: name });
    return this.weights[j];
  }

  toJSON(): LogisticStackerJson {
    return { names: [...this.names], intercept: this.intercept, weights: [...this.weights], l2: this.l2 };
  }

  /** From JSON already validated by logisticStackerJsonSchema. */
  static fromJSON(json: LogisticStackerJson): LogisticStacker {
    return new LogisticStacker(json.names, json.intercept, json.weights, json.l2);
  }
}
