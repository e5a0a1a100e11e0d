import { readFileSync } from 'node:fs';
import type { FeatureMatrix, Task, TrainingData } from '../../model.entity.js';

/** One case of test/fixtures/gbdt-reference.json (written by gbdt-reference.py with scikit-learn). */
export interface GbdtCase {
  name: string;
  task: Task;
  names: string[];
  categories: (string[] | null)[];
  classes: string[] | null;
  x: (number | null)[][];
  y: number[];
  train: number[];
  test: number[];
  params: Record<string, unknown>;
  n_iter: number;
  train_predictions: (number | number[])[];
  test_predictions: (number | number[])[];
  validation_rows?: number[];
  validation_loss?: number[];
}

export const GBDT_CASES: GbdtCase[] = (
  JSON.parse(
    readFileSync(new URL('../../../../test/fixtures/gbdt-reference.json', import.meta.url), 'utf8'),
  ) as { cases: GbdtCase[] }
).cases;

export function matrixOf(c: GbdtCase, rows: number[]): FeatureMatrix {
  const values = new Float64Array(rows.length * c.names.length);
  c.x.forEach((column, j) => {
    rows.forEach((r, k) => {
      values[j * rows.length + k] = column[r] ?? Number.NaN;
    });
  });
  return { rows: rows.length, columns: c.names.length, values, names: c.names, categories: c.categories };
}

export function dataOf(c: GbdtCase, rows: number[]): TrainingData {
  return {
    x: matrixOf(c, rows),
    y: Float64Array.from(rows, (r) => c.y[r] as number),
    task: c.task,
    ...(c.classes ? { classes: c.classes } : {}),
  };
}

/** scikit-learn's params in ours: the same names, but early_stopping on/off and max_depth 0 for none. */
export function paramsOf(c: GbdtCase): Record<string, unknown> {
  const { early_stopping, max_depth, ...rest } = c.params;
  return { ...rest, early_stopping: early_stopping ? 'on' : 'off', ...(max_depth ? { max_depth } : {}) };
}

/** Row-major predictions of scikit-learn (a value per row, or a probability per class). */
export function flat(predictions: (number | number[])[]): Float64Array {
  return Float64Array.from(predictions.flatMap((p) => (Array.isArray(p) ? p : [p])));
}
