import { predictedClasses, type Tally, tally } from './confusion-matrix.js';
import type { ClassificationMetrics, ClassificationTask, MetricOptions } from './evaluation.entity.js';
import { checkClassification } from './input-checks.js';
import { oneVsRestCurves, rankingSummary } from './ranking-metrics.js';

/** sklearn 1.2's log_loss eps="auto": float64 machine epsilon (the 1e-15 default ended with 1.1). */
const LOG_LOSS_EPS = 2 ** -52;

/** The whole classification KPI set. See evaluation.entity.ts for when a value is null. */
export function classificationMetrics(
  task: ClassificationTask,
  yTrue: Float64Array,
  probabilities: Float64Array,
  options: MetricOptions = {},
): ClassificationMetrics {
  const classes = checkClassification(task, yTrue, probabilities, options);
  return classificationMetricsOf(task, yTrue, probabilities, classes, options.weights);
}

/** Unchecked. `ranking` passes areas already computed with the curves, so a report sorts only once. */
export function classificationMetricsOf(
  task: ClassificationTask,
  yTrue: Float64Array,
  probabilities: Float64Array,
  classes: number,
  weights: Float64Array | undefined,
  ranking?: { rocAuc: number | null; averagePrecision: number | null },
): ClassificationMetrics {
  const counts = tally(yTrue, predictedClasses(probabilities, classes), classes, weights);
  const { matrix } = counts;
  const rowSums = new Float64Array(classes);
  const colSums = new Float64Array(classes);
  let total = 0;
  let trace = 0;
  for (let t = 0; t < classes; t++) {
    for (let p = 0; p < classes; p++) {
      const v = matrix[t * classes + p]!;
      rowSums[t]! += v;
      colSums[p]! += v;
      total += v;
    }
    trace += matrix[t * classes + t]!;
  }
  const prf = precisionRecallF1(counts, rowSums, colSums, classes);
  const binary = task === 'binary' ? classScores(matrix[3]!, colSums[1]!, rowSums[1]!) : null;
  const areas = ranking ?? rankingSummary(oneVsRestCurves(task, yTrue, probabilities, classes, weights));
  return {
    accuracy: trace / total,
    balancedAccuracy: balancedAccuracy(matrix, rowSums, classes),
    precision: binary?.precision ?? null,
    recall: binary?.recall ?? null,
    f1: binary?.f1 ?? null,
    ...prf,
    rocAuc: areas.rocAuc,
    averagePrecision: areas.averagePrecision,
    logLoss: logLoss(yTrue, probabilities, classes, weights),
    brierScore: brierScore(task, yTrue, probabilities, classes, weights),
    matthewsCorrcoef: matthews(trace, rowSums, colSums, total),
    cohenKappa: kappa(matrix, rowSums, colSums, total, classes),
  };
}

/** sklearn's zero_division="warn": a ratio with a zero denominator counts as 0. */
function classScores(tp: number, predicted: number, actual: number) {
  const precision = predicted > 0 ? tp / predicted : 0;
  const recall = actual > 0 ? tp / actual : 0;
  const sum = precision + recall;
  return { precision, recall, f1: sum === 0 ? 0 : (2 * precision * recall) / sum };
}

function precisionRecallF1(counts: Tally, rowSums: Float64Array, colSums: Float64Array, classes: number) {
  const { matrix, present } = counts;
  const macro = { precision: 0, recall: 0, f1: 0 };
  const weighted = { precision: 0, recall: 0, f1: 0 };
  let labels = 0;
  let support = 0;
  for (let c = 0; c < classes; c++) {
    if (present[c] === 0) continue;
    const s = classScores(matrix[c * classes + c]!, colSums[c]!, rowSums[c]!);
    const w = rowSums[c]!;
    labels++;
    support += w;
    macro.precision += s.precision;
    macro.recall += s.recall;
    macro.f1 += s.f1;
    weighted.precision += s.precision * w;
    weighted.recall += s.recall * w;
    weighted.f1 += s.f1 * w;
  }
  return {
    precisionMacro: macro.precision / labels,
    recallMacro: macro.recall / labels,
    f1Macro: macro.f1 / labels,
    precisionWeighted: weighted.precision / support,
    recallWeighted: weighted.recall / support,
    f1Weighted: weighted.f1 / support,
  };
}

/** Mean recall over the classes with weight in y_true: sklearn drops the NaN of the others. */
function balancedAccuracy(matrix: Float64Array, rowSums: Float64Array, classes: number): number {
  let sum = 0;
  let n = 0;
  for (let c = 0; c < classes; c++) {
    if (rowSums[c]! > 0) {
      sum += matrix[c * classes + c]! / rowSums[c]!;
      n++;
    }
  }
  return sum / n;
}

function matthews(trace: number, rowSums: Float64Array, colSums: Float64Array, total: number): number {
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let c = 0; c < rowSums.length; c++) {
    tp += rowSums[c]! * colSums[c]!;
    pp += colSums[c]! * colSums[c]!;
    tt += rowSums[c]! * rowSums[c]!;
  }
  const covYtYp = trace * total - tp;
  const covYpYp = total * total - pp;
  const covYtYt = total * total - tt;
  return covYpYp * covYtYt === 0 ? 0 : covYtYp / Math.sqrt(covYtYt * covYpYp);
}

/** sklearn's formula: 1 - observed disagreement / disagreement expected from the marginals. */
function kappa(
  matrix: Float64Array,
  rowSums: Float64Array,
  colSums: Float64Array,
  total: number,
  classes: number,
): number | null {
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < classes; i++) {
    for (let j = 0; j < classes; j++) {
      if (i === j) continue;
      observed += matrix[i * classes + j]!;
      expected += (colSums[i]! * rowSums[j]!) / total;
    }
  }
  const value = 1 - observed / expected;
  return Number.isFinite(value) ? value : null;
}

/** Clipped to [eps, 1 - eps], then each row renormalized, as sklearn 1.2.1 does. */
function logLoss(
  yTrue: Float64Array,
  probabilities: Float64Array,
  classes: number,
  weights: Float64Array | undefined,
): number {
  let loss = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const base = i * classes;
    let rowSum = 0;
    for (let c = 0; c < classes; c++) rowSum += clip(probabilities[base + c]!);
    const w = weights === undefined ? 1 : weights[i]!;
    loss += -Math.log(clip(probabilities[base + yTrue[i]!]!) / rowSum) * w;
    total += w;
  }
  return loss / total;
}

const clip = (p: number): number => Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);

function brierScore(
  task: ClassificationTask,
  yTrue: Float64Array,
  probabilities: Float64Array,
  classes: number,
  weights: Float64Array | undefined,
): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    let squares = 0;
    if (task === 'binary') {
      squares = ((yTrue[i] === 1 ? 1 : 0) - probabilities[i * 2 + 1]!) ** 2;
    } else {
      for (let c = 0; c < classes; c++) {
        squares += (probabilities[i * classes + c]! - (yTrue[i] === c ? 1 : 0)) ** 2;
      }
    }
    sum += squares * w;
    total += w;
  }
  return sum / total;
}
