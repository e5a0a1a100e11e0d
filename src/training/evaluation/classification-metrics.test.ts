import { describe, expect, it } from 'vitest';
import { expectAgreement, f64, reference, weightsOf } from './evaluation-reference.fixture.js';
import { classificationMetrics, confusionMatrix, predictedClasses } from './index.js';

const cases = reference.classification;
const byName = (name: string) => cases.find((c) => c.name === name)!;

describe('classification metrics agree with scikit-learn 1.2.1', () => {
  it('cover ties, a class never predicted, one-class y_true, weights, 3+ classes and real data', () => {
    expect(reference.sklearn).toBe('1.2.1');
    const names = cases.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'breast_cancer_logistic',
        'iris_logistic',
        'ties_on_a_grid',
        'never_predicts_positive',
        'only_negatives',
        'five_class_templates_weighted',
        'class_absent_everywhere',
      ]),
    );
    expect(cases.some((c) => c.classes >= 5 && c.weights !== null)).toBe(true);
  });

  for (const c of cases) {
    it(c.name, () => {
      const options = { classes: c.classes, weights: weightsOf(c) };
      const metrics = classificationMetrics(c.task, f64(c.yTrue), f64(c.probabilities), options);
      expectAgreement(metrics, c.expected.metrics, c.name);
      const matrix = confusionMatrix(f64(c.yTrue), f64(c.probabilities), options);
      if (c.weights === null) expect(matrix).toEqual(c.expected.confusionMatrix);
      else expectAgreement(matrix, c.expected.confusionMatrix, `${c.name} confusion`);
    });
  }
});

describe('undefined metrics', () => {
  const metricsOf = (name: string) => {
    const c = byName(name);
    return classificationMetrics(c.task, f64(c.yTrue), f64(c.probabilities), {
      classes: c.classes,
      weights: weightsOf(c),
    });
  };

  it('one class in y_true: no ROC AUC (sklearn raises), no average precision without positives', () => {
    const negatives = metricsOf('only_negatives');
    expect(negatives.rocAuc).toBeNull();
    expect(negatives.averagePrecision).toBeNull();
    // sklearn returns 0 here with a warning; 0 would read as the worst possible ranking.
    expect(byName('only_negatives').sklearnSubstitutes).toEqual({ averagePrecision: -0 });
    const positives = metricsOf('only_positives');
    expect(positives.rocAuc).toBeNull();
    expect(positives.averagePrecision).toBeCloseTo(1, 12);
  });

  it("kappa is null when both sides hold the same single class, MCC is 0 as sklearn's", () => {
    const m = metricsOf('only_negatives_all_predicted_negative');
    expect(m.cohenKappa).toBeNull();
    expect(m.matthewsCorrcoef).toBe(0);
    expect(m.accuracy).toBe(1);
  });

  it('a class never predicted: its precision counts as 0 in the averages (zero_division)', () => {
    const m = metricsOf('never_predicts_positive');
    expect([m.precision, m.recall, m.f1]).toEqual([0, 0, 0]);
    expect(m.precisionMacro).toBeCloseTo(0.36, 12);
  });

  it('multiclass: macro ROC AUC and average precision are null when a class is absent from y_true', () => {
    const m = metricsOf('class_absent_everywhere');
    expect(m.rocAuc).toBeNull();
    expect(m.averagePrecision).toBeNull();
    // The macro averages run over the classes seen in y_true or predicted: 3 of the 4.
    expect(m.precisionMacro).not.toBeNull();
    expect([m.precision, m.recall, m.f1]).toEqual([null, null, null]);
  });
});

describe('predictedClasses', () => {
  it('takes the argmax, ties to the lower class index as numpy', () => {
    const p = f64([0.4, 0.4, 0.2, 0.1, 0.45, 0.45, 0.2, 0.3, 0.5, 1 / 3, 1 / 3, 1 / 3]);
    expect(Array.from(predictedClasses(p, 3))).toEqual([0, 1, 2, 0]);
  });

  it('rejects a length that is not a multiple of the classes', () => {
    expect(() => predictedClasses(f64([0.5, 0.5, 1]), 2)).toThrow(/not a multiple of 2 classes/);
  });
});
