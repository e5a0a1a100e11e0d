import { invalid } from '../../core/index.js';
import type { Task } from '../model.entity.js';
import { classificationMetricsOf } from './classification-metrics.js';
import type {
  ClassificationMetrics,
  ClassificationTask,
  MetricOptions,
  RegressionMetrics,
} from './evaluation.entity.js';
import { checkClassification, checkRegression } from './input-checks.js';
import { regressionMetricsOf } from './regression-metrics.js';

/** A slice key per row: numbers (NaN = missing) or strings (null = missing). */
export type SliceKeys = Float64Array | readonly (string | null)[];

export interface SliceMetrics<M> {
  /** null gathers the rows whose key is missing. */
  key: string | number | null;
  rows: number;
  /** null when the slice has fewer than minRows rows, or no weight. */
  metrics: M | null;
}

export interface SliceOptions extends MetricOptions {
  /** Slices with fewer rows get a count and no metrics: a handful of rows gives noise; default 30. */
  minRows?: number;
}

export const DEFAULT_MIN_SLICE_ROWS = 30;

/**
 * The KPI set (no curves) per distinct key, keys ascending (numbers numerically, strings by code unit),
 * the missing key last.
 */
export function metricsBySlice(
  task: 'regression',
  yTrue: Float64Array,
  predictions: Float64Array,
  keys: SliceKeys,
  options?: SliceOptions,
): SliceMetrics<RegressionMetrics>[];
export function metricsBySlice(
  task: ClassificationTask,
  yTrue: Float64Array,
  predictions: Float64Array,
  keys: SliceKeys,
  options?: SliceOptions,
): SliceMetrics<ClassificationMetrics>[];
export function metricsBySlice(
  task: Task,
  yTrue: Float64Array,
  predictions: Float64Array,
  keys: SliceKeys,
  options?: SliceOptions,
): SliceMetrics<ClassificationMetrics | RegressionMetrics>[];
export function metricsBySlice(
  task: Task,
  yTrue: Float64Array,
  predictions: Float64Array,
  keys: SliceKeys,
  options: SliceOptions = {},
): SliceMetrics<ClassificationMetrics | RegressionMetrics>[] {
  const { weights } = options;
  let stride = 1;
  if (task === 'regression') checkRegression(yTrue, predictions, weights);
  else stride = checkClassification(task, yTrue, predictions, options);
  const rows = yTrue.length;
  if (keys.length !== rows) {
    throw invalid(`keys has ${keys.length} values for ${rows} rows`, {
      field: 'keys',
      expected: rows,
      actual: keys.length,
    });
  }
  const minRows = options.minRows ?? DEFAULT_MIN_SLICE_ROWS;
  if (!Number.isInteger(minRows) || minRows < 1) {
    throw invalid(`minRows must be a whole number >= 1, got ${minRows}`, {
      field: 'minRows',
      value: minRows,
    });
  }
  const { group, names } = keys instanceof Float64Array ? numericGroups(keys) : textGroups(keys);
  // Counting sort of the rows by group, row order kept within a group.
  const starts = new Uint32Array(names.length + 1);
  for (let i = 0; i < rows; i++) starts[group[i]! + 1]!++;
  for (let g = 0; g < names.length; g++) starts[g + 1]! += starts[g]!;
  const byGroup = new Uint32Array(rows);
  const next = starts.slice(0, names.length);
  for (let i = 0; i < rows; i++) byGroup[next[group[i]!]!++] = i;

  return names.map((key, g) => {
    const members = byGroup.subarray(starts[g]!, starts[g + 1]!);
    const count = members.length;
    if (count < minRows) return { key, rows: count, metrics: null };
    const y = new Float64Array(count);
    const p = new Float64Array(count * stride);
    const w = weights === undefined ? undefined : new Float64Array(count);
    let weight = 0;
    for (let r = 0; r < count; r++) {
      const i = members[r]!;
      y[r] = yTrue[i]!;
      p.set(predictions.subarray(i * stride, (i + 1) * stride), r * stride);
      if (w !== undefined) {
        w[r] = weights![i]!;
        weight += w[r]!;
      }
    }
    if (w !== undefined && weight === 0) return { key, rows: count, metrics: null };
    const metrics =
      task === 'regression' ? regressionMetricsOf(y, p, w) : classificationMetricsOf(task, y, p, stride, w);
    return { key, rows: count, metrics };
  });
}

interface Groups {
  /** Group index per row. */
  group: Uint32Array;
  /** Key per group, in the output order. */
  names: (string | number | null)[];
}

function numericGroups(keys: Float64Array): Groups {
  const rows = keys.length;
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  // NaN sorts last; 0 and -0 are one key.
  order.sort((a, b) => {
    const x = keys[a]!;
    const y = keys[b]!;
    if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
    return x - y;
  });
  const group = new Uint32Array(rows);
  const names: (number | null)[] = [];
  for (let j = 0; j < rows; j++) {
    const i = order[j]!;
    const key = keys[i]!;
    const last = names.length === 0 ? undefined : names[names.length - 1];
    const same = last !== undefined && (last === null ? Number.isNaN(key) : last === key);
    if (!same) names.push(Number.isNaN(key) ? null : key === 0 ? 0 : key);
    group[i] = names.length - 1;
  }
  return { group, names };
}

function textGroups(keys: readonly (string | null)[]): Groups {
  const ids = new Map<string | null, number>();
  const firstSeen = new Uint32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] ?? null;
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    firstSeen[i] = id;
  }
  const sorted = [...ids.keys()].sort((a, b) =>
    a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const rank = new Uint32Array(sorted.length);
  sorted.forEach((key, r) => {
    rank[ids.get(key)!] = r;
  });
  const group = new Uint32Array(keys.length);
  for (let i = 0; i < keys.length; i++) group[i] = rank[firstSeen[i]!]!;
  return { group, names: sorted };
}
