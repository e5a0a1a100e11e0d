import { invalid } from '../../../core/index.js';
import type { FeatureMatrix } from '../../model.entity.js';
import { createRandom, sample } from '../../random.js';

/** Bin 255 holds the missing values; present values use bins 0..254 at most. */
export const MISSING_BIN = 255;
/** Thresholds are computed on at most this many rows (as scikit-learn): quantiles are stable well before. */
const BINNING_SUBSAMPLE = 200_000;
/** The largest threshold kept: a +Infinity threshold would leave nothing to the right of a split. */
const ALMOST_INF = 1e300;

/**
 * How raw feature values map to bins, fitted once on the training data and stored with the model:
 * numeric features by thresholds (value x is in bin i when thresholds[i-1] < x <= thresholds[i]), a
 * categorical feature by its code (codes 0..k-1 are bins 0..k-1). Missing values (NaN) are bin 255.
 */
export interface BinMapper {
  /** Per feature: increasing thresholds of a numeric feature, or null for a categorical one. */
  thresholds: (Float64Array | null)[];
  /** Per feature: bins used by present values (thresholds + 1, or the number of categories). */
  binCount: Uint16Array;
  /** Per feature: whether the training data had missing values. */
  hasMissing: Uint8Array;
}

/**
 * Fits the bin thresholds of every feature as scikit-learn's HistGradientBoosting does: the midpoints
 * between distinct values when there are at most `maxBins` of them, else the `maxBins`-quantiles
 * (numpy's "midpoint" method) of a seeded subsample of 200,000 rows.
 */
export function fitBins(x: FeatureMatrix, maxBins: number, seed: number): BinMapper {
  const { rows, columns } = x;
  const subsample = rows > BINNING_SUBSAMPLE ? sample(createRandom(seed), rows, BINNING_SUBSAMPLE) : null;
  const thresholds: (Float64Array | null)[] = [];
  const binCount = new Uint16Array(columns);
  const hasMissing = new Uint8Array(columns);
  const scratch = new Float64Array(subsample ? subsample.length : rows);
  for (let j = 0; j < columns; j++) {
    const offset = j * rows;
    for (let i = 0; i < rows; i++) {
      if (Number.isNaN(x.values[offset + i] as number)) {
        hasMissing[j] = 1;
        break;
      }
    }
    const categories = x.categories[j];
    if (categories) {
      if (categories.length > maxBins) {
        throw invalid(
          `feature '${x.names[j]}': ${categories.length} categories; native categorical splits take at most ${maxBins} (group rare categories, or encode the column as ordinal numbers)`,
          { feature: x.names[j] },
        );
      }
      thresholds.push(null);
      binCount[j] = Math.max(categories.length, 1);
      continue;
    }
    let n = 0;
    if (subsample) {
      for (let k = 0; k < subsample.length; k++) {
        const v = x.values[offset + (subsample[k] as number)] as number;
        if (!Number.isNaN(v)) scratch[n++] = v;
      }
    } else {
      for (let i = 0; i < rows; i++) {
        const v = x.values[offset + i] as number;
        if (!Number.isNaN(v)) scratch[n++] = v;
      }
    }
    const t = featureThresholds(scratch.subarray(0, n), maxBins);
    thresholds.push(t);
    binCount[j] = t.length + 1;
  }
  return { thresholds, binCount, hasMissing };
}

/** Thresholds of one feature's present values (sorted in place). */
function featureThresholds(values: Float64Array, maxBins: number): Float64Array {
  values.sort();
  const n = values.length;
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || values[i] !== values[i - 1]) distinct++;
  let out: Float64Array;
  if (distinct <= maxBins) {
    out = new Float64Array(Math.max(distinct - 1, 0));
    let k = 0;
    let previous = Number.NaN;
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (i > 0 && v !== previous) out[k++] = (previous + v) * 0.5;
      previous = v;
    }
  } else {
    // numpy.percentile(values, linspace(0, 100, maxBins + 1)[1:-1], method='midpoint'), with numpy
    // 1.24's arithmetic step for step (how the percentiles, indexes and interpolation are rounded), so
    // the thresholds are scikit-learn's to the last bit.
    out = new Float64Array(maxBins - 1);
    const step = 100 / maxBins;
    for (let k = 1; k < maxBins; k++) {
      const position = (n - 1) * ((k * step) / 100);
      const index = 0.5 * (Math.floor(position) + Math.ceil(position));
      const lo = Math.floor(index);
      const a = values[lo] as number;
      if (index % 1 === 0) out[k - 1] = a;
      else {
        const b = values[Math.min(lo + 1, n - 1)] as number;
        out[k - 1] = b - (b - a) * 0.5;
      }
    }
  }
  for (let i = 0; i < out.length; i++) if ((out[i] as number) > ALMOST_INF) out[i] = ALMOST_INF;
  return out;
}

/**
 * Bins a matrix row-major (`rows x columns` bytes, row i's features at [i * columns, (i + 1) * columns)),
 * in plain memory: the validation rows that early stopping scores after each tree.
 */
export function binMatrix(mapper: BinMapper, x: FeatureMatrix): Uint8Array {
  const { rows, columns } = x;
  if (columns !== mapper.thresholds.length) {
    throw invalid(`expected ${mapper.thresholds.length} features, got ${columns}`, { field: 'features' });
  }
  const out = new Uint8Array(rows * columns);
  for (let j = 0; j < columns; j++) {
    const offset = j * rows;
    const t = mapper.thresholds[j];
    if (t === null || t === undefined) {
      const limit = mapper.binCount[j] as number;
      for (let i = 0; i < rows; i++) {
        const v = x.values[offset + i] as number;
        // A code the training data never had is binned as missing: it goes where missing values go.
        out[i * columns + j] = v >= 0 && v < limit ? v : MISSING_BIN;
      }
      continue;
    }
    for (let i = 0; i < rows; i++) {
      out[i * columns + j] = binValue(t, x.values[offset + i] as number);
    }
  }
  return out;
}

/** The bin of a numeric value: the number of thresholds below it (binary search), or MISSING_BIN. */
export function binValue(thresholds: Float64Array, v: number): number {
  if (Number.isNaN(v)) return MISSING_BIN;
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= (thresholds[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
