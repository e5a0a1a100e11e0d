import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DuckSession,
  type DuckSessionOptions,
  type IngestResult,
  type LoadedTable,
  snapshotTable,
  withSession,
} from '../columnar/index.js';
import { invalid } from '../core/index.js';

/** A table loaded into a session, snapshotted to a Parquet file under the build's scratch directory. */
export interface BuiltTable {
  loaded: LoadedTable;
  result: IngestResult;
  parquetPath: string;
}

/**
 * A version's snapshot and what was computed on it, and its rows as a table of the session (made on
 * demand: an upload goes straight to Parquet, and only saved validation rules need a table).
 */
export interface BuiltVersion {
  result: IngestResult;
  parquetPath: string;
  table: () => Promise<string>;
}

/** A version needs rows: a header-only file, an empty query result or an empty split part is refused. */
export function requireRows(rowCount: number, what: string): void {
  if (rowCount === 0) {
    throw invalid(`${what}: has no rows (a dataset version needs at least one)`, { source: what });
  }
}

/**
 * Runs `fn` with a DuckDB session and a private scratch directory, both gone afterwards whatever
 * happens: whatever a version build leaves behind on failure is in one of the two.
 */
export async function withScratch<T>(
  sessionOptions: DuckSessionOptions | undefined,
  fn: (session: DuckSession, dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'cyclops-version-'));
  try {
    return await withSession((session) => fn(session, dir), sessionOptions);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Schema, hash, profile and Parquet snapshot of a loaded table. A version needs rows: a header-only file,
 * an empty query result or an empty split part is refused, naming where it came from.
 */
export async function buildTable(
  session: DuckSession,
  dir: string,
  loaded: LoadedTable,
  what: string,
): Promise<BuiltTable> {
  requireRows(loaded.rowCount, what);
  const parquetPath = join(dir, `${loaded.table}.parquet`);
  const result = await snapshotTable(session, loaded, parquetPath);
  return { loaded, result, parquetPath };
}
