import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from './lbfgs.js';

describe('minimizeLbfgs', () => {
  it('minimizes a convex quadratic to the gradient tolerance', () => {
    // f = sum_i c_i (x_i - i)^2 / 2 with condition number 1000.
    const n = 20;
    const c = Float64Array.from({ length: n }, (_, i) => 10 ** ((3 * i) / (n - 1)));
    const f = (x: Float64Array, g: Float64Array) => {
      let v = 0;
      for (let i = 0; i < n; i++) {
        const d = x[i]! - i;
        v += (c[i]! * d * d) / 2;
        g[i] = c[i]! * d;
      }
      return v;
    };
    const r = minimizeLbfgs(f, new Float64Array(n), { gtol: 1e-9, ftol: 0 });
    expect(r.stop).toBe('gradient');
    for (let i = 0; i < n; i++) expect(r.x[i]).toBeCloseTo(i, 8);
  });

  it('stops at once when the start is already optimal', () => {
    const flat = (_x: Float64Array, g: Float64Array) => {
      g.fill(0);
      return 0;
    };
    const r = minimizeLbfgs(flat, new Float64Array(3));
    expect(r).toMatchObject({ iterations: 0, evaluations: 1, stop: 'gradient' });
  });

  it('stops when onIteration returns false, keeping the current point', () => {
    const f = (x: Float64Array, g: Float64Array) => {
      g[0] = 2 * (x[0]! - 3) * (1 + x[0]! ** 2 / 10) + ((x[0]! - 3) ** 2 * x[0]!) / 5;
      return (x[0]! - 3) ** 2 * (1 + x[0]! ** 2 / 10);
    };
    const r = minimizeLbfgs(f, new Float64Array(1), { onIteration: (i) => i < 1 });
    expect(r.stop).toBe('callback');
    expect(r.iterations).toBe(1);
    expect(r.x[0]).not.toBe(0);
  });

  it('ends with line_search when no step decreases a function without memory to drop', () => {
    // A gradient that lies: it points uphill, so no step satisfies sufficient decrease.
    const lying = (x: Float64Array, g: Float64Array) => {
      g[0] = -1;
      return x[0]! ** 2 + x[0]! + 1;
    };
    const r = minimizeLbfgs(lying, Float64Array.of(0), { maxLineSearch: 5 });
    expect(r.stop).toBe('line_search');
    expect(r.x[0]).toBe(0);
  });

  it('does not modify x0', () => {
    const x0 = Float64Array.of(1, 2);
    const bowl = (x: Float64Array, g: Float64Array) => {
      g[0] = 2 * x[0]!;
      g[1] = 2 * x[1]!;
      return x[0]! ** 2 + x[1]! ** 2;
    };
    minimizeLbfgs(bowl, x0);
    expect(Array.from(x0)).toEqual([1, 2]);
  });
});
