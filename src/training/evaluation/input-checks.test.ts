import { describe, expect, it } from 'vitest';
import { CyclopsError } from '../../core/index.js';
import {
  classificationMetrics,
  confusionMatrix,
  evaluate,
  metricsBySlice,
  regressionMetrics,
} from './index.js';

const f64 = (values: readonly number[]) => Float64Array.from(values);

/** The thrown error: an invalid_argument CyclopsError naming the offending field. */
function failure(run: () => unknown): CyclopsError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CyclopsError);
    expect((err as CyclopsError).code).toBe('invalid_argument');
    return err as CyclopsError;
  }
  throw new Error('expected a CyclopsError, nothing was thrown');
}

describe('bad input fails with a clear invalid_argument error', () => {
  it('empty input', () => {
    for (const run of [
      () => evaluate('binary', f64([]), f64([])),
      () => evaluate('regression', f64([]), f64([])),
      () => metricsBySlice('multiclass', f64([]), f64([]), []),
    ]) {
      const err = failure(run);
      expect(err.message).toBe('evaluation needs at least one row');
      expect(err.details).toEqual({ field: 'yTrue', rows: 0 });
    }
  });

  it('regression lengths that differ', () => {
    const err = failure(() => regressionMetrics(f64([1, 2, 3]), f64([1, 2])));
    expect(err.message).toBe('yTrue has 3 rows but yPred has 2');
    expect(err.details).toMatchObject({ field: 'yPred', expected: 3, actual: 2 });
  });

  it('probabilities whose rows do not match y_true', () => {
    const binary = failure(() => evaluate('binary', f64([0, 1, 1]), f64([0.5, 0.5, 0.2, 0.8])));
    expect(binary.message).toBe('probabilities hold 4 values; 3 rows x 2 classes need 6');
    expect(binary.details).toMatchObject({ field: 'probabilities', expected: 6, actual: 4 });
    const given = failure(() =>
      classificationMetrics('multiclass', f64([0, 1]), f64([1, 0, 0, 0, 1]), { classes: 3 }),
    );
    expect(given.message).toBe('probabilities hold 5 values; 2 rows x 3 classes need 6');
    const derived = failure(() => evaluate('multiclass', f64([0, 1]), f64([1, 0, 0, 0, 1])));
    expect(derived.message).toMatch(/5 values for 2 rows: not a whole number \(>= 2\) of classes per row/);
    const twoClasses = failure(() => evaluate('binary', f64([0]), f64([0.2, 0.3, 0.5]), { classes: 3 }));
    expect(twoClasses.message).toBe('a binary task has 2 classes, got 3');
  });

  it('NaN or infinite predictions', () => {
    const prob = failure(() => evaluate('binary', f64([0, 1]), f64([0.5, 0.5, Number.NaN, 0.3])));
    expect(prob.message).toBe('probability of class 0 in row 1 is NaN, not in [0, 1]');
    expect(prob.details).toEqual({ field: 'probabilities', row: 1, class: 0, value: 'NaN' });
    const reg = failure(() => evaluate('regression', f64([1, 2]), f64([1, Number.POSITIVE_INFINITY])));
    expect(reg.message).toBe('yPred[1] is Infinity: values must be finite numbers');
    expect(reg.details).toMatchObject({ field: 'yPred', row: 1 });
    const truth = failure(() => regressionMetrics(f64([Number.NaN]), f64([1])));
    expect(truth.details).toMatchObject({ field: 'yTrue', row: 0 });
  });

  it('probabilities outside [0, 1]', () => {
    const err = failure(() => classificationMetrics('binary', f64([0]), f64([-0.1, 1.1])));
    expect(err.message).toBe('probability of class 0 in row 0 is -0.1, not in [0, 1]');
  });

  it('class indices out of range or not whole', () => {
    const probabilities = f64([0.5, 0.5, 0.5, 0.5]);
    for (const [bad, shown] of [
      [2, '2'],
      [-1, '-1'],
      [0.5, '0.5'],
      [Number.NaN, 'NaN'],
    ] as const) {
      const err = failure(() => evaluate('binary', f64([0, bad]), probabilities));
      expect(err.message).toBe(`yTrue[1] is ${shown}: a class index must be an integer in 0..1`);
      expect(err.details).toEqual({ field: 'yTrue', row: 1, value: shown, classes: 2 });
    }
    const matrix = failure(() => confusionMatrix(f64([3]), f64([0.2, 0.3, 0.5])));
    expect(matrix.message).toBe('yTrue[0] is 3: a class index must be an integer in 0..2');
  });

  it('an unknown task', () => {
    const err = failure(() => evaluate('ranking' as 'binary', f64([0]), f64([0.5, 0.5])));
    expect(err.message).toBe("task must be 'binary', 'multiclass' or 'regression', got 'ranking'");
  });

  it('bad weights', () => {
    const y = f64([1, 2]);
    const cases: [Float64Array, RegExp][] = [
      [f64([1]), /weights has 1 values for 2 rows/],
      [f64([1, -1]), /weights\[1\] is -1: weights must be finite and >= 0/],
      [f64([Number.NaN, 1]), /weights\[0\] is NaN/],
      [f64([0, 0]), /weights are all 0/],
    ];
    for (const [weights, message] of cases) {
      const err = failure(() => evaluate('regression', y, y, { weights }));
      expect(err.message).toMatch(message);
      expect(err.details.field).toBe('weights');
    }
  });
});
