/**
 * The shapes of a model evaluation. Every one of them is plain JSON (numbers, strings, arrays, null): a
 * report is stored as an artifact and sent over HTTP, so an undefined value is `null`, never NaN.
 *
 * Undefined-value conventions, against scikit-learn 1.2.1 (whose numbers all others equal):
 * - `null` where sklearn raises or returns NaN: ROC AUC when y_true holds one class; multiclass
 *   one-vs-rest ROC AUC when a class is absent from y_true; Cohen's kappa when both sides hold one and
 *   the same class (0/0); R2 with fewer than two rows.
 * - `null` where sklearn warns and substitutes a placeholder for the whole metric: average precision
 *   with no positive row (sklearn 0), multiclass macro average precision when a class has no row
 *   (sklearn averages a 0 in), R2 and explained variance of constant targets (sklearn's
 *   `force_finite` gives 1 or 0).
 * - kept as sklearn's defaults: precision, recall and F1 of a class with a zero denominator are 0
 *   (`zero_division="warn"`), then averaged; MCC is 0 when either side holds a single class.
 */
import type { Task } from '../model.entity.js';

export type ClassificationTask = Exclude<Task, 'regression'>;

export interface ClassificationMetrics {
  accuracy: number;
  /** Mean recall over the classes present in y_true. */
  balancedAccuracy: number;
  /** Of the positive class (1); null for multiclass, where sklearn's `average='binary'` does not apply. */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Unweighted mean over the classes that occur in y_true or in the predictions (sklearn's labels=None). */
  precisionMacro: number;
  recallMacro: number;
  f1Macro: number;
  /** Mean weighted by each class's (weighted) count in y_true. */
  precisionWeighted: number;
  recallWeighted: number;
  f1Weighted: number;
  /** Binary: of class 1's probability; multiclass: one-vs-rest, macro. */
  rocAuc: number | null;
  /** Binary: of class 1; multiclass: one-vs-rest, macro. sklearn's step-function average precision. */
  averagePrecision: number | null;
  /** Probabilities clipped to [eps, 1 - eps] (eps = 2^-52, sklearn 1.2's "auto") and rows renormalized. */
  logLoss: number;
  /**
   * Binary: mean of (p1 - y)^2, as sklearn's brier_score_loss. Multiclass (sklearn 1.2 has none): mean over
   * rows of the sum over classes of (p - one-hot)^2, so its range is [0, 2].
   */
  brierScore: number;
  matthewsCorrcoef: number;
  cohenKappa: number | null;
}

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  r2: number | null;
  /** sklearn's mean_absolute_percentage_error: |y - p| / max(|y|, 2^-52), a fraction (not percent). */
  mape: number;
  explainedVariance: number | null;
  /** Unweighted even when weights are given (sklearn's max_error takes none). */
  maxError: number;
  /** Unweighted: the median (mean of the two middle values); weighted: sklearn's lower weighted median. */
  medianAbsoluteError: number;
}

/** sklearn's roc_curve with drop_intermediate=True; `thresholds[0]` is max score + 1 (sklearn 1.2). */
export interface RocCurve {
  positiveClass: number;
  fpr: number[];
  tpr: number[];
  thresholds: number[];
  auc: number;
}

/** sklearn's precision_recall_curve: recall decreasing, a final (precision 1, recall 0) point with no threshold. */
export interface PrCurve {
  positiveClass: number;
  precision: number[];
  recall: number[];
  thresholds: number[];
  averagePrecision: number;
}

/** One bin of sklearn's calibration_curve (uniform bins), empty bins included with null means. */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability of class 1 in the bin. */
  meanPredicted: number | null;
  /** Share of class 1 among the bin's rows. */
  fractionPositive: number | null;
}

export interface ClassificationReport {
  task: ClassificationTask;
  rows: number;
  classes: number;
  weighted: boolean;
  metrics: ClassificationMetrics;
  /** classes x classes, rows = true class, columns = predicted class; weighted sums when weighted. */
  confusionMatrix: number[][];
  /**
   * Binary: the curve of class 1; multiclass: one per class, one-vs-rest. A class whose curve is undefined
   * (ROC: no positive or no negative row; PR: no positive row) has no entry.
   */
  rocCurves: RocCurve[];
  prCurves: PrCurve[];
  /** Binary only (null for multiclass); unweighted, as sklearn's calibration_curve. */
  calibration: CalibrationBin[] | null;
}

export interface RegressionReport {
  task: 'regression';
  rows: number;
  weighted: boolean;
  metrics: RegressionMetrics;
}

export type EvaluationReport = ClassificationReport | RegressionReport;

/** Options every metric function takes. */
export interface MetricOptions {
  /** Classification: the number of classes; default 2 for binary, rows of probabilities / rows otherwise. */
  classes?: number;
  /** Per-row weights (finite, >= 0, not all 0); default 1. */
  weights?: Float64Array;
}
