import { createHash, randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import type { DuckSession } from './duckdb-session.js';
import { type TypedColumn, typedColumns } from './normalize.js';
import { sqlIdent, sqlString } from './sql.js';

/**
 * Writes a table as one ZSTD Parquet file, rows in table order (the session preserves insertion order),
 * and returns its size in bytes. The file appears under `outPath` only when complete: it is written
 * beside it under a temporary name and renamed, and the temporary file is removed on failure.
 */
export async function writeParquet(session: DuckSession, table: string, outPath: string): Promise<number> {
  const partial = `${outPath}.partial-${randomUUID()}`;
  try {
    await session.run(`COPY ${sqlIdent(table)} TO ${sqlString(partial)} (FORMAT parquet, COMPRESSION zstd)`);
    await rename(partial, outPath);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return (await stat(outPath)).size;
}

// Bumped if the encoding below ever changes, so old and new hashes never collide by accident.
const HASH_VERSION = 'cyclops.table.v2';
/** Rows per block: DuckDB digests each block in row order; JS hashes the block digests in order. */
const BLOCK_ROWS = 4096;

/**
 * SHA-256 of a normalized table's content: its column names and types, then every row in order.
 * Each value is encoded from its ColumnType, not from the file it came from, so the same table read
 * from CSV, JSON or Parquet hashes the same, and `1` and `1.0` in an integer column are the same value.
 *
 * The per-value work runs inside DuckDB (in parallel, no JS value per cell): each row becomes the MD5
 * of its canonical text, each block of 4,096 rows the MD5 of its row digests in row order, and JS
 * feeds the block digests in order into SHA-256. Canonical text per value: `N` for null, else a type
 * letter and: integer decimal; float `%.17g` (exact for every double; -0 as 0); boolean 1/0; string
 * its length, `:` and the text; date days since 1970-01-01; timestamp microseconds since the epoch.
 */
export async function contentHash(session: DuckSession, table: string): Promise<string> {
  const columns = await typedColumns(session, table);
  const hash = createHash('sha256');
  hash.update(`${HASH_VERSION}\n${JSON.stringify(columns.map((c) => [c.name, c.type]))}\n`);
  const row = columns.length === 0 ? "''" : `concat(${columns.map(canonical).join(', ')})`;
  const result = await session.stream(
    `SELECT md5(string_agg(h, '' ORDER BY rn)) AS block
     FROM (SELECT rowid AS rn, md5(${row}) AS h FROM ${sqlIdent(table)})
     GROUP BY rn // ${BLOCK_ROWS} ORDER BY rn // ${BLOCK_ROWS}`,
  );
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const block of chunk.getColumnValues(0)) hash.update(String(block));
  }
  return hash.digest('hex');
}

function canonical(c: TypedColumn): string {
  const col = sqlIdent(c.name);
  const text = (() => {
    switch (c.type) {
      case 'integer':
        return `'I' || CAST(${col} AS VARCHAR)`;
      case 'float':
        return `'F' || CASE WHEN ${col} = 0 THEN '0' ELSE printf('%.17g', ${col}) END`;
      case 'boolean':
        return `CASE WHEN ${col} THEN 'B1' ELSE 'B0' END`;
      case 'date':
        return `'D' || CAST(${col} - DATE '1970-01-01' AS VARCHAR)`;
      case 'timestamp':
        return `'T' || CAST(epoch_us(${col}) AS VARCHAR)`;
      default:
        return `'S' || CAST(strlen(${col}) AS VARCHAR) || ':' || ${col}`;
    }
  })();
  return `coalesce(${text}, 'N')`;
}
