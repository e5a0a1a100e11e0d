import type { DuckSession } from '../columnar/index.js';
import { sqlString } from '../columnar/index.js';
import { invalid } from '../core/index.js';
import type { ColumnType } from './transform.entity.js';

// columnar/normalize.ts knows each ColumnType's storage type but its index does not export that
// mapping; a batch to transform may also come from elsewhere than a normalized table (a query result).
const DUCK_TYPES: Record<string, ColumnType> = {
  TINYINT: 'integer',
  SMALLINT: 'integer',
  INTEGER: 'integer',
  BIGINT: 'integer',
  UTINYINT: 'integer',
  USMALLINT: 'integer',
  UINTEGER: 'integer',
  FLOAT: 'float',
  DOUBLE: 'float',
  BOOLEAN: 'boolean',
  VARCHAR: 'string',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
};

/**
 * The column types of a session table, as transforms see them: a normalized table's types, plus the
 * other integer and decimal types DuckDB has (null: a type no transform reads, left out).
 */
export async function tableColumns(
  session: DuckSession,
  table: string,
): Promise<{ name: string; type: ColumnType | null; duckType: string }[]> {
  const rows = await session.rows(
    `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ${sqlString(table)} ORDER BY column_index`,
  );
  if (rows.length === 0) throw invalid(`no table '${table}' in the session`, { table });
  return rows.map((r) => {
    const duckType = String(r.data_type);
    const type = DUCK_TYPES[duckType] ?? (duckType.startsWith('DECIMAL') ? 'float' : null);
    return { name: String(r.column_name), type, duckType };
  });
}
