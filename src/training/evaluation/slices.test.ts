import { describe, expect, it } from 'vitest';
import {
  expectAgreement,
  f64,
  type ReferenceSlices,
  reference,
  weightsOf,
} from './evaluation-reference.fixture.js';
import { metricsBySlice, type SliceKeys } from './index.js';

/** The fixture writes missing numeric keys as null: NaN in a Float64Array. */
function keysOf(slices: ReferenceSlices<unknown>): SliceKeys {
  return typeof slices.keys.find((k) => k !== null) === 'string'
    ? (slices.keys as (string | null)[])
    : Float64Array.from(slices.keys, (k) => (k === null ? Number.NaN : (k as number)));
}

describe('metrics per slice agree with scikit-learn on each slice', () => {
  it('cover string keys, numeric keys with missing values, a small slice and weights', () => {
    const all = [...reference.classification, ...reference.regression].filter((c) => c.slices);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.some((c) => c.slices!.keys.includes(null) && c.weights !== null)).toBe(true);
    expect(all.some((c) => c.slices!.expected.some((s) => s.metrics === null))).toBe(true);
  });

  for (const c of reference.classification.filter((r) => r.slices)) {
    it(c.name, () => {
      const slices = metricsBySlice(c.task, f64(c.yTrue), f64(c.probabilities), keysOf(c.slices!), {
        classes: c.classes,
        weights: weightsOf(c),
        minRows: c.slices!.minRows,
      });
      expect(slices.map((s) => [s.key, s.rows])).toEqual(c.slices!.expected.map((s) => [s.key, s.rows]));
      expectAgreement(slices, c.slices!.expected, c.name);
    });
  }

  for (const c of reference.regression.filter((r) => r.slices)) {
    it(c.name, () => {
      const slices = metricsBySlice('regression', f64(c.yTrue), f64(c.yPred), keysOf(c.slices!), {
        weights: weightsOf(c),
        minRows: c.slices!.minRows,
      });
      expectAgreement(slices, c.slices!.expected, c.name);
    });
  }
});

describe('metricsBySlice', () => {
  const y = f64([1, 2, 3, 4, 5, 6]);
  const p = f64([1, 2, 3, 4, 5, 7]);

  it('orders keys ascending with the missing key last, and merges 0 with -0', () => {
    const text = metricsBySlice('regression', y, p, ['b', null, 'a', 'b', 'B', null], { minRows: 1 });
    expect(text.map((s) => [s.key, s.rows])).toEqual([
      ['B', 1],
      ['a', 1],
      ['b', 2],
      [null, 2],
    ]);
    const numbers = metricsBySlice('regression', y, p, f64([10, Number.NaN, 2, -0, 0, 10]), { minRows: 1 });
    expect(numbers.map((s) => [s.key, s.rows])).toEqual([
      [0, 2],
      [2, 1],
      [10, 2],
      [null, 1],
    ]);
    expect(Object.is(numbers[0]!.key, 0)).toBe(true);
  });

  it('reports a slice under minRows (default 30) with its count and no metrics', () => {
    const slices = metricsBySlice('regression', y, p, ['a', 'a', 'a', 'a', 'b', 'b'], { minRows: 3 });
    expect(slices[0]!.metrics?.maxError).toBe(0);
    expect(slices[1]).toEqual({ key: 'b', rows: 2, metrics: null });
    expect(metricsBySlice('regression', y, p, f64([0, 0, 0, 0, 0, 0]))[0]!.metrics).toBeNull();
  });

  it('gives no metrics to a slice whose rows all weigh 0', () => {
    const slices = metricsBySlice('regression', y, p, ['a', 'a', 'a', 'b', 'b', 'b'], {
      minRows: 1,
      weights: f64([1, 1, 1, 0, 0, 0]),
    });
    expect(slices[1]).toEqual({ key: 'b', rows: 3, metrics: null });
  });

  it('keeps only the classification KPIs, no curves', () => {
    const slices = metricsBySlice(
      'binary',
      f64([0, 1, 1, 0]),
      f64([0.9, 0.1, 0.3, 0.7, 0.2, 0.8, 0.6, 0.4]),
      ['x', 'x', 'x', 'x'],
      { minRows: 1 },
    );
    expect(slices[0]!.metrics).toMatchObject({ accuracy: 1, rocAuc: 1 });
    expect(slices[0]!.metrics).not.toHaveProperty('rocCurves');
  });

  it('rejects keys of another length and a bad minRows', () => {
    expect(() => metricsBySlice('regression', y, p, ['a'])).toThrow(/keys has 1 values for 6 rows/);
    expect(() => metricsBySlice('regression', y, p, f64([1, 1, 1, 1, 1, 1]), { minRows: 0 })).toThrow(
      /minRows/,
    );
  });
});
