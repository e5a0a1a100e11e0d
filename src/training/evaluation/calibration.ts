import { invalid } from '../../core/index.js';
import type { CalibrationBin } from './evaluation.entity.js';
import { checkClassification } from './input-checks.js';

export const DEFAULT_CALIBRATION_BINS = 10;

/**
 * sklearn's calibration_curve(strategy='uniform') of class 1's probability, with the row count of every
 * bin and the empty bins kept (null means) so that a chart has a fixed x axis. Unweighted, as sklearn's.
 */
export function calibrationTable(
  yTrue: Float64Array,
  probabilities: Float64Array,
  options: { bins?: number } = {},
): CalibrationBin[] {
  checkClassification('binary', yTrue, probabilities);
  const bins = options.bins ?? DEFAULT_CALIBRATION_BINS;
  if (!Number.isInteger(bins) || bins < 1) {
    throw invalid(`bins must be a whole number >= 1, got ${bins}`, { field: 'bins', value: bins });
  }
  return calibrationOf(yTrue, probabilities, bins);
}

/** Unchecked: binary probabilities, row-major, 2 per row. */
export function calibrationOf(
  yTrue: Float64Array,
  probabilities: Float64Array,
  bins: number,
): CalibrationBin[] {
  // numpy's linspace(0, 1, bins + 1) computes i * (1 / bins): 3 * 0.1 is 0.30000000000000004, not 0.3,
  // and a probability of exactly 0.3 therefore falls in the bin below it, as in sklearn.
  const step = 1 / bins;
  const edge = (i: number): number => (i === bins ? 1 : i * step);
  const counts = new Float64Array(bins);
  const sums = new Float64Array(bins);
  const positives = new Float64Array(bins);
  for (let i = 0; i < yTrue.length; i++) {
    const p = probabilities[i * 2 + 1]!;
    // searchsorted(inner edges, p, 'left'): the number of inner edges strictly below p.
    let b = Math.min(bins - 1, Math.floor(p * bins));
    while (b > 0 && edge(b) >= p) b--;
    while (b < bins - 1 && edge(b + 1) < p) b++;
    counts[b]! += 1;
    sums[b]! += p;
    if (yTrue[i] === 1) positives[b]! += 1;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const count = counts[b]!;
    out.push({
      lower: edge(b),
      upper: edge(b + 1),
      count,
      meanPredicted: count > 0 ? sums[b]! / count : null,
      fractionPositive: count > 0 ? positives[b]! / count : null,
    });
  }
  return out;
}
