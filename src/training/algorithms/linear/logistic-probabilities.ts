import { invalid } from '../../../core/index.js';

/**
 * Class probabilities from linear scores, row-major: for two classes one score per row becomes
 * [1 - sigmoid, sigmoid] (as scikit-learn's predict_proba), otherwise each row's scores are replaced
 * by their softmax (in place).
 */
export function toProbabilities(z: Float64Array, rows: number, outputs: number): Float64Array {
  if (outputs === 2) {
    const out = new Float64Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      const p = 1 / (1 + Math.exp(-z[i]!));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  for (let i = 0; i < rows; i++) softmaxRow(z, outputs, i * outputs);
  return z;
}

/** Replaces z[at..at+outputs) by its softmax. */
export function softmaxRow(z: Float64Array, outputs: number, at = 0): void {
  let max = z[at]!;
  for (let c = 1; c < outputs; c++) max = Math.max(max, z[at + c]!);
  let sum = 0;
  for (let c = 0; c < outputs; c++) {
    const e = Math.exp(z[at + c]! - max);
    z[at + c] = e;
    sum += e;
  }
  for (let c = 0; c < outputs; c++) z[at + c] = z[at + c]! / sum;
}

/** Weighted mean of -log p(true class), p clipped at 1e-15 as scikit-learn's log_loss does. */
export function logLoss(
  probabilities: Float64Array,
  y: Float64Array,
  weights: Float64Array | null,
  outputs: number,
): number {
  let total = 0;
  let weight = 0;
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (!(Number.isInteger(c) && c >= 0 && c < outputs)) {
      throw invalid(`the target is ${c} in row ${i}; it must be a class code 0..${outputs - 1}`, {
        field: '/y',
        row: i,
      });
    }
    const w = weights ? weights[i]! : 1;
    total -= w * Math.log(Math.max(probabilities[i * outputs + c]!, 1e-15));
    weight += w;
  }
  return total / weight;
}
