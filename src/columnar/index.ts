// columnar/: DuckDB sessions and Parquet snapshots (DESIGN.md principle 3). Infrastructure: imports core/ and exec/ (its worker threads).
export {
  DEFAULT_MEMORY_LIMIT,
  DEFAULT_THREADS,
  DuckSession,
  type DuckSessionOptions,
  withSession,
} from './duckdb-session.js';
export { type IngestResult, ingestFile, ingestInto, snapshotTable } from './ingest.js';
export { loadSnapshot } from './load-snapshot.js';
export type { ColumnType } from './normalize.js';
export { describeConnection, type PostgresQueryOptions, readPostgresQuery } from './pg-source.js';
export {
  binEdges,
  type ColumnProfile,
  HISTOGRAM_BINS,
  MAX_CORRELATION_COLUMNS,
  type NumericProfile,
  PROFILE_QUANTILES,
  profileTable,
  type TableProfile,
  TOP_CATEGORIES,
} from './profile.js';
export { readDoubles } from './read-doubles.js';
export {
  type LoadedTable,
  type ReadTableOptions,
  readTable,
  TABLE_FORMATS,
  type TableFormat,
} from './read-table.js';
export {
  CATEGORICAL_MIN_LIMIT,
  CATEGORICAL_ROW_FRACTION,
  type ColumnKind,
  type ColumnSchema,
  categoricalLimit,
  inferSchema,
  type TableSchema,
} from './schema.js';
export { contentHash, writeParquet } from './snapshot.js';
export { sqlDouble, sqlIdent, sqlString } from './sql.js';
