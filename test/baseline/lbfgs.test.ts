// L-BFGS finds the known minimisers of a convex quadratic and of the (non-convex) Rosenbrock valley.
import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from '../../src/baseline/lbfgs';

describe('minimizeLbfgs', () => {
  it('solves an ill-conditioned quadratic: A x = b', () => {
    const diag = [1, 10, 100, 1000];
    const b = [1, -2, 3, -4];
    const x = minimizeLbfgs(
      (v, g) => {
        let f = 0;
        v.forEach((vi, i) => {
          f += 0.5 * diag[i] * vi * vi - b[i] * vi;
          g[i] = diag[i] * vi - b[i];
        });
        return f;
      },
      new Float64Array(4),
      { maxIterations: 200, tolerance: 1e-10 },
    );
    x.forEach((xi, i) => expect(xi).toBeCloseTo(b[i] / diag[i], 6));
  });

  it('walks the Rosenbrock valley to (1, 1)', () => {
    const x = minimizeLbfgs(
      (v, g) => {
        const [a, c] = v;
        g[0] = -2 * (1 - a) - 400 * a * (c - a * a);
        g[1] = 200 * (c - a * a);
        return (1 - a) ** 2 + 100 * (c - a * a) ** 2;
      },
      Float64Array.from([-1.2, 1]),
      { maxIterations: 500, tolerance: 1e-10 },
    );
    expect(x[0]).toBeCloseTo(1, 4);
    expect(x[1]).toBeCloseTo(1, 4);
  });
});
