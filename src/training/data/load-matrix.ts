import { type DuckSession, readDoubles, sqlIdent } from '../../columnar/index.js';
import { invalid } from '../../core/index.js';
import type { FeatureMatrix, TrainingData } from '../model.entity.js';
import { type FeatureSchema, featureSql, targetSql } from './feature-schema.js';

export interface LoadedData {
  data: TrainingData;
  /** Rows left out because their target is missing (or a class the training data never had). */
  droppedRows: number;
}

/**
 * A table as the algorithms take it: the schema's features as a column-major FeatureMatrix (categorical
 * ones as codes, NULL and unknown categories as NaN) and the target as numbers or class codes. Rows
 * without a target are left out and counted. `what` names the table in errors ("the training data").
 */
export async function loadTrainingData(
  session: DuckSession,
  table: string,
  schema: FeatureSchema,
  what: string,
): Promise<LoadedData> {
  const target = targetSql(schema);
  const where = `(${target}) IS NOT NULL`;
  const [counts] = await session.rows(
    `SELECT count(*) AS total, count(*) FILTER (WHERE ${where}) AS kept FROM ${sqlIdent(table)}`,
  );
  const total = Number(counts?.total ?? 0);
  const rows = Number(counts?.kept ?? 0);
  if (rows === 0) {
    throw invalid(
      `${what}: no row has a value of the target '${schema.target}'${total > 0 ? ` (${total} rows)` : ''}`,
      {
        field: 'target',
      },
    );
  }
  const select = [...schema.features.map(featureSql), target].join(', ');
  // rowid keeps the table's row order, which a model's seeded choices depend on.
  const columns = await readDoubles(
    session,
    `SELECT ${select} FROM ${sqlIdent(table)} WHERE ${where} ORDER BY rowid`,
    schema.features.length + 1,
    rows,
  );
  const y = columns.pop() as Float64Array;
  const values = new Float64Array(rows * schema.features.length);
  columns.forEach((column, j) => {
    values.set(column, j * rows);
  });
  const x: FeatureMatrix = {
    rows,
    columns: schema.features.length,
    values,
    names: schema.features.map((f) => f.name),
    categories: schema.features.map((f) => f.categories ?? null),
  };
  return {
    data: { x, y, task: schema.task, ...(schema.classes ? { classes: schema.classes } : {}) },
    droppedRows: total - rows,
  };
}

/** A feature with no value at all in the training data can only be noise to a model: refused. */
export function checkFeaturesHaveValues(x: FeatureMatrix): void {
  for (let j = 0; j < x.columns; j++) {
    const offset = j * x.rows;
    let present = false;
    for (let i = 0; i < x.rows && !present; i++) present = !Number.isNaN(x.values[offset + i] as number);
    if (!present) {
      throw invalid(
        `feature '${x.names[j]}' has no values in the training data (all missing): drop it or impute it`,
        {
          field: 'features',
          feature: x.names[j],
        },
      );
    }
  }
}
