import { describe, expect, it } from 'vitest';
import { expectAgreement, f64, reference, weightsOf } from './evaluation-reference.fixture.js';
import { precisionRecallCurve, rocCurve } from './index.js';

describe('ROC and precision-recall curves agree with scikit-learn 1.2.1', () => {
  for (const c of reference.classification) {
    it(c.name, () => {
      const positives = c.task === 'binary' ? [1] : Array.from({ length: c.classes }, (_, k) => k);
      for (const positiveClass of positives) {
        const options = { classes: c.classes, weights: weightsOf(c), positiveClass };
        const roc = rocCurve(f64(c.yTrue), f64(c.probabilities), options);
        const pr = precisionRecallCurve(f64(c.yTrue), f64(c.probabilities), options);
        const label = `${c.name} class ${positiveClass}`;
        expectAgreement(
          roc,
          c.expected.rocCurves.find((r) => r.positiveClass === positiveClass) ?? null,
          label,
        );
        expectAgreement(
          pr,
          c.expected.prCurves.find((r) => r.positiveClass === positiveClass) ?? null,
          label,
        );
        // Thresholds are input scores (and max + 1): exact, as are the lengths.
        if (roc !== null) {
          const theirs = c.expected.rocCurves.find((r) => r.positiveClass === positiveClass)!;
          expect(roc.thresholds).toEqual(theirs.thresholds);
        }
      }
    });
  }

  it('has no ROC curve without negatives and no PR curve without positives', () => {
    const y = f64([1, 1, 1]);
    const p = f64([0.2, 0.8, 0.6, 0.4, 0.5, 0.5]);
    expect(rocCurve(y, p)).toBeNull();
    expect(precisionRecallCurve(y, p)?.averagePrecision).toBe(1);
    expect(precisionRecallCurve(f64([0, 0, 0]), p)).toBeNull();
  });

  it('drops the points inside a straight segment, as roc_curve(drop_intermediate=True)', () => {
    // Positives at 0.9, 0.8, 0.7 and a negative at 0.1: the point at 0.8 lies on the segment from 0.9 to 0.7.
    const y = f64([1, 1, 1, 0]);
    const p = f64([0.1, 0.9, 0.2, 0.8, 0.3, 0.7, 0.9, 0.1]);
    const roc = rocCurve(y, p)!;
    expect(roc.fpr).toEqual([0, 0, 0, 1]);
    expect(roc.tpr).toEqual([0, 1 / 3, 1, 1]);
    expect(roc.thresholds).toEqual([1.9, 0.9, 0.7, 0.1]);
    expect(roc.auc).toBe(1);
  });

  it('rejects a positive class outside the probability columns', () => {
    expect(() => rocCurve(f64([0, 1]), f64([0.5, 0.5, 0.5, 0.5]), { positiveClass: 2 })).toThrow(
      /positiveClass 2 is not a class index in 0\.\.1/,
    );
  });
});
