import { randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { analyzeColumns } from './column-analysis.js';
import { tableDigest } from './column-hash.js';
import { startComputeThread } from './compute-threads.js';
import { type DuckSession, type DuckSessionOptions, withSession } from './duckdb-session.js';
import { planNormalization, typedColumns } from './normalize.js';
import { assembleProfile, numericColumns, otherColumnStats, type TableProfile } from './profile.js';
import { type LoadedTable, loadFile, type ReadTableOptions } from './read-table.js';
import { columnKind, type TableSchema } from './schema.js';
import { PARQUET_OPTIONS, writeParquetWhile } from './snapshot.js';
import { sqlString } from './sql.js';

const RAW = 'dataset__raw';
const EARLY_THREAD_BYTES = 16 << 20;
const TABLE = 'dataset';

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
 *
 * The file goes straight to Parquet (DuckDB's reader feeding its writer, in parallel) and is analyzed
 * from there: when no column needs a cast (the common case for CSV) that file is the snapshot, with no
 * table in memory and no second write. Otherwise the normalized table is built from it and
 * snapshotted as every other version is. Either way the result is what readTable + snapshotTable give.
 */
export async function ingestFile(
  source: Omit<ReadTableOptions, 'table'>,
  outParquetPath: string,
  sessionOptions?: DuckSessionOptions,
): Promise<IngestResult> {
  return withSession((session) => ingestInto(session, source, outParquetPath), sessionOptions);
}

export type IngestStage = 'read' | 'normalize' | AnalysisStage;
export type AnalysisStage = 'scan' | 'summaries' | 'correlations' | 'profile';

/** ingestFile in a fresh session of the caller's; `onStage` is called after each step (for benchmarks). */
export async function ingestInto(
  session: DuckSession,
  source: Omit<ReadTableOptions, 'table'>,
  outParquetPath: string,
  onStage?: (stage: IngestStage) => void,
): Promise<IngestResult> {
  const partial = `${outParquetPath}.partial-${randomUUID()}`;
  // A big file will want the compute thread: start it while DuckDB reads.
  const size = await stat(source.path).then(
    (s) => s.size,
    () => 0,
  );
  if (size >= EARLY_THREAD_BYTES) startComputeThread();
  try {
    const raw = await loadFile(session, source, async (reader) => {
      await session.run(`COPY (SELECT * FROM ${reader}) TO ${sqlString(partial)} ${PARQUET_OPTIONS}`);
      await session.run(`CREATE OR REPLACE VIEW ${RAW} AS SELECT * FROM read_parquet(${sqlString(partial)})`);
      return RAW;
    });
    onStage?.('read');
    // For a CSV, the Parquet file's statistics usually settle that no column needs a cast.
    const plan = await planNormalization(session, raw, partial);
    onStage?.('normalize');
    if (!plan.unchanged) {
      await session.run(`CREATE TABLE ${TABLE} AS SELECT ${plan.select} FROM ${raw}`);
      await session.run(`DROP VIEW ${raw}`);
      await rm(partial, { force: true });
      return await snapshotTable(session, { table: TABLE, rowCount: plan.rowCount }, outParquetPath);
    }
    const analysis = await analyzeTable(session, raw, plan.rowCount, onStage);
    await rename(partial, outParquetPath);
    return { rowCount: plan.rowCount, ...analysis, bytes: (await stat(outParquetPath)).size };
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

/**
 * Schema, content hash and profile of a normalized table already in the session, and its Parquet
 * snapshot at `outParquetPath`: what every way of making a version (upload, query, split, transform) ends with.
 * The snapshot is written on a second connection while the table is analyzed, and renamed into place
 * only when both succeeded: a failure anywhere leaves no output file (and never deletes a file that
 * was already at outParquetPath).
 */
export async function snapshotTable(
  session: DuckSession,
  loaded: LoadedTable,
  outParquetPath: string,
): Promise<IngestResult> {
  const { table, rowCount } = loaded;
  const { bytes, result } = await writeParquetWhile(session, table, outParquetPath, () =>
    analyzeTable(session, table, rowCount),
  );
  return { rowCount, ...result, bytes };
}

/**
 * inferSchema, contentHash and profileTable of a normalized table in one go, with the same results:
 * one aggregate and one top-values query for the non-numeric columns, and one scan that hashes every
 * column and hands the numeric ones to JS as doubles. `onStage` is called after each step (for
 * benchmarks: 'scan', 'summaries', 'correlations' (analyzeColumns), then 'profile').
 */
export async function analyzeTable(
  session: DuckSession,
  table: string,
  rowCount: number,
  onStage?: (stage: AnalysisStage) => void,
): Promise<{ schema: TableSchema; contentHash: string; profile: TableProfile }> {
  const typed = await typedColumns(session, table);
  // Categorical or text is decided by the distinct count computed here; both get top values.
  const kinds = typed.map((c) => ({ ...c, kind: columnKind(c.type, 0, rowCount) }));
  // The aggregate runs in DuckDB beside the read, which is mostly JS work.
  const aggregate = session.beside((side) => otherColumnStats(side, table, kinds));
  const analysis = analyzeColumns(session, table, typed, rowCount, numericColumns(kinds), true, onStage);
  const [othersDone, analysisDone] = await Promise.allSettled([aggregate, analysis]);
  if (othersDone.status === 'rejected') throw othersDone.reason;
  if (analysisDone.status === 'rejected') throw analysisDone.reason;
  const others = othersDone.value;
  const { present, summaries, correlations, digests, longStrings } = analysisDone.value;
  const schema: TableSchema = {
    columns: typed.map((c, i) => ({
      name: c.name,
      type: c.type,
      nullable: (present.get(i) ?? 0) < rowCount,
      kind: columnKind(c.type, others.get(i)?.distinct ?? 0, rowCount),
    })),
  };
  const profile = assembleProfile(schema.columns, rowCount, others, summaries, correlations);
  onStage?.('profile');
  return { schema, contentHash: tableDigest(typed, rowCount, digests, longStrings), profile };
}
