import { invalid } from '../../core/index.js';
import type { MetricOptions } from './evaluation.entity.js';
import { checkClassification } from './input-checks.js';

/** The predicted class of each row: the argmax of its probabilities, ties to the lower index (numpy's argmax). */
export function predictedClasses(probabilities: Float64Array, classes: number): Float64Array {
  if (!Number.isInteger(classes) || classes < 2 || probabilities.length % classes !== 0) {
    throw invalid(`probabilities hold ${probabilities.length} values: not a multiple of ${classes} classes`, {
      field: 'probabilities',
      classes,
    });
  }
  const rows = probabilities.length / classes;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const base = i * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (probabilities[base + c]! > probabilities[base + best]!) best = c;
    }
    out[i] = best;
  }
  return out;
}

export interface Tally {
  /** classes x classes, row-major: [true * classes + predicted], weighted sums. */
  matrix: Float64Array;
  /**
   * 1 where the class occurs in y_true or in the predictions, whatever the rows' weights: sklearn's
   * labels=None, the classes a macro average runs over.
   */
  present: Uint8Array;
}

/** Unchecked: class indices must already be valid. */
export function tally(
  yTrue: Float64Array,
  yPred: Float64Array,
  classes: number,
  weights: Float64Array | undefined,
): Tally {
  const matrix = new Float64Array(classes * classes);
  const present = new Uint8Array(classes);
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    matrix[t * classes + p]! += weights === undefined ? 1 : weights[i]!;
    present[t] = 1;
    present[p] = 1;
  }
  return { matrix, present };
}

/** Rows of a row-major square matrix, as plain arrays for JSON. */
export function toRows(matrix: Float64Array, classes: number): number[][] {
  const rows: number[][] = [];
  for (let t = 0; t < classes; t++) rows.push(Array.from(matrix.subarray(t * classes, (t + 1) * classes)));
  return rows;
}

/**
 * classes x classes: rows = true class, columns = predicted class (argmax). Weighted sums when weights
 * are given, as sklearn's confusion_matrix(sample_weight=...).
 */
export function confusionMatrix(
  yTrue: Float64Array,
  probabilities: Float64Array,
  options: MetricOptions = {},
): number[][] {
  const classes = checkClassification('multiclass', yTrue, probabilities, options);
  const { matrix } = tally(yTrue, predictedClasses(probabilities, classes), classes, options.weights);
  return toRows(matrix, classes);
}
