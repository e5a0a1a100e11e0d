import type { FeatureMatrix } from '../../model.entity.js';
import type { LinearEncoding } from './feature-encoding.js';

/**
 * The training features as the logistic loss reads them: the numeric columns as one column-major
 * block (the caller's own array when every column is numeric: no copy), and each categorical column as
 * its codes, since a one-hot part is a lookup, not a multiplication by 0 or 1.
 */
export interface LinearDesign {
  rows: number;
  numeric: Float64Array;
  /** Per numeric column of `numeric`, the index of its coefficient. */
  numericCoef: Int32Array;
  categorical: { codes: Int32Array; offset: number }[];
}

/** Assumes `assertFitFeatures` passed. */
export function designOf(x: FeatureMatrix, enc: LinearEncoding): LinearDesign {
  const n = x.rows;
  const numericCols: number[] = [];
  const categorical: LinearDesign['categorical'] = [];
  enc.features.forEach((f, j) => {
    if (f.categories === null) numericCols.push(j);
    else
      categorical.push({
        codes: Int32Array.from(x.values.subarray(j * n, (j + 1) * n)),
        offset: enc.offsets[j]!,
      });
  });
  const numericCoef = Int32Array.from(numericCols, (j) => enc.offsets[j]!);
  if (categorical.length === 0) return { rows: n, numeric: x.values, numericCoef, categorical };
  const numeric = new Float64Array(n * numericCols.length);
  numericCols.forEach((j, c) => {
    numeric.set(x.values.subarray(j * n, (j + 1) * n), c * n);
  });
  return { rows: n, numeric, numericCoef, categorical };
}

/** All `enc.width` encoded columns as a dense column-major block, one-hot parts as 0/1 columns. */
export function denseDesign(x: FeatureMatrix, enc: LinearEncoding): Float64Array {
  const n = x.rows;
  const out = new Float64Array(n * enc.width);
  enc.features.forEach((f, j) => {
    const column = x.values.subarray(j * n, (j + 1) * n);
    const offset = enc.offsets[j]!;
    if (f.categories === null) out.set(column, offset * n);
    else for (let i = 0; i < n; i++) out[(offset + column[i]!) * n + i] = 1;
  });
  return out;
}
