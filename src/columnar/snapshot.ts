import { randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { analyzeColumns } from './column-analysis.js';
import { tableDigest } from './column-hash.js';
import type { DuckSession } from './duckdb-session.js';
import { typedColumns } from './normalize.js';
import { sqlIdent, sqlString } from './sql.js';

/**
 * How every Parquet file CyclOps writes is written. ZSTD level 1 rather than DuckDB's default 3, and
 * row groups of 30,720 rows rather than 122,880: DuckDB's writer keeps rows in order with smaller
 * work units then, and on a million mixed rows from CSV (2 threads) the file is written in about 80%
 * of the time for the same size (91.4 MB against 91.5 MB).
 */
export const PARQUET_OPTIONS =
  '(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE 30720)';

/**
 * Writes a table as one ZSTD Parquet file (PARQUET_OPTIONS), rows in table order (the session preserves insertion order),
 * and returns its size in bytes. The file appears under `outPath` only when complete: it is written
 * beside it under a temporary name and renamed, and the temporary file is removed on failure.
 */
export async function writeParquet(session: DuckSession, table: string, outPath: string): Promise<number> {
  return (await writeParquetWhile(session, table, outPath, async () => undefined)).bytes;
}

/**
 * writeParquet on a connection of its own while `work` runs (queries on the session, JS computation):
 * the COPY keeps DuckDB's threads busy while JS computes. The file is renamed into place only when
 * both succeed; if either fails, the other is waited for, the partial file removed and the error
 * rethrown (the work's first).
 */
export async function writeParquetWhile<T>(
  session: DuckSession,
  table: string,
  outPath: string,
  work: () => Promise<T>,
): Promise<{ bytes: number; result: T }> {
  const partial = `${outPath}.partial-${randomUUID()}`;
  const copy = session.beside((side) =>
    side.run(`COPY ${sqlIdent(table)} TO ${sqlString(partial)} ${PARQUET_OPTIONS}`),
  );
  const [copied, worked] = await Promise.allSettled([copy, Promise.resolve().then(work)]);
  try {
    if (worked.status === 'rejected') throw worked.reason;
    if (copied.status === 'rejected') throw copied.reason;
    await rename(partial, outPath);
    return { bytes: (await stat(outPath)).size, result: worked.value };
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

/**
 * SHA-256 of a normalized table's content: its column names and types, its row count, then each
 * column's digest (column-hash.ts has the encoding). Each value is encoded from its ColumnType, not
 * from the file it came from, so the same table read from CSV, JSON or Parquet hashes the same, and
 * `1` and `1.0` in an integer column are the same value. Row order counts.
 *
 * The values are read in bulk from DuckDB's vectors and hashed as their fixed-width bytes: no
 * per-value text, no JS value per cell (format 'cyclops.table.v3'; v2 printed every float with
 * %.17g and cost 3x more on a million rows).
 */
export async function contentHash(session: DuckSession, table: string): Promise<string> {
  const columns = await typedColumns(session, table);
  const [row] = await session.rows(`SELECT count(*) AS n FROM ${sqlIdent(table)}`);
  const rows = Number(row?.n ?? 0);
  const { digests, longStrings } = await analyzeColumns(session, table, columns, rows, [], true);
  return tableDigest(columns, rows, digests, longStrings);
}
