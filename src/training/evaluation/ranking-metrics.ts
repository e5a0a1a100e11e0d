import { invalid } from '../../core/index.js';
import type { ClassificationTask, MetricOptions, PrCurve, RocCurve } from './evaluation.entity.js';
import { checkClassification } from './input-checks.js';

/**
 * ROC and precision-recall curves, their areas, one-vs-rest for multiclass: sklearn 1.2.1's
 * _binary_clf_curve, roc_curve(drop_intermediate=True), precision_recall_curve and
 * average_precision_score, step for step so that the floating-point results agree too.
 */

interface ThresholdCounts {
  /** Cumulative (weighted) false and true positives at each distinct score, scores decreasing. */
  fps: Float64Array;
  tps: Float64Array;
  thresholds: Float64Array;
}

function thresholdCounts(
  yTrue: Float64Array,
  probabilities: Float64Array,
  classes: number,
  positiveClass: number,
  weights: Float64Array | undefined,
): ThresholdCounts {
  const rows = yTrue.length;
  const score = new Float64Array(rows);
  // sklearn drops zero-weight rows before anything else.
  const order = new Uint32Array(rows);
  let n = 0;
  for (let i = 0; i < rows; i++) {
    score[i] = probabilities[i * classes + positiveClass]!;
    if (weights === undefined || weights[i] !== 0) order[n++] = i;
  }
  const live = order.subarray(0, n);
  // Descending score, ties with the later row first: sklearn's reversed stable argsort. The order within
  // a tie decides the weighted cumulative sums' rounding, so it is kept identical.
  live.sort((a, b) => score[b]! - score[a]! || b - a);
  const fps = new Float64Array(n);
  const tps = new Float64Array(n);
  const thresholds = new Float64Array(n);
  let m = 0;
  let tp = 0;
  let fp = 0;
  for (let j = 0; j < n; j++) {
    const i = live[j]!;
    const positive = yTrue[i] === positiveClass;
    if (weights === undefined) {
      if (positive) tp += 1;
    } else if (positive) tp += weights[i]!;
    else fp += weights[i]!;
    if (j === n - 1 || score[live[j + 1]!] !== score[i]) {
      tps[m] = tp;
      fps[m] = weights === undefined ? j + 1 - tp : fp;
      thresholds[m] = score[i]!;
      m++;
    }
  }
  return { fps: fps.subarray(0, m), tps: tps.subarray(0, m), thresholds: thresholds.subarray(0, m) };
}

/** Drops the points on a straight segment (sklearn's zero second difference), then prepends the origin. */
function rocFromCounts(counts: ThresholdCounts, positiveClass: number): RocCurve | null {
  const { fps, tps, thresholds } = counts;
  const m = fps.length;
  const lastFp = m === 0 ? 0 : fps[m - 1]!;
  const lastTp = m === 0 ? 0 : tps[m - 1]!;
  // No negative (or no positive) row: sklearn's rates are NaN, so there is no curve.
  if (!(lastFp > 0 && lastTp > 0)) return null;
  const keep = (j: number): boolean =>
    m <= 2 ||
    j === 0 ||
    j === m - 1 ||
    fps[j + 1]! - fps[j]! - (fps[j]! - fps[j - 1]!) !== 0 ||
    tps[j + 1]! - tps[j]! - (tps[j]! - tps[j - 1]!) !== 0;
  const fpr = [0];
  const tpr = [0];
  const kept = [thresholds[0]! + 1];
  for (let j = 0; j < m; j++) {
    if (!keep(j)) continue;
    fpr.push(fps[j]! / lastFp);
    tpr.push(tps[j]! / lastTp);
    kept.push(thresholds[j]!);
  }
  let auc = 0;
  for (let j = 1; j < fpr.length; j++) auc += ((fpr[j]! - fpr[j - 1]!) * (tpr[j]! + tpr[j - 1]!)) / 2;
  return { positiveClass, fpr, tpr, thresholds: kept, auc };
}

