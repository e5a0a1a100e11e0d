import type { ColumnSchema, DuckSession } from '../../columnar/index.js';
import { sqlIdent } from '../../columnar/index.js';
import { MAX_SAMPLES, type RowSample, type SampleValue, toWireNumber } from '../../contracts/index.js';
import { queryOne } from './sql-predicate.js';

/**
 * Up to MAX_SAMPLES rows matching `condition`, in table order. `row` is the DuckDB rowid: the 0-based
 * position of the row in a table made by readTable (CREATE TABLE AS keeps the file's order).
 */
export async function sampleRows(
  session: DuckSession,
  table: string,
  columns: readonly ColumnSchema[],
  condition: string,
): Promise<RowSample[]> {
  const values = columns.map((c, i) => `${textFor(c)} AS v${i}`);
  const rows = await queryOne(
    session,
    `SELECT rowid AS r${values.map((v) => `, ${v}`).join('')} FROM ${sqlIdent(table)} WHERE ${condition} ORDER BY rowid LIMIT ${MAX_SAMPLES}`,
  );
  return rows.map((r) => ({
    row: Number(r.r),
    values: Object.fromEntries(columns.map((c, i) => [c.name, jsonSafe(r[`v${i}`])])),
  }));
}

/** Dates as YYYY-MM-DD and timestamps as ISO 8601 wall time, as the profile writes them. */
function textFor(c: ColumnSchema): string {
  const x = sqlIdent(c.name);
  if (c.type === 'date') return `CAST(${x} AS VARCHAR)`;
  if (c.type === 'timestamp') return `replace(CAST(${x} AS VARCHAR), ' ', 'T')`;
  return x;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A value JSON keeps exactly: integers past 2^53 as text, NaN and ±Infinity as their wire strings. */
export function jsonSafe(value: unknown): SampleValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : String(value);
  if (typeof value === 'number') return toWireNumber(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}
