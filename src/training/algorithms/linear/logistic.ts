import { invalid } from '../../../core/index.js';
import type { FeatureMatrix, FitOptions, Model, TrainingData } from '../../model.entity.js';
import { checkParams, type ParamSpec } from '../params.js';
import { designOf } from './design.js';
import {
  assertFitFeatures,
  coefficientNames,
  encodingOf,
  encodingOfMatrix,
  importanceByFeature,
  type LinearEncoding,
} from './feature-encoding.js';
import { classLabels, fitCancelled, rowWeights } from './fit-inputs.js';
import { type LbfgsStop, minimizeLbfgs } from './lbfgs.js';
import { batchScores, type LinearScorer, rowScores } from './linear-scores.js';
import { LogisticLoss } from './logistic-loss.js';
import { logLoss, softmaxRow, toProbabilities } from './logistic-probabilities.js';
import { featureList, modelObject, numberArray, stringArray } from './model-json.js';

export const LOGISTIC_ALGORITHM = 'logistic';
const LABEL = 'logistic regression';

export const LOGISTIC_PARAMS: ParamSpec[] = [
  {
    name: 'C',
    type: 'number',
    default: 1,
    min: 0,
    exclusiveMin: true,
    description: 'Inverse L2 penalty strength, as scikit-learn C: smaller means a stronger penalty',
  },
  {
    name: 'max_iter',
    type: 'integer',
    default: 100,
    min: 1,
    description: 'Most L-BFGS iterations',
  },
  {
    name: 'tol',
    type: 'number',
    default: 1e-4,
    min: 0,
    description: 'Stop when no gradient component of the objective exceeds tol (scikit-learn tol)',
  },
];

/** How the optimizer ended; `max_iter` is where scikit-learn warns that it did not converge. */
export interface LogisticFit {
  iterations: number;
  stop: LbfgsStop;
}

export interface LogisticParams {
  C: number;
  max_iter: number;
  tol: number;
}

const STOPS: readonly LbfgsStop[] = ['gradient', 'objective', 'max_iter', 'callback', 'line_search'];

/**
 * L2-penalized logistic regression with an unpenalized intercept, as scikit-learn's
 * LogisticRegression(solver='lbfgs') fits it: binomial for a binary task, multinomial (softmax) for a
 * multiclass one, minimizing sum of log-losses + ||W||^2 / (2C) from zero by L-BFGS (memory 10,
 * More-Thuente line search), stopping at max |gradient| <= tol or after max_iter iterations.
 * Features are not standardized (nor are they by scikit-learn): unscaled columns converge slowly and
 * share one penalty unevenly, so scale them first. Categorical columns are one-hot encoded; a NaN is
 * an error. `options.onIteration` gets `train_loss` (weighted mean log-loss) and, with
 * `options.validation`, `validation_loss` after each iteration.
 */
export function fitLogistic(
  data: TrainingData,
  params: Readonly<Record<string, unknown>> = {},
  options: FitOptions = {},
): LogisticModel {
  const p = checkParams(LABEL, LOGISTIC_PARAMS, params) as unknown as LogisticParams;
  const task = data.task;
  if (task === 'regression') {
    throw invalid(`${LABEL}: predicts classes; for a regression task use ridge regression`, {
      field: '/task',
    });
  }
  const { x, y } = data;
  assertFitFeatures(x, LABEL);
  const weights = rowWeights(data, LABEL);
  const classes = classLabels(data, LABEL);
  const signal = options.signal;
  if (signal?.aborted) throw fitCancelled(LABEL, signal);

  const enc = encodingOfMatrix(x);
  const scores = classes.length === 2 ? 1 : classes.length;
  const loss = new LogisticLoss(designOf(x, enc), enc.width, y, weights, scores, 1 / p.C);
  let totalWeight = 0;
  for (let i = 0; i < weights.length; i++) totalWeight += weights[i]!;

  const modelAt = (w: Float64Array, fit: LogisticFit) => {
    const { coef, intercept } = unpack(w, enc.width, scores);
    return new LogisticModel(enc, coef, intercept, task, classes, p, fit);
  };
  // The point of the last evaluation, which the line search always ends on: the current iterate.
  let point: Float64Array = new Float64Array(loss.size);
  const onIteration = options.onIteration;
  const validation = options.validation;
  const result = minimizeLbfgs(
    (w, grad) => {
      if (signal?.aborted) throw fitCancelled(LABEL, signal);
      point = w;
      return loss.evaluate(w, grad);
    },
    new Float64Array(loss.size),
    {
      gtol: p.tol,
      maxIter: p.max_iter,
      onIteration: onIteration
        ? (iteration) => {
            const metrics: Record<string, number> = { train_loss: loss.dataLoss / totalWeight };
            if (validation) {
              const model = modelAt(point, { iterations: iteration, stop: 'callback' });
              metrics.validation_loss = model.logLoss(validation);
            }
            return onIteration(iteration, metrics);
          }
        : undefined,
    },
  );
  return modelAt(result.x, { iterations: result.iterations, stop: result.stop });
}