function prFromCounts(counts: ThresholdCounts, positiveClass: number): PrCurve | null {
  const { fps, tps, thresholds } = counts;
  const m = fps.length;
  const lastTp = m === 0 ? 0 : tps[m - 1]!;
  // sklearn sets recall to 1 when there is no positive row and averages a 0 in: we report no curve.
  if (!(lastTp > 0)) return null;
  const precision: number[] = [];
  const recall: number[] = [];
  const kept: number[] = [];
  for (let j = m - 1; j >= 0; j--) {
    const predicted = tps[j]! + fps[j]!;
    precision.push(predicted !== 0 ? tps[j]! / predicted : 0);
    recall.push(tps[j]! / lastTp);
    kept.push(thresholds[j]!);
  }
  precision.push(1);
  recall.push(0);
  let averagePrecision = 0;
  for (let j = 0; j < m; j++) averagePrecision -= (recall[j + 1]! - recall[j]!) * precision[j]!;
  return { positiveClass, precision, recall, thresholds: kept, averagePrecision };
}

export interface ClassCurves {
  positiveClass: number;
  roc: RocCurve | null;
  pr: PrCurve | null;
}

/** Binary: the curves of class 1; multiclass: of every class against the rest. Unchecked input. */
export function oneVsRestCurves(
  task: ClassificationTask,
  yTrue: Float64Array,
  probabilities: Float64Array,
  classes: number,
  weights: Float64Array | undefined,
): ClassCurves[] {
  const out: ClassCurves[] = [];
  for (let c = task === 'binary' ? 1 : 0; c < classes; c++) {
    const counts = thresholdCounts(yTrue, probabilities, classes, c, weights);
    out.push({ positiveClass: c, roc: rocFromCounts(counts, c), pr: prFromCounts(counts, c) });
  }
  return out;
}

/** Macro mean over the classes' areas; undefined as soon as one class's area is. */
export function rankingSummary(curves: readonly ClassCurves[]): {
  rocAuc: number | null;
  averagePrecision: number | null;
} {
  let auc = 0;
  let ap = 0;
  let aucDefined = true;
  let apDefined = true;
  for (const { roc, pr } of curves) {
    if (roc === null) aucDefined = false;
    else auc += roc.auc;
    if (pr === null) apDefined = false;
    else ap += pr.averagePrecision;
  }
  return {
    rocAuc: aucDefined ? auc / curves.length : null,
    averagePrecision: apDefined ? ap / curves.length : null,
  };
}

export interface CurveOptions extends MetricOptions {
  /** The class whose probability column is the score, against all others; default 1. */
  positiveClass?: number;
}

function curveCounts(
  yTrue: Float64Array,
  probabilities: Float64Array,
  options: CurveOptions,
): { counts: ThresholdCounts; positiveClass: number } {
  const classes = checkClassification('multiclass', yTrue, probabilities, options);
  const positiveClass = options.positiveClass ?? 1;
  if (!Number.isInteger(positiveClass) || positiveClass < 0 || positiveClass >= classes) {
    throw invalid(`positiveClass ${positiveClass} is not a class index in 0..${classes - 1}`, {
      field: 'positiveClass',
      value: positiveClass,
    });
  }
  return {
    counts: thresholdCounts(yTrue, probabilities, classes, positiveClass, options.weights),
    positiveClass,
  };
}

/** The ROC curve of one class's probability against all other classes; null when it is undefined. */
export function rocCurve(
  yTrue: Float64Array,
  probabilities: Float64Array,
  options: CurveOptions = {},
): RocCurve | null {
  const { counts, positiveClass } = curveCounts(yTrue, probabilities, options);
  return rocFromCounts(counts, positiveClass);
}

/** The precision-recall curve of one class against all others; null when no row is of that class. */
export function precisionRecallCurve(
  yTrue: Float64Array,
  probabilities: Float64Array,
  options: CurveOptions = {},
): PrCurve | null {
  const { counts, positiveClass } = curveCounts(yTrue, probabilities, options);
  return prFromCounts(counts, positiveClass);
}
