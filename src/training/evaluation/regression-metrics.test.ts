import { describe, expect, it } from 'vitest';
import { expectAgreement, f64, reference, weightsOf } from './evaluation-reference.fixture.js';
import { regressionMetrics } from './index.js';

describe('regression metrics agree with scikit-learn 1.2.1', () => {
  it('cover real predictions, zero targets, weights, constant targets and a single row', () => {
    expect(reference.regression.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'diabetes_ridge',
        'integers_with_zeros_weighted',
        'constant_target',
        'single_row',
      ]),
    );
  });

  for (const c of reference.regression) {
    it(c.name, () => {
      const metrics = regressionMetrics(f64(c.yTrue), f64(c.yPred), { weights: weightsOf(c) });
      expectAgreement(metrics, c.expected.metrics, c.name);
    });
  }

  it('R2 and explained variance are null for constant targets, where sklearn forces 1 or 0', () => {
    const constant = reference.regression.find((c) => c.name === 'constant_target_perfect')!;
    expect(constant.sklearnSubstitutes).toEqual({ r2: 1, explainedVariance: 1 });
    const m = regressionMetrics(f64(constant.yTrue), f64(constant.yPred));
    expect([m.r2, m.explainedVariance, m.rmse]).toEqual([null, null, 0]);
    // One row: sklearn's R2 is NaN.
    expect(regressionMetrics(f64([3]), f64([2.5])).r2).toBeNull();
  });

  it('MAPE divides by machine epsilon for a zero target, as sklearn', () => {
    expect(regressionMetrics(f64([0, 1]), f64([1, 1])).mape).toBe(1 / 2 ** -52 / 2);
  });

  it('the unweighted median averages the two middle errors; the weighted one takes the lower', () => {
    const y = f64([0, 0, 0, 0]);
    const p = f64([1, 2, 3, 4]);
    expect(regressionMetrics(y, p).medianAbsoluteError).toBe(2.5);
    expect(regressionMetrics(y, p, { weights: f64([1, 1, 1, 1]) }).medianAbsoluteError).toBe(2);
    expect(regressionMetrics(y, p, { weights: f64([1, 1, 1, 5]) }).medianAbsoluteError).toBe(4);
  });

  it('max error ignores the weights, as sklearn has none for it', () => {
    const m = regressionMetrics(f64([0, 0]), f64([1, 9]), { weights: f64([1, 0]) });
    expect([m.maxError, m.mae]).toEqual([9, 1]);
  });
});
