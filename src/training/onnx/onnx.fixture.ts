import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FeatureMatrix } from '../model.entity.js';

/** test/fixtures/onnx/, written by its export_models.py. */
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/onnx/', import.meta.url));

export const fixturePath = (name: string): string => `${FIXTURES}${name}`;

export interface ReferenceModel {
  task: 'regression' | 'multiclass';
  input: string;
  output: string;
  featureNames: string[];
  classes?: string[];
  /** Rows as the data holds them, and torch's float32 outputs for them. */
  inputs: number[][];
  outputs: number[][];
}

export const reference = JSON.parse(readFileSync(fixturePath('reference.json'), 'utf8')) as {
  models: Record<'iris-mlp.onnx' | 'diabetes-mlp.onnx', ReferenceModel>;
};

/** Row-major rows into a column-major matrix. */
export function matrix(rows: readonly (readonly number[])[], names: readonly string[]): FeatureMatrix {
  const values = new Float64Array(rows.length * names.length);
  rows.forEach((row, i) => {
    row.forEach((v, j) => {
      values[j * rows.length + i] = v;
    });
  });
  return {
    rows: rows.length,
    columns: names.length,
    values,
    names: [...names],
    categories: names.map(() => null),
  };
}
