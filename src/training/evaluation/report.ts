import { invalid } from '../../core/index.js';
import type { Task } from '../model.entity.js';
import { calibrationOf, DEFAULT_CALIBRATION_BINS } from './calibration.js';
import { classificationMetricsOf } from './classification-metrics.js';
import { predictedClasses, tally, toRows } from './confusion-matrix.js';
import type {
  ClassificationReport,
  ClassificationTask,
  EvaluationReport,
  MetricOptions,
  PrCurve,
  RegressionReport,
  RocCurve,
} from './evaluation.entity.js';
import { checkClassification, checkRegression } from './input-checks.js';
import { oneVsRestCurves, rankingSummary } from './ranking-metrics.js';
import { regressionMetricsOf } from './regression-metrics.js';

export interface EvaluateOptions extends MetricOptions {
  /**
   * At most this many points per curve, evenly spaced with both ends kept (a curve has up to one point
   * per distinct score, which a large test set makes megabytes of JSON). Areas are always those of the
   * full curve. Default: every point, as sklearn returns them.
   */
  maxCurvePoints?: number;
  /** Calibration bins (uniform); default 10. */
  calibrationBins?: number;
}

/**
 * The KPI set of the task, plus for classification the confusion matrix, ROC and PR curves and (binary)
 * the calibration table. Predictions as a Predictor returns them: one value per row for regression,
 * class probabilities row-major for classification. Permutation importance and slices are separate calls.
 */
export function evaluate(
  task: 'regression',
  yTrue: Float64Array,
  predictions: Float64Array,
  options?: EvaluateOptions,
): RegressionReport;
export function evaluate(
  task: ClassificationTask,
  yTrue: Float64Array,
  predictions: Float64Array,
  options?: EvaluateOptions,
): ClassificationReport;
export function evaluate(
  task: Task,
  yTrue: Float64Array,
  predictions: Float64Array,
  options?: EvaluateOptions,
): EvaluationReport;
export function evaluate(
  task: Task,
  yTrue: Float64Array,
  predictions: Float64Array,
  options: EvaluateOptions = {},
): EvaluationReport {
  const { weights, maxCurvePoints } = options;
  if (maxCurvePoints !== undefined && !(Number.isInteger(maxCurvePoints) && maxCurvePoints >= 2)) {
    throw invalid(`maxCurvePoints must be a whole number >= 2, got ${maxCurvePoints}`, {
      field: 'maxCurvePoints',
      value: maxCurvePoints,
    });
  }
  const bins = options.calibrationBins ?? DEFAULT_CALIBRATION_BINS;
  if (!Number.isInteger(bins) || bins < 1) {
    throw invalid(`calibrationBins must be a whole number >= 1, got ${bins}`, {
      field: 'calibrationBins',
      value: bins,
    });
  }
  if (task === 'regression') {
    checkRegression(yTrue, predictions, weights);
    return {
      task,
      rows: yTrue.length,
      weighted: weights !== undefined,
      metrics: regressionMetricsOf(yTrue, predictions, weights),
    };
  }
  const classes = checkClassification(task, yTrue, predictions, options);
  const curves = oneVsRestCurves(task, yTrue, predictions, classes, weights);
  const metrics = classificationMetricsOf(task, yTrue, predictions, classes, weights, rankingSummary(curves));
  const { matrix } = tally(yTrue, predictedClasses(predictions, classes), classes, weights);
  const max = maxCurvePoints ?? Number.POSITIVE_INFINITY;
  return {
    task,
    rows: yTrue.length,
    classes,
    weighted: weights !== undefined,
    metrics,
    confusionMatrix: toRows(matrix, classes),
    rocCurves: curves.flatMap(({ roc }) => (roc === null ? [] : [thinRoc(roc, max)])),
    prCurves: curves.flatMap(({ pr }) => (pr === null ? [] : [thinPr(pr, max)])),
    calibration: task === 'binary' ? calibrationOf(yTrue, predictions, bins) : null,
  };
}

/** `count` indices spread evenly over 0..length-1, both ends included. */
function spread(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i);
  if (count === 1) return [0];
  return Array.from({ length: count }, (_, i) => Math.round((i * (length - 1)) / (count - 1)));
}

function thinRoc(curve: RocCurve, max: number): RocCurve {
  const keep = spread(curve.fpr.length, max);
  if (keep.length === curve.fpr.length) return curve;
  return {
    ...curve,
    fpr: keep.map((i) => curve.fpr[i]!),
    tpr: keep.map((i) => curve.tpr[i]!),
    thresholds: keep.map((i) => curve.thresholds[i]!),
  };
}

/** The final (precision 1, recall 0) point has no threshold: thin the others, then put it back. */
function thinPr(curve: PrCurve, max: number): PrCurve {
  const withThreshold = curve.thresholds.length;
  const keep = spread(withThreshold, max - 1);
  if (keep.length === withThreshold) return curve;
  return {
    ...curve,
    precision: [...keep.map((i) => curve.precision[i]!), 1],
    recall: [...keep.map((i) => curve.recall[i]!), 0],
    thresholds: keep.map((i) => curve.thresholds[i]!),
  };
}
