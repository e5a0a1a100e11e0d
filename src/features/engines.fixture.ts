import { join } from 'node:path';
import { type DuckSession, readTable, sqlIdent, type TableFormat } from '../columnar/index.js';
import { compileRowTransform } from './apply-row.js';
import { applyTransformsSql } from './apply-sql.js';
import type { OutputValue, RowValue, TransformSpec } from './transform.entity.js';

/** Test support: both engines on one table, and a comparison of what they give. */
export const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');

export async function loadDataset(session: DuckSession, file: string, table: string): Promise<void> {
  const format = file.slice(file.lastIndexOf('.') + 1) as TableFormat;
  await readTable(session, { path: join(DATA, file), format, table });
}

/**
 * A table's rows as an HTTP JSON body would carry them: through JSON text, with dates and timestamps as
 * their ISO text (DuckDB's own VARCHAR form), BIGINT as numbers.
 */
export async function jsonRows(session: DuckSession, table: string): Promise<Record<string, RowValue>[]> {
  const columns = await session.rows(
    `SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = '${table}' ORDER BY column_index`,
  );
  const select = columns.map((c) => {
    const col = sqlIdent(String(c.name));
    return c.type === 'DATE' || c.type === 'TIMESTAMP' ? `CAST(${col} AS VARCHAR) AS ${col}` : col;
  });
  const rows = await session.rows(`SELECT ${select.join(', ')} FROM ${sqlIdent(table)}`);
  return JSON.parse(JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? Number(v) : v)));
}

/** The batch engine's output table, read back the same way. */
export async function sqlOutputs(
  session: DuckSession,
  spec: TransformSpec,
  table: string,
): Promise<Record<string, OutputValue>[]> {
  const out = `${table}__out`;
  await session.run(`DROP TABLE IF EXISTS ${sqlIdent(out)}`);
  await applyTransformsSql(session, spec, table, out);
  // JSON would turn a NaN or an infinity into null and hide it: the spec promises none.
  const floats = spec.outputs.filter((o) => o.type === 'float').map((o) => sqlIdent(o.name));
  if (floats.length > 0) {
    const [row] = await session.rows(
      `SELECT count(*) AS n FROM ${sqlIdent(out)} WHERE ${floats.map((f) => `NOT isfinite(${f})`).join(' OR ')}`,
    );
    if (Number(row?.n) > 0) throw new Error(`${row?.n} rows of ${out} hold NaN or an infinity`);
  }
  return jsonRows(session, out);
}

export function rowOutputs(
  spec: TransformSpec,
  rows: readonly Record<string, RowValue>[],
): Record<string, OutputValue>[] {
  const transform = compileRowTransform(spec);
  return rows.map((r) => transform.apply(r));
}

/**
 * Agreement to 1e-9, relative (absolute below 1); nulls and non-numbers must be equal. A NaN or an
 * infinity never agrees: no engine may output one.
 */
export function agrees(a: OutputValue | undefined, b: OutputValue | undefined): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  }
  return a === b;
}

/** Every disagreement between two engines' outputs (empty: identical within 1e-9). */
export function disagreements(
  spec: TransformSpec,
  sql: readonly Record<string, OutputValue>[],
  row: readonly Record<string, OutputValue>[],
): string[] {
  const out: string[] = [];
  if (sql.length !== row.length) return [`${sql.length} SQL rows, ${row.length} row-engine rows`];
  sql.forEach((s, i) => {
    const r = row[i] as Record<string, OutputValue>;
    for (const { name } of spec.outputs) {
      if (!Object.hasOwn(s, name) || !Object.hasOwn(r, name)) out.push(`row ${i} '${name}': missing`);
      else if (!agrees(s[name], r[name])) {
        out.push(`row ${i} '${name}': SQL ${JSON.stringify(s[name])}, row engine ${JSON.stringify(r[name])}`);
      }
    }
  });
  return out;
}
