import type { RegressionMetrics } from './evaluation.entity.js';
import { checkRegression } from './input-checks.js';

/** sklearn's mean_absolute_percentage_error floor for a zero target: float64 machine epsilon. */
const MAPE_EPS = 2 ** -52;

/** The regression KPI set, as sklearn 1.2.1 computes each. See evaluation.entity.ts for nulls. */
export function regressionMetrics(
  yTrue: Float64Array,
  yPred: Float64Array,
  options: { weights?: Float64Array } = {},
): RegressionMetrics {
  checkRegression(yTrue, yPred, options.weights);
  return regressionMetricsOf(yTrue, yPred, options.weights);
}

/** Unchecked. */
export function regressionMetricsOf(
  yTrue: Float64Array,
  yPred: Float64Array,
  weights: Float64Array | undefined,
): RegressionMetrics {
  const n = yTrue.length;
  let total = 0;
  let squared = 0;
  let absolute = 0;
  let percentage = 0;
  let maxError = 0;
  let sumTrue = 0;
  let sumDiff = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    const y = yTrue[i]!;
    const e = y - yPred[i]!;
    const a = Math.abs(e);
    total += w;
    squared += e * e * w;
    absolute += a * w;
    percentage += (a / Math.max(Math.abs(y), MAPE_EPS)) * w;
    if (a > maxError) maxError = a;
    sumTrue += y * w;
    sumDiff += e * w;
  }
  const meanTrue = sumTrue / total;
  const meanDiff = sumDiff / total;
  let spread = 0;
  let residualSpread = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    const y = yTrue[i]!;
    spread += (y - meanTrue) ** 2 * w;
    residualSpread += (y - yPred[i]! - meanDiff) ** 2 * w;
  }
  // Constant targets have no variance to explain: sklearn's force_finite would say 1 or 0, we say null.
  const constant = spread === 0;
  return {
    rmse: Math.sqrt(squared / total),
    mae: absolute / total,
    // sklearn: R2 is NaN below two rows.
    r2: n < 2 || constant ? null : 1 - squared / spread,
    mape: percentage / total,
    explainedVariance: constant ? null : 1 - residualSpread / total / (spread / total),
    maxError,
    medianAbsoluteError: medianAbsoluteError(yTrue, yPred, weights),
  };
}

/**
 * Unweighted: numpy's median. Weighted: sklearn's _weighted_percentile(50), the first sorted error whose
 * cumulative weight reaches half the total; with unit weights it is the lower middle, not the mean.
 */
function medianAbsoluteError(yTrue: Float64Array, yPred: Float64Array, weights: Float64Array | undefined) {
  const n = yTrue.length;
  const errors = new Float64Array(n);
  for (let i = 0; i < n; i++) errors[i] = Math.abs(yPred[i]! - yTrue[i]!);
  if (weights === undefined) {
    errors.sort();
    const mid = n >> 1;
    return n % 2 === 1 ? errors[mid]! : (errors[mid - 1]! + errors[mid]!) / 2;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => errors[a]! - errors[b]!);
  let half = 0;
  for (let i = 0; i < n; i++) half += weights[order[i]!]!;
  half *= 0.5;
  let cumulative = 0;
  for (let j = 0; j < n; j++) {
    cumulative += weights[order[j]!]!;
    if (cumulative >= half) return errors[order[j]!]!;
  }
  return errors[order[n - 1]!]!;
}
