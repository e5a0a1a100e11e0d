import type { ColumnSchema } from '../../columnar/index.js';
import {
  DEFAULT_SPLIT_SEED,
  FRACTION_SUM_TOLERANCE,
  type SplitFractions,
  type SplitSpec,
} from '../../contracts/index.js';
import { invalid } from '../../core/index.js';

/*
 * The checks a schema cannot express, repeated here for the ones it can: the engine is called by
 * pipelines and tests too, not only through a validated HTTP body. Every error names the field.
 */

/** The spec with its defaults filled in: what is stored with the outputs so they can be reproduced. */
export function resolveSplitSpec(spec: SplitSpec, schema: ColumnSchema[]): SplitSpec {
  switch (spec.method) {
    case 'random':
      checkFractions(spec.fractions);
      if (spec.key !== undefined) findColumn(schema, spec.key, 'key');
      return { ...spec, seed: checkSeed(spec.seed) };
    case 'stratified':
      checkFractions(spec.fractions);
      findColumn(schema, spec.target, 'target');
      if (spec.key !== undefined) findColumn(schema, spec.key, 'key');
      return { ...spec, seed: checkSeed(spec.seed) };
    case 'time': {
      const column = findColumn(schema, spec.column, 'column');
      if (column.type === 'string' || column.type === 'boolean') {
        throw invalid(
          `column '${spec.column}' is ${column.type}: a time split needs a date, timestamp or number`,
          {
            field: 'column',
            type: column.type,
          },
        );
      }
      return { ...spec, validation: spec.validation ?? false };
    }
    default:
      throw invalid(`unknown split method '${(spec as { method: unknown }).method}'`, { field: 'method' });
  }
}

export function findColumn(schema: ColumnSchema[], name: string, field: string): ColumnSchema {
  const column = schema.find((c) => c.name === name);
  if (!column) throw invalid(`${field}: no column '${name}' in the dataset`, { field, column: name });
  return column;
}

function checkFractions(fractions: SplitFractions): void {
  let sum = 0;
  for (const name of ['train', 'validation', 'test'] as const) {
    const value = fractions[name];
    if (value === undefined && name === 'validation') continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw invalid(`fractions.${name} must be a number from 0 to 1 (got ${String(value)})`, {
        field: `fractions.${name}`,
      });
    }
    sum += value;
  }
  if (Math.abs(sum - 1) > FRACTION_SUM_TOLERANCE) {
    throw invalid(`fractions must sum to 1 (got ${sum})`, { field: 'fractions', sum });
  }
}

function checkSeed(seed: number | undefined): number {
  if (seed === undefined) return DEFAULT_SPLIT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw invalid(`seed must be a non-negative integer (got ${seed})`, { field: 'seed' });
  }
  return seed;
}
