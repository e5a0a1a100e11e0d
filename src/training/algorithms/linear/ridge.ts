import { invalid } from '../../../core/index.js';
import type { FeatureMatrix, FitOptions, Model, TrainingData } from '../../model.entity.js';
import { checkParams, type ParamSpec } from '../params.js';
import { choleskySolve } from './cholesky.js';
import { denseDesign } from './design.js';
import {
  assertFitFeatures,
  coefficientNames,
  encodingOf,
  encodingOfMatrix,
  importanceByFeature,
  type LinearEncoding,
} from './feature-encoding.js';
import { assertFiniteTarget, fitCancelled, rowWeights } from './fit-inputs.js';
import { batchScores, type LinearScorer, rowScores } from './linear-scores.js';
import { featureList, modelObject, numberArray, numberField } from './model-json.js';

export const RIDGE_ALGORITHM = 'ridge';
const LABEL = 'ridge regression';

export const RIDGE_PARAMS: ParamSpec[] = [
  {
    name: 'alpha',
    type: 'number',
    default: 1,
    min: 0,
    description: 'L2 penalty strength on the coefficients (not the intercept), as scikit-learn Ridge alpha',
  },
];

export interface RidgeParams {
  alpha: number;
}

/**
 * Ridge regression: least squares plus alpha * ||w||^2, the intercept free, solved exactly as
 * scikit-learn's Ridge(solver='cholesky') does: center X and y (by the weighted means), solve
 * (Xc^T S Xc + alpha I) w = Xc^T S yc by Cholesky (S = the row weights), intercept = mean(y) - mean(X) w.
 * Features are not standardized (nor are they by scikit-learn): scale them first when alpha should
 * weigh the columns alike. Categorical columns are one-hot encoded; a NaN is an error.
 */
export function fitRidge(
  data: TrainingData,
  params: Readonly<Record<string, unknown>> = {},
  options: FitOptions = {},
): RidgeModel {
  const p = checkParams(LABEL, RIDGE_PARAMS, params) as unknown as RidgeParams;
  if (data.task !== 'regression') {
    throw invalid(`${LABEL}: predicts a number; for a ${data.task} task use logistic regression`, {
      field: '/task',
    });
  }
  const { x, y } = data;
  assertFitFeatures(x, LABEL);
  assertFiniteTarget(y, LABEL);
  const weights = rowWeights(data, LABEL);
  if (options.signal?.aborted) throw fitCancelled(LABEL, options.signal);

  const enc = encodingOfMatrix(x);
  const n = x.rows;
  const width = enc.width;
  const design = denseDesign(x, enc);
  let totalWeight = 0;
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    totalWeight += weights[i]!;
    yMean += weights[i]! * y[i]!;
  }
  yMean /= totalWeight;
  const root = weights.map(Math.sqrt);
  const yc = Float64Array.from(y, (v, i) => (v - yMean) * root[i]!);
  const means = new Float64Array(width);
  for (let c = 0; c < width; c++) {
    const column = design.subarray(c * n, (c + 1) * n);
    let s = 0;
    for (let i = 0; i < n; i++) s += weights[i]! * column[i]!;
    means[c] = s / totalWeight;
    for (let i = 0; i < n; i++) column[i] = (column[i]! - means[c]!) * root[i]!;
  }

  const gram = new Float64Array(width * width);
  const rhs = new Float64Array(width);
  for (let a = 0; a < width; a++) {
    const ca = design.subarray(a * n, (a + 1) * n);
    for (let b = 0; b <= a; b++) gram[a * width + b] = dot(ca, design.subarray(b * n, (b + 1) * n));
    gram[a * width + a]! += p.alpha;
    rhs[a] = dot(ca, yc);
  }
  if (options.signal?.aborted) throw fitCancelled(LABEL, options.signal);
  const coef = choleskySolve(gram, rhs, width);
  if (!coef) {
    throw invalid(
      `${LABEL}: X^T X + alpha I is not positive definite (alpha = ${p.alpha} with collinear or constant columns); use alpha > 0`,
      { field: '/params/alpha' },
    );
  }
  let intercept = yMean;
  for (let c = 0; c < width; c++) intercept -= means[c]! * coef[c]!;
  const model = new RidgeModel(enc, coef, Float64Array.of(intercept), p);

  if (options.onIteration) {
    // No iterations: one report, so tracking logs the same metrics as for iterative algorithms.
    const metrics: Record<string, number> = { train_loss: weightedMse(model, x, y, weights) };
    if (options.validation) {
      const v = options.validation;
      metrics.validation_loss = weightedMse(model, v.x, v.y, v.weights ?? null);
    }
    options.onIteration(1, metrics);
  }
  return model;
}

export function loadRidge(json: unknown): RidgeModel {
  const obj = modelObject(json, RIDGE_ALGORITHM);
  const enc = encodingOf(featureList(obj.features));
  const params = (obj.params ?? {}) as Record<string, unknown>;
  const alpha = checkParams(LABEL, RIDGE_PARAMS, params).alpha as number;
  return new RidgeModel(
    enc,
    numberArray(obj.coef, enc.width, 'coef'),
    Float64Array.of(numberField(obj, 'intercept')),
    { alpha },
  );
}

export class RidgeModel implements Model, LinearScorer {
  readonly algorithm = RIDGE_ALGORITHM;
  readonly label = LABEL;
  readonly task = 'regression' as const;
  readonly outputs = 1;
  readonly featureNames: readonly string[];

  constructor(
    readonly encoding: LinearEncoding,
    /** One coefficient per encoded column (see `coefficientNames`). */
    readonly coef: Float64Array,
    /** Length 1. */
    readonly intercept: Float64Array,
    readonly params: RidgeParams,
  ) {
    this.featureNames = encoding.features.map((f) => f.name);
  }

  predict(x: FeatureMatrix): Float64Array {
    return batchScores(this, x);
  }

  predictRow(row: Float64Array, out: Float64Array): void {
    rowScores(this, row, out);
  }

  featureImportance(): Float64Array {
    return importanceByFeature(this.encoding, this.coef, 1);
  }

  toJSON(): Record<string, unknown> {
    return {
      algorithm: RIDGE_ALGORITHM,
      format_version: 1,
      task: this.task,
      params: { ...this.params },
      features: this.encoding.features.map((f) => ({ name: f.name, categories: f.categories })),
      coefficient_names: coefficientNames(this.encoding),
      coef: Array.from(this.coef),
      intercept: this.intercept[0]!,
    };
  }
}

function weightedMse(model: RidgeModel, x: FeatureMatrix, y: Float64Array, w: Float64Array | null): number {
  const pred = model.predict(x);
  let se = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i]! : 1;
    se += wi * (y[i]! - pred[i]!) ** 2;
    total += wi;
  }
  return se / total;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
