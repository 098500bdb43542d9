// Two-sample Kolmogorov–Smirnov statistic: the largest gap between two empirical distribution functions.

/** D = sup |F_a(x) − F_b(x)|, exact over both samples (ties handled by stepping past every equal value); null when either is empty. */
export function ksStatistic(a: readonly number[], b: readonly number[]): number | null {
  const x = a.filter(Number.isFinite).sort((p, q) => p - q);
  const y = b.filter(Number.isFinite).sort((p, q) => p - q);
  if (x.length === 0 || y.length === 0) return null;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * Asymptotic p-value of D for sample sizes n and m (Kolmogorov distribution, Stephens' small-sample correction).
 * Reported beside D for orientation; drift is decided on PSI.
 */
export function ksPValue(d: number, n: number, m: number): number {
  const en = Math.sqrt((n * m) / (n + m));
  const lambda = (en + 0.12 + 0.11 / en) * d;
  if (lambda < 1e-3) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-10) break;
  }
  return Math.min(1, Math.max(0, sum));
}
