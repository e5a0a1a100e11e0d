import { CyclopsError } from '../core/index.js';
import type { DuckSession } from './duckdb-session.js';
import { type ColumnType, typedColumns } from './normalize.js';
import { sqlIdent } from './sql.js';

/** How a column is meant to be used: what profiling, validation and preprocessing start from. */
export type ColumnKind = 'numeric' | 'categorical' | 'text' | 'datetime' | 'boolean';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  /** True when at least one value is missing. */
  nullable: boolean;
  kind: ColumnKind;
}

export interface TableSchema {
  columns: ColumnSchema[];
}

export const CATEGORICAL_MIN_LIMIT = 20;
export const CATEGORICAL_ROW_FRACTION = 0.05;

/**
 * A string column is categorical when it has at most max(20, 5% of rows) distinct values, and text
 * otherwise: small tables keep their labels categorical, large ones need a real repetition rate
 * (a free-text or id column of 1M rows has far more than 50,000 distinct values).
 * Integer columns are numeric even with few values (codes, counts): a domain may override.
 */
export function categoricalLimit(rowCount: number): number {
  return Math.max(CATEGORICAL_MIN_LIMIT, Math.floor(rowCount * CATEGORICAL_ROW_FRACTION));
}

const KIND: Record<Exclude<ColumnType, 'string'>, ColumnKind> = {
  integer: 'numeric',
  float: 'numeric',
  boolean: 'boolean',
  date: 'datetime',
  timestamp: 'datetime',
};

/** The kind of a column from its type and, for strings, its number of distinct values. */
export function columnKind(type: ColumnType, distinct: number, rowCount: number): ColumnKind {
  if (type !== 'string') return KIND[type];
  return distinct <= categoricalLimit(rowCount) ? 'categorical' : 'text';
}

/** The schema of a normalized table, from one aggregate query over it. */
export async function inferSchema(session: DuckSession, table: string): Promise<TableSchema> {
  const columns = await typedColumns(session, table);
  const aggregates = columns.flatMap((c, i) => {
    const col = sqlIdent(c.name);
    const out = [`count(${col}) AS n${i}`];
    if (c.type === 'string') out.push(`count(DISTINCT ${col}) AS d${i}`);
    return out;
  });
  const [row] = await session.rows(
    `SELECT ${['count(*) AS rows', ...aggregates].join(', ')} FROM ${sqlIdent(table)}`,
  );
  if (!row) throw new CyclopsError('internal', 'aggregate returned no row');
  const rowCount = Number(row.rows);
  return {
    columns: columns.map((c, i) => ({
      name: c.name,
      type: c.type,
      nullable: Number(row[`n${i}`]) < rowCount,
      kind: columnKind(c.type, Number(row[`d${i}`] ?? 0), rowCount),
    })),
  };
}
