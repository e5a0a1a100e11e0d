import { invalid } from '../../../core/index.js';
import type { FeatureMatrix } from '../../model.entity.js';

/** One input column as a linear model saw it at fit time. */
export interface LinearFeature {
  name: string;
  /** The categories of a categorical column (one-hot encoded, one coefficient each), or null. */
  categories: string[] | null;
}

/**
 * How input columns map to coefficients: a numeric column to one, a categorical column with k
 * categories to k (one-hot, nothing dropped: the L2 penalty makes the fit unique without a reference
 * level, as scikit-learn's OneHotEncoder(drop=None) before a penalized model does).
 */
export interface LinearEncoding {
  features: LinearFeature[];
  /** Per feature, the index of its first coefficient. */
  offsets: Int32Array;
  /** Coefficients per output (without the intercept). */
  width: number;
}

export function encodingOf(features: readonly LinearFeature[]): LinearEncoding {
  const offsets = new Int32Array(features.length);
  let width = 0;
  features.forEach((f, j) => {
    offsets[j] = width;
    width += f.categories === null ? 1 : f.categories.length;
  });
  return { features: features.map((f) => ({ name: f.name, categories: f.categories })), offsets, width };
}

export function encodingOfMatrix(x: FeatureMatrix): LinearEncoding {
  return encodingOf(
    x.names.map((name, j) => ({ name, categories: x.categories[j] ? [...x.categories[j]] : null })),
  );
}

/** Coefficient names: the column name, or `column=category` for one-hot parts. */
export function coefficientNames(enc: LinearEncoding): string[] {
  return enc.features.flatMap((f) =>
    f.categories === null ? [f.name] : f.categories.map((c) => `${f.name}=${c}`),
  );
}

/**
 * Fit-time check: these models have no notion of a missing value, so the caller imputes first; a
 * categorical code must name one of the column's categories.
 */
export function assertFitFeatures(x: FeatureMatrix, algorithm: string): void {
  if (x.values.length !== x.rows * x.columns || x.names.length !== x.columns) {
    throw invalid(`${algorithm}: the feature matrix has inconsistent dimensions`, {
      rows: x.rows,
      columns: x.columns,
      values: x.values.length,
    });
  }
  for (let j = 0; j < x.columns; j++) {
    const k = x.categories[j]?.length;
    const base = j * x.rows;
    for (let i = 0; i < x.rows; i++) {
      const v = x.values[base + i]!;
      if (Number.isNaN(v)) throw missingValue(x.names[j]!, algorithm, i);
      if (k === undefined ? !Number.isFinite(v) : !(Number.isInteger(v) && v >= 0 && v < k)) {
        const what = k === undefined ? 'an infinite value' : `the category code ${v}, not one of 0..${k - 1}`;
        throw invalid(`${algorithm}: column '${x.names[j]}' has ${what} in row ${i}`, {
          field: `/features/${x.names[j]}`,
          column: x.names[j],
          row: i,
        });
      }
    }
  }
}

export function missingValue(column: string, algorithm: string, row?: number): Error {
  const where = row === undefined ? '' : ` in row ${row}`;
  return invalid(
    `${algorithm}: column '${column}' has a missing value (NaN)${where}; impute missing values before this model`,
    { field: `/features/${column}`, column, ...(row === undefined ? {} : { row }) },
  );
}

/**
 * Per fit-time category code, the code in `given`'s categories, so a matrix whose categories are listed
 * in another order (or have new ones) scores by name; null when the two lists are the same. Codes of
 * categories unknown at fit time map to -1: that column then adds nothing (all one-hot parts zero).
 */
export function categoryRemap(fitted: readonly string[], given: readonly string[]): Int32Array | null {
  if (given.length === fitted.length && given.every((c, i) => c === fitted[i])) return null;
  const index = new Map(fitted.map((c, i) => [c, i]));
  return Int32Array.from(given, (c) => index.get(c) ?? -1);
}

/** |coefficient| summed over outputs and over the one-hot parts of each input column. */
export function importanceByFeature(enc: LinearEncoding, coef: Float64Array, outputs: number): Float64Array {
  const out = new Float64Array(enc.features.length);
  enc.features.forEach((f, j) => {
    const parts = f.categories === null ? 1 : f.categories.length;
    let total = 0;
    for (let k = 0; k < outputs; k++) {
      const base = k * enc.width + enc.offsets[j]!;
      for (let c = 0; c < parts; c++) total += Math.abs(coef[base + c]!);
    }
    out[j] = total;
  });
  return out;
}