/** The optimizer's layout (per score: coefficients, then the intercept) split in two. */
function unpack(w: Float64Array, width: number, scores: number) {
  const coef = new Float64Array(scores * width);
  const intercept = new Float64Array(scores);
  for (let k = 0; k < scores; k++) {
    coef.set(w.subarray(k * (width + 1), k * (width + 1) + width), k * width);
    intercept[k] = w[k * (width + 1) + width]!;
  }
  return { coef, intercept };
}

export function loadLogistic(json: unknown): LogisticModel {
  const obj = modelObject(json, LOGISTIC_ALGORITHM);
  const enc = encodingOf(featureList(obj.features));
  const classes = stringArray(obj.classes, 'classes');
  if (classes.length < 2) throw invalid('classes: expected at least 2', { field: '/classes' });
  const task = obj.task === 'binary' || obj.task === 'multiclass' ? obj.task : null;
  if (!task) throw invalid('task: expected binary or multiclass', { field: '/task' });
  const scores = classes.length === 2 ? 1 : classes.length;
  if (!Array.isArray(obj.coef) || obj.coef.length !== scores) {
    throw invalid(`coef: expected ${scores} rows`, { field: '/coef' });
  }
  const coef = new Float64Array(scores * enc.width);
  obj.coef.forEach((row: unknown, k) => {
    coef.set(numberArray(row, enc.width, `coef/${k}`), k * enc.width);
  });
  const params = checkParams(LABEL, LOGISTIC_PARAMS, obj.params ?? {}) as unknown as LogisticParams;
  const stop = STOPS.find((s) => s === obj.stop) ?? 'max_iter';
  const iterations = typeof obj.n_iter === 'number' ? obj.n_iter : 0;
  return new LogisticModel(
    enc,
    coef,
    numberArray(obj.intercept, scores, 'intercept'),
    task,
    classes,
    params,
    {
      iterations,
      stop,
    },
  );
}

export class LogisticModel implements Model, LinearScorer {
  readonly algorithm = LOGISTIC_ALGORITHM;
  readonly label = LABEL;
  readonly featureNames: readonly string[];
  readonly outputs: number;

  constructor(
    readonly encoding: LinearEncoding,
    /** Per score (1 for binary: class 1's; else one per class), one coefficient per encoded column. */
    readonly coef: Float64Array,
    readonly intercept: Float64Array,
    readonly task: 'binary' | 'multiclass',
    readonly classes: readonly string[],
    readonly params: LogisticParams,
    readonly fit: LogisticFit,
  ) {
    this.featureNames = encoding.features.map((f) => f.name);
    this.outputs = classes.length;
  }

  predict(x: FeatureMatrix): Float64Array {
    return toProbabilities(batchScores(this, x), x.rows, this.outputs);
  }

  predictRow(row: Float64Array, out: Float64Array): void {
    if (this.outputs === 2) {
      rowScores(this, row, out);
      const p = 1 / (1 + Math.exp(-out[0]!));
      out[0] = 1 - p;
      out[1] = p;
      return;
    }
    rowScores(this, row, out);
    softmaxRow(out, this.outputs);
  }

  featureImportance(): Float64Array {
    return importanceByFeature(this.encoding, this.coef, this.intercept.length);
  }

  /** Weighted mean log-loss on `data`. */
  logLoss(data: TrainingData): number {
    return logLoss(this.predict(data.x), data.y, data.weights ?? null, this.outputs);
  }

  toJSON(): Record<string, unknown> {
    const width = this.encoding.width;
    return {
      algorithm: LOGISTIC_ALGORITHM,
      format_version: 1,
      task: this.task,
      classes: [...this.classes],
      params: { ...this.params },
      features: this.encoding.features.map((f) => ({ name: f.name, categories: f.categories })),
      coefficient_names: coefficientNames(this.encoding),
      coef: Array.from({ length: this.intercept.length }, (_, k) =>
        Array.from(this.coef.subarray(k * width, (k + 1) * width)),
      ),
      intercept: Array.from(this.intercept),
      n_iter: this.fit.iterations,
      stop: this.fit.stop,
    };
  }
}
