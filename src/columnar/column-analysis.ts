import type { ComputeTask, SummaryResult } from './compute-tasks.js';
import { PARALLEL_MIN_CELLS, runTasks, startScanJob } from './compute-threads.js';
import { correlationMatrix, MAX_CORRELATION_COLUMNS, pairCount } from './correlation.js';
import type { DuckSession } from './duckdb-session.js';
import type { TypedColumn } from './normalize.js';
import type { NumberMoments, NumberSummary } from './numeric-stats.js';
import { TableReader } from './table-scan.js';

export interface ColumnAnalysis {
  /** Non-NULL values per column of the table (for the columns read). */
  present: Map<number, number>;
  summaries: Map<number, NumberSummary>;
  /** Over the first MAX_CORRELATION_COLUMNS numeric columns. */
  correlations: (number | null)[][];
  /** Every column's digest (column-hash.ts) when hashed, in table order. */
  digests: string[];
  /** The long strings' digest (tableDigest) when hashed and there is a string column. */
  longStrings: string | null;
}

/**
 * Reads the table's columns once (every column when `hash`, else the numeric ones) and hashes and
 * summarizes them: while DuckDB streams the rows, this thread hashes the non-numeric columns and the
 * compute thread (compute-threads.ts) hashes the numeric ones and converts them to doubles as they
 * arrive; then both threads share the numeric summaries and the correlation pairs. A table under
 * PARALLEL_MIN_CELLS stays on this thread.
 */
export async function analyzeColumns(
  session: DuckSession,
  table: string,
  columns: readonly TypedColumn[],
  rowCount: number,
  numeric: number[],
  hash: boolean,
  onStage?: (stage: 'scan' | 'summaries' | 'correlations') => void,
): Promise<ColumnAnalysis> {
  // Numeric columns go to shared memory for the compute thread; the others, when hashed, are
  // hashed here as they stream by.
  const others = hash ? columns.flatMap((_, i) => (numeric.includes(i) ? [] : [i])) : [];
  const parallel = rowCount * (numeric.length + others.length) >= PARALLEL_MIN_CELLS;
  const reader = new TableReader(columns, rowCount, numeric, others, hash);
  // A float column's bytes are its doubles: it is made canonical in place, which also makes its NULLs
  // NaN (as the hash encodes them). Integers get an array of doubles of their own.
  const doubles = reader.columns.map((data, column) => ({
    column,
    out:
      data.type === 'float'
        ? new Float64Array(data.bytes.buffer, data.bytes.byteOffset, rowCount)
        : new Float64Array(new SharedArrayBuffer(rowCount * 8)),
  }));
  const job = startScanJob({ columns: reader.columns, hash, doubles }, parallel);
  const read = await reader.read(session, table, (upTo) => job.advance(upTo));
  const { digests, moments, present } = await job.finish(rowCount);
  onStage?.('scan');

  const tasks = doubles.map(
    ({ out }, k): ComputeTask => ({
      kind: 'summary',
      doubles: out,
      moments: moments[k] as NumberMoments,
      correlate: k < MAX_CORRELATION_COLUMNS,
    }),
  );
  const results = (await runTasks(tasks, parallel)) as SummaryResult[];
  onStage?.('summaries');
  const prepared = results.flatMap((r) => (r.correlation ? [r.correlation] : []));
  const pairs = pairCount(prepared.length);
  const cuts = parallel && pairs > 1 ? [0, Math.ceil(pairs / 2), pairs] : [0, pairs];
  const sums = (await runTasks(
    cuts
      .slice(1)
      .map((to, k): ComputeTask => ({ kind: 'pairs', columns: prepared, from: cuts[k] as number, to })),
    parallel,
  )) as Float64Array[];
  const all = new Float64Array(sums.reduce((n, x) => n + x.length, 0));
  sums.reduce((at, x) => {
    all.set(x, at);
    return at + x.length;
  }, 0);
  onStage?.('correlations');
  const digestOf = new Map([
    ...numeric.map((column, k) => [column, digests[k] as string] as const),
    ...others.map((column, k) => [column, read.digests[k] as string] as const),
  ]);
  return {
    present: new Map([
      ...numeric.map((column, k) => [column, present[k] as number] as const),
      ...others.map((column, k) => [column, read.present[k] as number] as const),
    ]),
    summaries: new Map(numeric.map((column, k) => [column, (results[k] as SummaryResult).summary])),
    correlations: correlationMatrix(prepared, all),
    digests: hash ? columns.map((_, i) => digestOf.get(i) as string) : [],
    longStrings: read.longStrings,
  };
}
