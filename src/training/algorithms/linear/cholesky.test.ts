import { describe, expect, it } from 'vitest';
import { choleskySolve } from './cholesky.js';

describe('choleskySolve', () => {
  it('solves a symmetric positive definite system', () => {
    // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], x = [1, -1, 2].
    const a = Float64Array.of(4, 2, 0, 2, 5, 1, 0, 1, 3);
    const x = choleskySolve(a, Float64Array.of(2, -1, 5), 3)!;
    expect(Array.from(x).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1, -1, 2]);
  });

  it('reports a singular or indefinite matrix as null', () => {
    expect(choleskySolve(Float64Array.of(1, 1, 1, 1), Float64Array.of(1, 1), 2)).toBeNull();
    expect(choleskySolve(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1), 2)).toBeNull();
    // Singular up to rounding: the third column is 0.1 * first + 0.2 * second.
    const u = [0.3, 0.7, 1.1, 1.9];
    const v = [1.3, -0.2, 0.4, 2.2];
    const w = u.map((ui, i) => 0.1 * ui + 0.2 * v[i]!);
    const cols = [u, v, w];
    const gram = new Float64Array(9);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) gram[i * 3 + j] = cols[i]!.reduce((s, x, r) => s + x * cols[j]![r]!, 0);
    }
    expect(choleskySolve(gram, Float64Array.of(1, 1, 1), 3)).toBeNull();
  });
});
