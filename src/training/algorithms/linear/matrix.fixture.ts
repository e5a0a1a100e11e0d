import type { FeatureMatrix } from '../../model.entity.js';

/** A FeatureMatrix from named columns; `categories` names the categorical ones. */
export function columns(
  cols: Record<string, readonly number[]>,
  categories: Record<string, string[]> = {},
): FeatureMatrix {
  const names = Object.keys(cols);
  const rows = cols[names[0]!]!.length;
  const values = new Float64Array(rows * names.length);
  names.forEach((name, j) => {
    values.set(cols[name]!, j * rows);
  });
  return { rows, columns: names.length, values, names, categories: names.map((n) => categories[n] ?? null) };
}

/** A deterministic pseudo-random stream (LCG), enough for test data. */
export function stream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Row `i` of a column-major matrix. */
export function rowOf(x: FeatureMatrix, i: number): Float64Array {
  return Float64Array.from({ length: x.columns }, (_, j) => x.values[j * x.rows + i]!);
}
