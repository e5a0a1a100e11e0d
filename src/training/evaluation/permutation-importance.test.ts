import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../model.entity.js';
import { createRandom } from '../random.js';
import { classificationMetrics, permutationImportance, regressionMetrics } from './index.js';

/** Three numeric columns: x0 and x1 random, x2 constant. */
function matrix(rows: number): FeatureMatrix {
  const rng = createRandom(99);
  const values = new Float64Array(rows * 3);
  for (let i = 0; i < rows * 2; i++) values[i] = rng.next() * 10 - 5;
  values.fill(1.5, rows * 2);
  return { rows, columns: 3, values, names: ['x0', 'x1', 'x2'], categories: [null, null, null] };
}

/** A model that reads column 0 only. */
const linear = (x: FeatureMatrix): Float64Array => x.values.slice(0, x.rows).map((v) => 2 * v + 1);
const negRmse = (y: Float64Array, p: Float64Array) => -regressionMetrics(y, p).rmse;

describe('permutationImportance', () => {
  const x = matrix(200);
  const y = linear(x);

  it('gives the column the model reads a positive importance and exactly 0 to the others', () => {
    const result = permutationImportance(linear, x, y, negRmse, { nRepeats: 4, seed: 3 });
    expect(result.baseline).toBe(-0);
    const [x0, x1, x2] = result.features;
    expect(x0!.feature).toBe('x0');
    expect(x0!.mean).toBeGreaterThan(3);
    expect(x0!.drops).toHaveLength(4);
    expect(x0!.std).toBeGreaterThan(0);
    for (const other of [x1!, x2!])
      expect([other.mean, other.std, ...other.drops]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('is deterministic per seed, varies with it, and leaves the input untouched', () => {
    const before = Float64Array.from(x.values);
    const a = permutationImportance(linear, x, y, negRmse, { seed: 1 });
    const b = permutationImportance(linear, x, y, negRmse, { seed: 1 });
    const c = permutationImportance(linear, x, y, negRmse, { seed: 2 });
    expect(a).toEqual(b);
    expect(a.features[0]!.drops).toHaveLength(5);
    expect(c.features[0]!.drops).not.toEqual(a.features[0]!.drops);
    expect(x.values).toEqual(before);
  });

  it('turns a loss into a positive importance with greaterIsBetter: false', () => {
    const rmse = (t: Float64Array, p: Float64Array) => regressionMetrics(t, p).rmse;
    const result = permutationImportance(linear, x, y, rmse, { greaterIsBetter: false });
    expect(result.features[0]!.mean).toBeGreaterThan(3);
  });

  it('works on a classifier with any KPI as the score', () => {
    const classify = (m: FeatureMatrix): Float64Array => {
      const out = new Float64Array(m.rows * 2);
      for (let i = 0; i < m.rows; i++) {
        const p1 = 1 / (1 + Math.exp(-m.values[i]!));
        out[i * 2] = 1 - p1;
        out[i * 2 + 1] = p1;
      }
      return out;
    };
    const labels = x.values.slice(0, x.rows).map((v) => (v > 0 ? 1 : 0));
    const accuracy = (t: Float64Array, p: Float64Array) => classificationMetrics('binary', t, p).accuracy;
    const result = permutationImportance(classify, x, labels, accuracy, { nRepeats: 3, seed: 11 });
    expect(result.baseline).toBe(1);
    expect(result.features[0]!.mean).toBeGreaterThan(0.3);
    expect(result.features.slice(1).map((f) => f.mean)).toEqual([0, 0]);
  });

  it('rejects mismatched inputs, a bad nRepeats and a non-finite score', () => {
    expect(() => permutationImportance(linear, x, y.subarray(1), negRmse)).toThrow(
      /x has 200 rows but y has 199/,
    );
    expect(() =>
      permutationImportance(linear, { ...x, rows: 0, values: new Float64Array(0) }, y, negRmse),
    ).toThrow(/at least one row/);
    expect(() => permutationImportance(linear, { ...x, columns: 4 }, y, negRmse)).toThrow(/600 values/);
    expect(() => permutationImportance(linear, x, y, negRmse, { nRepeats: 0 })).toThrow(/nRepeats/);
    expect(() => permutationImportance(linear, x, y, () => Number.NaN)).toThrow(/returned NaN/);
  });
});
