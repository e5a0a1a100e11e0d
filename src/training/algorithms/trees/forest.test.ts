import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCyclopsError } from '../../../core/index.js';
import { classificationMetrics, regressionMetrics } from '../../evaluation/index.js';
import { fitForest, loadForest } from './forest.js';
import { dataOf, GBDT_CASES, matrixOf } from './gbdt-reference.fixture.js';

interface ForestCase {
  name: string;
  metric: 'roc_auc' | 'accuracy' | 'r2';
  train: number[];
  test: number[];
  sklearn: number;
}
const CASES = (
  JSON.parse(
    readFileSync(new URL('../../../../test/fixtures/forest-reference.json', import.meta.url), 'utf8'),
  ) as {
    cases: ForestCase[];
  }
).cases;

/**
 * Our forests bin features and scikit-learn's split on exact thresholds, so the trees differ; on the
 * same rows the test-set metric (mean of 3 seeds here, of 5 for scikit-learn) must be as good within a
 * small margin.
 */
describe('random forests score like scikit-learn RandomForest on the same data', () => {
  for (const c of CASES) {
    it(`${c.name} (${c.metric})`, () => {
      const data = GBDT_CASES.find((g) => g.name === c.name)!;
      const scores = [0, 1, 2].map((seed) => {
        const model = fitForest(dataOf(data, c.train), { n_estimators: 100 }, { seed });
        const x = matrixOf(data, c.test);
        const y = Float64Array.from(c.test, (r) => data.y[r] as number);
        const p = model.predict(x);
        if (c.metric === 'r2') return regressionMetrics(y, p).r2 as number;
        const m = classificationMetrics(data.task === 'binary' ? 'binary' : 'multiclass', y, p, {
          classes: model.outputs,
        });
        return (c.metric === 'roc_auc' ? m.rocAuc : m.accuracy) as number;
      });
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      const margin = c.metric === 'r2' ? 0.05 : 0.02;
      expect(mean).toBeGreaterThan(c.sklearn - margin);
    });
  }
});

describe('fitForest', () => {
  const cancer = GBDT_CASES.find((g) => g.name === 'breast-cancer-missing')!;
  const penguins = GBDT_CASES.find((g) => g.name === 'penguins-categorical')!;

  it('is deterministic for a seed; batch, row and reloaded predictions agree', () => {
    const data = dataOf(penguins, penguins.train);
    const a = fitForest(data, { n_estimators: 20 }, { seed: 5 });
    const b = fitForest(data, { n_estimators: 20 }, { seed: 5 });
    const x = matrixOf(penguins, penguins.test);
    const batch = a.predict(x);
    expect(Array.from(b.predict(x))).toEqual(Array.from(batch));
    const reloaded = loadForest(JSON.parse(JSON.stringify(a.toJSON())));
    const row = new Float64Array(x.columns);
    const out = new Float64Array(3);
    for (let i = 0; i < x.rows; i++) {
      for (let j = 0; j < x.columns; j++) row[j] = x.values[j * x.rows + i] as number;
      reloaded.predictRow(row, out);
      for (let k = 0; k < 3; k++) expect(out[k]).toBeCloseTo(batch[i * 3 + k] as number, 12);
      expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    }
  });

  it('handles missing values and returns class probabilities for a binary task', () => {
    const model = fitForest(dataOf(cancer, cancer.train), { n_estimators: 30, max_depth: 8 }, { seed: 1 });
    const p = model.predict(matrixOf(cancer, cancer.test));
    expect(model.outputs).toBe(2);
    for (let i = 0; i < cancer.test.length; i++) {
      expect((p[2 * i] as number) + (p[2 * i + 1] as number)).toBeCloseTo(1, 12);
    }
    const y = Float64Array.from(cancer.test, (r) => cancer.y[r] as number);
    expect(classificationMetrics('binary', y, p).rocAuc).toBeGreaterThan(0.97);
  });

  it('refuses bad params and a single-class target', () => {
    const data = dataOf(cancer, cancer.train);
    const fail = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        if (isCyclopsError(err)) return err.message;
      }
      return '';
    };
    expect(fail(() => fitForest(data, { n_estimators: 0 }))).toMatch(/n_estimators: must be >= 1/);
    expect(fail(() => fitForest(data, { max_features: 'half' }))).toMatch(
      /max_features: must be one of auto, sqrt, log2, all/,
    );
    expect(fail(() => fitForest({ ...data, y: new Float64Array(data.y.length) }))).toMatch(/single class/);
  });
});
