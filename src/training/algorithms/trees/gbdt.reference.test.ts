import { describe, expect, it } from 'vitest';
import { fitGbdt } from './gbdt.js';
import { dataOf, flat, GBDT_CASES, matrixOf, paramsOf } from './gbdt-reference.fixture.js';

const maxAbsDiff = (a: Float64Array, b: Float64Array) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

/**
 * Each case is fitted by scikit-learn 1.2.1 (test/fixtures/gbdt-reference.py): numeric features,
 * missing values in training (routed by the split search) and only at prediction (sent where most
 * samples went), native categorical splits (penguins' Island and Sex, and a 30-level feature with an
 * unordered effect), regression, multiclass, depth limits, L2, and early stopping on the rows
 * scikit-learn held out. The binning, the split search and the leaf values follow scikit-learn's
 * arithmetic, so the predictions agree to rounding.
 */
describe('gradient-boosted trees agree with scikit-learn HistGradientBoosting', () => {
  for (const c of GBDT_CASES) {
    it(c.name, () => {
      const validation = new Set(c.validation_rows ?? []);
      const fitRows = c.train.filter((r) => !validation.has(r));
      const model = fitGbdt(dataOf(c, fitRows), paramsOf(c), {
        seed: 0,
        ...(validation.size ? { validation: dataOf(c, [...validation]) } : {}),
      });
      const scale = c.task === 'regression' ? Math.max(...c.y.map(Math.abs)) : 1;
      const trainDiff = maxAbsDiff(model.predict(matrixOf(c, c.train)), flat(c.train_predictions)) / scale;
      const testDiff = maxAbsDiff(model.predict(matrixOf(c, c.test)), flat(c.test_predictions)) / scale;
      // The same trees, split for split: only the last bits of the sums may differ.
      expect(model.iterations).toBe(c.n_iter);
      expect(trainDiff).toBeLessThan(1e-12);
      expect(testDiff).toBeLessThan(1e-12);
    });
  }
});
