import { describe, expect, it } from 'vitest';
import {
  calibrationMismatches,
  expectAgreement,
  f64,
  reference,
  weightsOf,
} from './evaluation-reference.fixture.js';
import { type EvaluationReport, evaluate } from './index.js';

/** Every number finite: the report goes over JSON, where NaN and Infinity are not numbers. */
function nonFinite(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinite(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  }
  return [];
}

const expectPlainJson = (report: EvaluationReport) => {
  expect(nonFinite(report)).toEqual([]);
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);
};

describe('evaluate: the whole report against scikit-learn 1.2.1', () => {
  for (const c of reference.classification) {
    it(c.name, () => {
      const report = evaluate(c.task, f64(c.yTrue), f64(c.probabilities), {
        classes: c.classes,
        weights: weightsOf(c),
      });
      expect(report).toMatchObject({
        task: c.task,
        rows: c.yTrue.length,
        classes: c.classes,
        weighted: c.weights !== null,
      });
      expectAgreement(report.metrics, c.expected.metrics, 'metrics');
      expectAgreement(report.confusionMatrix, c.expected.confusionMatrix, 'confusionMatrix');
      expectAgreement(report.rocCurves, c.expected.rocCurves, 'rocCurves');
      expectAgreement(report.prCurves, c.expected.prCurves, 'prCurves');
      if (c.task === 'binary') {
        expect(calibrationMismatches(report.calibration!, c.expected.calibration!)).toEqual([]);
      } else {
        expect(report.calibration).toBeNull();
      }
      expectPlainJson(report);
    });
  }

  for (const c of reference.regression) {
    it(c.name, () => {
      const report = evaluate('regression', f64(c.yTrue), f64(c.yPred), { weights: weightsOf(c) });
      expect(report).toMatchObject({
        task: 'regression',
        rows: c.yTrue.length,
        weighted: c.weights !== null,
      });
      expectAgreement(report.metrics, c.expected.metrics, 'metrics');
      expectPlainJson(report);
    });
  }
});

describe('evaluate options', () => {
  const c = reference.classification.find((r) => r.name === 'breast_cancer_logistic_weighted')!;
  const full = evaluate('binary', f64(c.yTrue), f64(c.probabilities), { weights: weightsOf(c) });

  it('thins the curves to maxCurvePoints, keeping both ends and the full areas', () => {
    const thin = evaluate('binary', f64(c.yTrue), f64(c.probabilities), {
      weights: weightsOf(c),
      maxCurvePoints: 20,
    });
    const [rocFull, rocThin] = [full.rocCurves[0]!, thin.rocCurves[0]!];
    expect(rocFull.fpr.length).toBeGreaterThan(20);
    expect(rocThin.fpr).toHaveLength(20);
    expect(rocThin.thresholds).toHaveLength(20);
    expect([rocThin.fpr[0], rocThin.fpr.at(-1), rocThin.tpr.at(-1)]).toEqual([0, 1, 1]);
    expect(rocThin.auc).toBe(rocFull.auc);
    const [prFull, prThin] = [full.prCurves[0]!, thin.prCurves[0]!];
    expect(prThin.precision).toHaveLength(20);
    expect(prThin.thresholds).toHaveLength(19);
    expect([prThin.precision.at(-1), prThin.recall.at(-1)]).toEqual([1, 0]);
    expect(prThin.thresholds[0]).toBe(prFull.thresholds[0]);
    expect(prThin.thresholds.at(-1)).toBe(prFull.thresholds.at(-1));
    expect(prThin.averagePrecision).toBe(prFull.averagePrecision);
    expect(() => evaluate('binary', f64([0]), f64([1, 0]), { maxCurvePoints: 1 })).toThrow(/maxCurvePoints/);
  });

  it('takes another number of calibration bins', () => {
    const report = evaluate('binary', f64(c.yTrue), f64(c.probabilities), { calibrationBins: 4 });
    expect(report.calibration!.map((b) => b.upper)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(report.calibration!.reduce((n, b) => n + b.count, 0)).toBe(c.yTrue.length);
  });

  it('derives the number of classes of a multiclass task from the probabilities', () => {
    const iris = reference.classification.find((r) => r.name === 'iris_logistic')!;
    const report = evaluate('multiclass', f64(iris.yTrue), f64(iris.probabilities));
    expect(report.classes).toBe(3);
    expect(report.rocCurves.map((r) => r.positiveClass)).toEqual([0, 1, 2]);
  });
});
