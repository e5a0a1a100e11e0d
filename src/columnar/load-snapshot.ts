import type { DuckSession } from './duckdb-session.js';
import type { LoadedTable } from './read-table.js';
import { sqlIdent, sqlString } from './sql.js';

/**
 * Loads a Parquet snapshot written by writeParquet into the session as it is: a snapshot is already
 * normalized, so unlike readTable there is nothing to guess or cast, and row order is kept.
 */
export async function loadSnapshot(session: DuckSession, path: string, table: string): Promise<LoadedTable> {
  await session.run(`CREATE TABLE ${sqlIdent(table)} AS SELECT * FROM read_parquet(${sqlString(path)})`);
  const [row] = await session.rows(`SELECT count(*) AS n FROM ${sqlIdent(table)}`);
  return { table, rowCount: Number(row?.n ?? 0) };
}
