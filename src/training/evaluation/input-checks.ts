import { invalid } from '../../core/index.js';
import type { ClassificationTask, MetricOptions } from './evaluation.entity.js';

/**
 * Input checks shared by every metric. A metric computed on a NaN, a shifted array or a label outside the
 * probability columns would be a plausible-looking wrong number, so bad input fails loudly instead.
 */

function checkRows(yTrue: Float64Array): number {
  if (yTrue.length === 0) throw invalid('evaluation needs at least one row', { field: 'yTrue', rows: 0 });
  return yTrue.length;
}

/** Returns the number of classes; checks probabilities (in [0, 1]), class indices and weights. */
export function checkClassification(
  task: ClassificationTask,
  yTrue: Float64Array,
  probabilities: Float64Array,
  options: MetricOptions = {},
): number {
  // Tasks arrive from YAML and HTTP too, where the type is only a hope.
  if (task !== 'binary' && task !== 'multiclass') {
    throw invalid(`task must be 'binary', 'multiclass' or 'regression', got '${task}'`, { field: 'task' });
  }
  const rows = checkRows(yTrue);
  const classes = options.classes ?? (task === 'binary' ? 2 : probabilities.length / rows);
  if (!Number.isInteger(classes) || classes < 2) {
    throw invalid(
      `probabilities hold ${probabilities.length} values for ${rows} rows: not a whole number (>= 2) of classes per row`,
      { field: 'probabilities', rows, values: probabilities.length, classes },
    );
  }
  if (task === 'binary' && classes !== 2) {
    throw invalid(`a binary task has 2 classes, got ${classes}`, { field: 'classes', classes });
  }
  if (probabilities.length !== rows * classes) {
    throw invalid(
      `probabilities hold ${probabilities.length} values; ${rows} rows x ${classes} classes need ${rows * classes}`,
      { field: 'probabilities', rows, classes, expected: rows * classes, actual: probabilities.length },
    );
  }
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    // `!(p >= 0 && p <= 1)` also catches NaN.
    if (!(p >= 0 && p <= 1)) {
      const row = Math.floor(i / classes);
      throw invalid(`probability of class ${i % classes} in row ${row} is ${p}, not in [0, 1]`, {
        field: 'probabilities',
        row,
        class: i % classes,
        value: String(p),
      });
    }
  }
  for (let i = 0; i < rows; i++) {
    const y = yTrue[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw invalid(`yTrue[${i}] is ${y}: a class index must be an integer in 0..${classes - 1}`, {
        field: 'yTrue',
        row: i,
        value: String(y),
        classes,
      });
    }
  }
  checkWeights(options.weights, rows);
  return classes;
}

export function checkRegression(yTrue: Float64Array, yPred: Float64Array, weights?: Float64Array): void {
  const rows = checkRows(yTrue);
  if (yPred.length !== rows) {
    throw invalid(`yTrue has ${rows} rows but yPred has ${yPred.length}`, {
      field: 'yPred',
      expected: rows,
      actual: yPred.length,
    });
  }
  checkFinite(yTrue, 'yTrue');
  checkFinite(yPred, 'yPred');
  checkWeights(weights, rows);
}

function checkFinite(values: Float64Array, field: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw invalid(`${field}[${i}] is ${values[i]}: values must be finite numbers`, {
        field,
        row: i,
        value: String(values[i]),
      });
    }
  }
}

export function checkWeights(weights: Float64Array | undefined, rows: number): void {
  if (weights === undefined) return;
  if (weights.length !== rows) {
    throw invalid(`weights has ${weights.length} values for ${rows} rows`, {
      field: 'weights',
      expected: rows,
      actual: weights.length,
    });
  }
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const w = weights[i]!;
    if (!(Number.isFinite(w) && w >= 0)) {
      throw invalid(`weights[${i}] is ${w}: weights must be finite and >= 0`, {
        field: 'weights',
        row: i,
        value: String(w),
      });
    }
    total += w;
  }
  if (total === 0) throw invalid('weights are all 0: nothing to evaluate', { field: 'weights' });
}
