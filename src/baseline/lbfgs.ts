// Limited-memory BFGS with a backtracking Armijo line search, for the baseline's smooth convex objective.

export interface LbfgsOptions {
  maxIterations: number;
  /** Pairs of (step, gradient change) kept for the inverse-Hessian estimate. */
  memory?: number;
  /** Stop when the gradient's max-norm falls below this, relative to its start. */
  tolerance?: number;
}

/** `f(x, grad)` returns the objective and writes its gradient into `grad`. Returns the minimiser found. */
export function minimizeLbfgs(
  f: (x: Float64Array, grad: Float64Array) => number,
  start: Float64Array,
  o: LbfgsOptions,
): Float64Array {
  const n = start.length;
  const m = o.memory ?? 10;
  const tol = o.tolerance ?? 1e-6;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let fx = f(x, g);
  const g0 = maxAbs(g) || 1;
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  for (let it = 0; it < o.maxIterations && maxAbs(g) > tol * g0; it++) {
    const d = direction(g, s, y);
    let step = it === 0 ? 1 / Math.max(1, norm(g)) : 1;
    const slope = dot(g, d);
    if (slope >= 0) break;
    const gNew = new Float64Array(n);
    let xNew = new Float64Array(n);
    let fNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      xNew = new Float64Array(n);
      for (let j = 0; j < n; j++) xNew[j] = x[j] + step * d[j];
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < fx)) break;
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      sk[j] = xNew[j] - x[j];
      yk[j] = gNew[j] - g[j];
    }
    if (dot(sk, yk) > 1e-12) {
      s.push(sk);
      y.push(yk);
      if (s.length > m) {
        s.shift();
        y.shift();
      }
    }
    x = xNew;
    g = gNew;
    fx = fNew;
  }
  return x;
}

/** The two-loop recursion: −H·g with H the L-BFGS inverse-Hessian estimate. */
function direction(g: Float64Array, s: Float64Array[], y: Float64Array[]): Float64Array {
  const q = Float64Array.from(g);
  const alpha: number[] = [];
  for (let i = s.length - 1; i >= 0; i--) {
    alpha[i] = dot(s[i], q) / dot(y[i], s[i]);
    axpy(-alpha[i], y[i], q);
  }
  const k = s.length - 1;
  const gamma = k >= 0 ? dot(s[k], y[k]) / dot(y[k], y[k]) : 1;
  for (let j = 0; j < q.length; j++) q[j] *= gamma;
  for (let i = 0; i < s.length; i++) {
    const beta = dot(y[i], q) / dot(y[i], s[i]);
    axpy(alpha[i] - beta, s[i], q);
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j];
  return q;
}

function dot(a: Float64Array, b: Float64Array): number {
  let t = 0;
  for (let j = 0; j < a.length; j++) t += a[j] * b[j];
  return t;
}

function axpy(a: number, x: Float64Array, out: Float64Array): void {
  for (let j = 0; j < out.length; j++) out[j] += a * x[j];
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

function maxAbs(a: Float64Array): number {
  let t = 0;
  for (const v of a) t = Math.max(t, Math.abs(v));
  return t;
}
