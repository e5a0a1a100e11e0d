import { CyclopsError } from '../core/index.js';
import type { DuckSession } from './duckdb-session.js';
import { sqlIdent, sqlString } from './sql.js';

/** The column types of a normalized table: what every format is reduced to. */
export type ColumnType = 'integer' | 'float' | 'boolean' | 'string' | 'date' | 'timestamp';

export interface TypedColumn {
  name: string;
  type: ColumnType;
}

// The one DuckDB type each ColumnType is stored as, so a table's DuckDB types name its ColumnTypes.
const STORAGE: Record<ColumnType, string> = {
  integer: 'BIGINT',
  float: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};
const BY_STORAGE = new Map(Object.entries(STORAGE).map(([type, duck]) => [duck, type as ColumnType]));

const EXACT_INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/;
// Numbers that may hold only whole values: a CSV written by pandas turns an integer column with
// missing values into `3750.0`, and the same data as JSON says `3750`. Both must be 'integer'.
const MAYBE_INTEGER = /^(FLOAT|DOUBLE|DECIMAL\(.*\)|UBIGINT|HUGEINT|UHUGEINT)$/;
const NESTED = /^(STRUCT|MAP|UNION)\(|\]$/;
// Integral doubles above 2^53 are not exact, so they stay float.
const MAX_SAFE = '9007199254740991';

export async function describeColumns(
  session: DuckSession,
  table: string,
): Promise<{ name: string; duckType: string }[]> {
  const rows = await session.rows(
    `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ${sqlString(table)} ORDER BY column_index`,
  );
  return rows.map((r) => ({ name: String(r.column_name), duckType: String(r.data_type) }));
}

/**
 * Replaces `source` by `target`, every column cast to the storage type of its ColumnType, rows in the
 * same order. This is what makes a CSV, a JSON file and a Parquet file of the same data the same table:
 * one type per kind of value, whole-valued floats as integers, all-null columns as strings (each reader
 * guesses a different type for a column it never sees a value in), nested JSON as JSON text.
 * When every column already has its storage type (the common case for CSV), `source` is only renamed:
 * copying a million rows costs about as much as reading them.
 */
export async function normalizeTable(session: DuckSession, source: string, target: string): Promise<void> {
  const plan = await planNormalization(session, source);
  if (plan.unchanged) {
    await session.run(`ALTER TABLE ${sqlIdent(source)} RENAME TO ${sqlIdent(target)}`);
    return;
  }
  await session.run(`CREATE TABLE ${sqlIdent(target)} AS SELECT ${plan.select} FROM ${sqlIdent(source)}`);
  await session.run(`DROP TABLE ${sqlIdent(source)}`);
}

export interface NormalizationPlan {
  rowCount: number;
  /** The SELECT list that normalizes `source`. */
  select: string;
  /** Every column already has its storage type: `source` is normalized as it is. */
  unchanged: boolean;
}

/**
 * What normalizeTable does to `source` (a table or a view), from one aggregate over it. When `source`
 * is exactly the Parquet file `parquet` (a view of it), the file's statistics answer first: a column
 * whose null count is below its value count is not all NULL, and a float column with a fractional
 * min or max somewhere is not whole-valued; only the columns they leave open are scanned.
 */
export async function planNormalization(
  session: DuckSession,
  source: string,
  parquet?: string,
): Promise<NormalizationPlan> {
  const columns = await describeColumns(session, source);
  const known = parquet ? await parquetFacts(session, parquet, columns.length) : null;
  const stats = columns.flatMap((c, i) => {
    const col = sqlIdent(c.name);
    const fact = known?.[i];
    const out = fact?.someValue ? [] : [`count(${col}) AS n${i}`];
    if (MAYBE_INTEGER.test(c.duckType) && !fact?.fractional) {
      const d = `CAST(${col} AS DOUBLE)`;
      out.push(`bool_and(${d} = trunc(${d}) AND abs(${d}) <= ${MAX_SAFE}) AS w${i}`);
    }
    return out;
  });
  const [row] = await session.rows(
    `SELECT ${['count(*) AS rows', ...stats].join(', ')} FROM ${sqlIdent(source)}`,
  );
  if (!row) throw new CyclopsError('internal', 'aggregate returned no row');
  const rowCount = Number(row.rows);
  let unchanged = true;
  const select = columns.map((c, i) => {
    const col = sqlIdent(c.name);
    const allNull = rowCount > 0 && !known?.[i]?.someValue && Number(row[`n${i}`]) === 0;
    const cast = allNull ? 'CAST(NULL AS VARCHAR)' : castFor(col, c.duckType, row[`w${i}`] === true);
    if (cast !== col && cast !== `CAST(${col} AS ${c.duckType})` && !(allNull && c.duckType === 'VARCHAR')) {
      unchanged = false;
    }
    return `${cast} AS ${col}`;
  });
  return { rowCount, select: select.join(', '), unchanged };
}

/**
 * Per top-level column of a flat Parquet file, from its row groups' statistics: whether some value is
 * not NULL, and whether some min or max is not a whole number within ±(2^53 - 1). Null when the file
 * is not flat (nested columns have several leaves).
 */
async function parquetFacts(
  session: DuckSession,
  parquet: string,
  columns: number,
): Promise<{ someValue: boolean; fractional: boolean }[] | null> {
  const rows = await session.rows(
    `SELECT column_id, stats_null_count AS nulls, num_values AS n, stats_min_value AS lo, stats_max_value AS hi
     FROM parquet_metadata(${sqlString(parquet)})`,
  );
  const facts = Array.from({ length: columns }, () => ({ someValue: false, fractional: false }));
  for (const r of rows) {
    const fact = facts[Number(r.column_id)];
    if (!fact) return null;
    if (r.nulls !== null && Number(r.nulls) < Number(r.n)) fact.someValue = true;
    for (const bound of [r.lo, r.hi]) {
      const v = bound === null ? Number.NaN : Number(bound);
      if (Number.isFinite(v) && (Math.trunc(v) !== v || Math.abs(v) > Number(MAX_SAFE)))
        fact.fractional = true;
    }
  }
  return facts;
}

function castFor(col: string, duckType: string, wholeValued: boolean): string {
  if (EXACT_INTEGER.test(duckType)) return `CAST(${col} AS BIGINT)`;
  if (MAYBE_INTEGER.test(duckType)) return `CAST(${col} AS ${wholeValued ? 'BIGINT' : 'DOUBLE'})`;
  if (duckType === 'BOOLEAN' || duckType === 'DATE' || duckType === 'VARCHAR') return col;
  // Instants are kept as UTC wall time; TIMESTAMP is microseconds, so _NS loses its last digits.
  if (duckType === 'TIMESTAMP WITH TIME ZONE') return `timezone('UTC', ${col})`;
  if (duckType.startsWith('TIMESTAMP')) return `CAST(${col} AS TIMESTAMP)`;
  if (NESTED.test(duckType)) return `CAST(to_json(${col}) AS VARCHAR)`;
  // TIME, INTERVAL, UUID, ENUM, BLOB, the NULL type...: kept as their text form.
  return `CAST(${col} AS VARCHAR)`;
}

/** The ColumnTypes of a table made by normalizeTable. */
export async function typedColumns(session: DuckSession, table: string): Promise<TypedColumn[]> {
  return (await describeColumns(session, table)).map((c) => {
    const type = BY_STORAGE.get(c.duckType);
    if (!type) {
      throw new CyclopsError(
        'internal',
        `column '${c.name}' of table '${table}' is ${c.duckType}: not a normalized table`,
      );
    }
    return { name: c.name, type };
  });
}
