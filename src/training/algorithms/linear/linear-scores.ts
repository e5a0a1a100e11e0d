import { invalid } from '../../../core/index.js';
import type { FeatureMatrix } from '../../model.entity.js';
import { categoryRemap, type LinearEncoding, missingValue } from './feature-encoding.js';

/**
 * The fitted linear part of a model: `outputs` score functions over the encoded columns,
 * score_k = intercept[k] + coef[k * width .. (k + 1) * width) · encoded row.
 */
export interface LinearScorer {
  readonly encoding: LinearEncoding;
  readonly coef: Float64Array;
  readonly intercept: Float64Array;
  /** The model's name in error messages. */
  readonly label: string;
}

/**
 * Scores of a batch, row-major (`rows * outputs`). Columns must be the fitted ones, by name and in
 * order; categorical columns are matched by category name, so a matrix built with its own category
 * list scores the same rows the same way.
 */
export function batchScores(model: LinearScorer, x: FeatureMatrix): Float64Array {
  const { encoding: enc, coef, intercept, label: algorithm } = model;
  const outputs = intercept.length;
  checkColumns(enc, x, algorithm);
  const n = x.rows;
  const z = new Float64Array(n * outputs);
  for (let i = 0; i < n; i++) z.set(intercept, i * outputs);

  enc.features.forEach((feature, j) => {
    const base = j * n;
    const offset = enc.offsets[j]!;
    const v = x.values;
    if (feature.categories === null) {
      for (let k = 0; k < outputs; k++) {
        const c = coef[k * enc.width + offset]!;
        for (let i = 0; i < n; i++) {
          const value = v[base + i]!;
          if (Number.isNaN(value)) throw missingValue(feature.name, algorithm, i);
          z[i * outputs + k]! += c * value;
        }
      }
      return;
    }
    const given = x.categories[j];
    const remap = given ? categoryRemap(feature.categories, given) : null;
    const known = feature.categories.length;
    for (let i = 0; i < n; i++) {
      const value = v[base + i]!;
      if (Number.isNaN(value)) throw missingValue(feature.name, algorithm, i);
      let code = Number.isInteger(value) ? value : -1;
      if (remap) code = code >= 0 && code < remap.length ? remap[code]! : -1;
      if (code < 0 || code >= known) continue;
      for (let k = 0; k < outputs; k++) z[i * outputs + k]! += coef[k * enc.width + offset + code]!;
    }
  });
  return z;
}

/** Scores of one row (one value per fitted column) into `out[0..outputs)`; allocates nothing. */
export function rowScores(model: LinearScorer, row: Float64Array, out: Float64Array): void {
  const { encoding: enc, coef, intercept } = model;
  const outputs = intercept.length;
  const features = enc.features;
  if (row.length < features.length) {
    throw invalid(`${model.label}: a row needs ${features.length} values, got ${row.length}`, {
      expected: features.length,
      got: row.length,
    });
  }
  for (let k = 0; k < outputs; k++) out[k] = intercept[k]!;
  for (let j = 0; j < features.length; j++) {
    const value = row[j]!;
    if (Number.isNaN(value)) throw missingValue(features[j]!.name, model.label);
    const offset = enc.offsets[j]!;
    const categories = features[j]!.categories;
    if (categories === null) {
      for (let k = 0; k < outputs; k++) out[k]! += coef[k * enc.width + offset]! * value;
    } else if (Number.isInteger(value) && value >= 0 && value < categories.length) {
      for (let k = 0; k < outputs; k++) out[k]! += coef[k * enc.width + offset + value]!;
    }
  }
}

function checkColumns(enc: LinearEncoding, x: FeatureMatrix, algorithm: string): void {
  const expected = enc.features.map((f) => f.name);
  const same = x.columns === expected.length && x.names.every((name, j) => name === expected[j]);
  if (!same) {
    throw invalid(
      `${algorithm}: the model expects the columns ${expected.join(', ')} in this order, got ${x.names.join(', ')}`,
      { expected, got: x.names },
    );
  }
  if (x.values.length !== x.rows * x.columns) {
    throw invalid(
      `${algorithm}: the feature matrix has ${x.values.length} values for ${x.rows} x ${x.columns}`,
    );
  }
  enc.features.forEach((f, j) => {
    if (f.categories === null && x.categories[j]) {
      throw invalid(`${algorithm}: column '${f.name}' was numeric at fit time, now it is categorical`, {
        column: f.name,
      });
    }
  });
}
