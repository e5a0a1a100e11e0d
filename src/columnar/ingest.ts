import { type DuckSession, type DuckSessionOptions, withSession } from './duckdb-session.js';
import { profileTable, type TableProfile } from './profile.js';
import { type LoadedTable, type ReadTableOptions, readTable } from './read-table.js';
import { inferSchema, type TableSchema } from './schema.js';
import { contentHash, writeParquet } from './snapshot.js';

export interface IngestResult {
  rowCount: number;
  schema: TableSchema;
  /** SHA-256 hex of the normalized table (see contentHash). */
  contentHash: string;
  /** Size of the written Parquet file. */
  bytes: number;
  /** Summary statistics of the table (see profileTable). */
  profile: TableProfile;
}

/**
 * Reads a file, normalizes it, profiles it and writes it as a Parquet snapshot at `outParquetPath`, in a
 * session of its own: the file is read once.
 */
export async function ingestFile(
  source: Omit<ReadTableOptions, 'table'>,
  outParquetPath: string,
  sessionOptions?: DuckSessionOptions,
): Promise<IngestResult> {
  return withSession(async (session) => {
    const loaded = await readTable(session, source);
    return snapshotTable(session, loaded, outParquetPath);
  }, sessionOptions);
}

/**
 * Schema, content hash and profile of a normalized table already in the session, and its Parquet
 * snapshot at `outParquetPath`: what every way of making a version (upload, query, split, transform) ends with.
 */
export async function snapshotTable(
  session: DuckSession,
  loaded: LoadedTable,
  outParquetPath: string,
): Promise<IngestResult> {
  const { table, rowCount } = loaded;
  const schema = await inferSchema(session, table);
  const hash = await contentHash(session, table);
  const profile = await profileTable(session, table, schema);
  // Written last and renamed into place by writeParquet: a failure anywhere leaves no output file
  // (and never deletes a file that was already at outParquetPath).
  const bytes = await writeParquet(session, table, outParquetPath);
  return { rowCount, schema, contentHash: hash, bytes, profile };
}
