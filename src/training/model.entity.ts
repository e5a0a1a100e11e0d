/**
 * The shapes every training algorithm, evaluator and predictor in training/ shares. Numeric work is on
 * typed arrays, column-major: a model never sees a JS object per row.
 */

/** What a model predicts. `binary` and `multiclass` predict class probabilities. */
export type Task = 'regression' | 'binary' | 'multiclass';

/**
 * Features, column-major: the value of column `j` in row `i` is `values[j * rows + i]`. A missing value
 * is NaN. A categorical column holds category codes 0, 1, 2... (as doubles; NaN when missing), and
 * `categories[j]` names them; a numeric column has `categories[j] === null`.
 */
export interface FeatureMatrix {
  rows: number;
  columns: number;
  values: Float64Array;
  names: string[];
  /** Per column: the category names of a categorical column, or null for a numeric one. */
  categories: (string[] | null)[];
}

/**
 * A table to learn from. `y` is the target: a number per row for regression, or a class index
 * 0..classes.length-1 (as a double) for classification.
 */
export interface TrainingData {
  x: FeatureMatrix;
  y: Float64Array;
  task: Task;
  /** Classification: the class labels, index = class code. */
  classes?: string[];
  /** Optional per-row weights (default 1). */
  weights?: Float64Array;
}

/**
 * Called after each iteration of an iterative algorithm (a boosting round, an optimizer step) with
 * metrics such as `train_loss` and `validation_loss`; returning `false` stops training early (the
 * model keeps what it has). Tuning uses it to prune trials.
 */
export type IterationCallback = (iteration: number, metrics: Record<string, number>) => boolean | undefined;

export interface FitOptions {
  /** Seed of every random choice: the same data, params and seed give the same model. */
  seed?: number;
  /** Held-out data for early stopping and per-iteration validation metrics. */
  validation?: TrainingData;
  onIteration?: IterationCallback;
  signal?: AbortSignal;
  /** Threads the fit may use (default 2, CyclOps' floor of cores); results do not depend on it. */
  threads?: number;
}

/**
 * A fitted model. Predictions are, per row: for regression one value; for classification the
 * probability of each class (`outputs` = number of classes, 2 for binary), in class order.
 */
export interface Predictor {
  readonly task: Task;
  /** Feature names in the order `predict` expects them. */
  readonly featureNames: readonly string[];
  /** Values per row of output: 1 for regression, the number of classes for classification. */
  readonly outputs: number;
  /** A batch: `x.rows * outputs` values, row-major (row i's outputs at [i * outputs, (i + 1) * outputs)). */
  predict(x: FeatureMatrix): Float64Array;
  /** One row (one value per feature, NaN for missing) into `out` (length `outputs`). */
  predictRow(row: Float64Array, out: Float64Array): void;
}

/** A built-in model: a Predictor that can be saved as JSON and loaded back identically. */
export interface Model extends Predictor {
  readonly algorithm: string;
  /** Plain JSON (numbers, strings, arrays, objects): what `load` of the same algorithm takes back. */
  toJSON(): Record<string, unknown>;
  /** Per feature, the total loss reduction of the splits on it (trees), or |coefficient| (linear models). */
  featureImportance?(): Float64Array;
}
