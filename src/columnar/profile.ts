import { CyclopsError } from '../core/index.js';
import { analyzeColumns } from './column-analysis.js';
import { MAX_CORRELATION_COLUMNS } from './correlation.js';
import type { DuckSession } from './duckdb-session.js';
import type { ColumnType } from './normalize.js';
import type { NumberSummary, NumericProfile } from './numeric-stats.js';
import type { ColumnKind, ColumnSchema, TableSchema } from './schema.js';
import { sqlIdent } from './sql.js';

export { MAX_CORRELATION_COLUMNS } from './correlation.js';
export { EXACT_DISTINCT_LIMIT } from './distinct-count.js';
export { binEdges, HISTOGRAM_BINS, type NumericProfile, PROFILE_QUANTILES } from './numeric-stats.js';

export const TOP_CATEGORIES = 10;

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  kind: ColumnKind;
  /** Values present: not NULL and, for floats, not NaN (pandas counts NaN as missing). */
  count: number;
  missing: number;
  /**
   * Number of distinct present values: exact, except for a numeric column with more than
   * EXACT_DISTINCT_LIMIT (100,000) distinct values, where it is a HyperLogLog estimate (2^16 registers:
   * relative standard error 0.41%; measured RMS 0.36%, worst 0.98% over 105 columns of 100k-3M
   * distinct values) and `distinctApproximate` is set.
   */
  distinct: number;
  /** Present (true) only when `distinct` is an estimate. */
  distinctApproximate?: true;
  /** Numeric columns. */
  numeric?: NumericProfile;
  /** Categorical, boolean and text columns: the most frequent values, ties broken by value (ascending). */
  top?: { value: string; count: number }[];
  /** Datetime columns: the earliest and latest value, ISO 8601 (dates as YYYY-MM-DD). */
  range?: { min: string | null; max: string | null };
}

export interface TableProfile {
  columns: ColumnProfile[];
  /** Pearson correlations of the numeric columns, over the rows where both values are finite. */
  correlations: { columns: string[]; values: (number | null)[][] };
}

type TypedKind = { name: string; type: ColumnType; kind: ColumnKind };

/** What DuckDB computes for a column that is not numeric: counts, and its top values or its range. */
export interface OtherColumnStats {
  count: number;
  distinct: number;
  top?: { value: string; count: number }[];
  range?: { min: string | null; max: string | null };
}

/**
 * Summary statistics of a normalized table. Non-numeric columns are counted, ranged and ranked in
 * DuckDB (one aggregate, one top-values query); numeric columns are read once into JS as doubles and
 * summarized there (numeric-stats.ts, correlation.ts): exact moments, quantiles and histograms, and a
 * distinct count that is estimated only past EXACT_DISTINCT_LIMIT distinct values.
 * Every stored number is finite (JSON has no NaN or Infinity): NaN is missing, ±Infinity is counted in
 * `numeric.infinite` and left out of the statistics, and a statistic that is undefined is null.
 */
export async function profileTable(
  session: DuckSession,
  table: string,
  schema: TableSchema,
): Promise<TableProfile> {
  const [row] = await session.rows(`SELECT count(*) AS n FROM ${sqlIdent(table)}`);
  const rowCount = Number(row?.n ?? 0);
  const others = await otherColumnStats(session, table, schema.columns);
  const numeric = numericColumns(schema.columns);
  const { summaries, correlations } = await analyzeColumns(
    session,
    table,
    schema.columns,
    rowCount,
    numeric,
    false,
  );
  return assembleProfile(schema.columns, rowCount, others, summaries, correlations);
}

/** Indexes of the columns profiled as numbers. */
export function numericColumns(columns: readonly TypedKind[]): number[] {
  return columns.flatMap((c, i) => {
    if (c.kind !== 'numeric') return [];
    if (c.type !== 'integer' && c.type !== 'float') {
      throw new CyclopsError('internal', `numeric column '${c.name}' is stored as ${c.type}`);
    }
    return [i];
  });
}

/** The profile from DuckDB's stats of the other columns and the numeric columns' summaries. */
export function assembleProfile(
  columns: readonly ColumnSchema[],
  rowCount: number,
  others: Map<number, OtherColumnStats>,
  summaries: Map<number, NumberSummary>,
  correlations: (number | null)[][],
): TableProfile {
  const out = columns.map((c, i): ColumnProfile => {
    const s = summaries.get(i);
    if (c.kind === 'numeric' && s) {
      return {
        ...base(c, rowCount, s.count, s.distinct),
        ...(s.distinctApproximate ? { distinctApproximate: true as const } : {}),
        numeric: s.numeric,
      };
    }
    const o = others.get(i);
    if (!o) throw new CyclopsError('internal', `no statistics for column '${c.name}'`);
    return {
      ...base(c, rowCount, o.count, o.distinct),
      ...(o.range ? { range: o.range } : { top: o.top ?? [] }),
    };
  });
  const correlated = numericColumns(columns).slice(0, MAX_CORRELATION_COLUMNS);
  return {
    columns: out,
    correlations: { columns: correlated.map((i) => (columns[i] as ColumnSchema).name), values: correlations },
  };
}

function base(c: ColumnSchema, rowCount: number, count: number, distinct: number) {
  return { name: c.name, type: c.type, kind: c.kind, count, missing: rowCount - count, distinct };
}

/**
 * Count, exact distinct count and range (datetime) of every column not of kind 'numeric' in one
 * aggregate, and the top values of the categorical, boolean and text ones.
 */
export async function otherColumnStats(
  session: DuckSession,
  table: string,
  columns: readonly TypedKind[],
): Promise<Map<number, OtherColumnStats>> {
  const out = new Map<number, OtherColumnStats>();
  const others = columns.flatMap((c, i) => (c.kind === 'numeric' ? [] : [{ ...c, i }]));
  if (others.length === 0) return out;
  const aggregates = others.flatMap(({ name, type, kind, i }) => {
    const col = sqlIdent(name);
    const list = [`count(${col}) AS n${i}`, `count(DISTINCT ${col}) AS d${i}`];
    if (kind === 'datetime') {
      list.push(`${isoText(`min(${col})`, type)} AS lo${i}`, `${isoText(`max(${col})`, type)} AS hi${i}`);
    }
    return list;
  });
  const [stats] = await session.rows(`SELECT ${aggregates.join(', ')} FROM ${sqlIdent(table)}`);
  if (!stats) throw new CyclopsError('internal', 'aggregate returned no row');
  const tops = await topValues(
    session,
    table,
    others.filter((c) => c.kind !== 'datetime'),
  );
  for (const { kind, i } of others) {
    const o: OtherColumnStats = { count: Number(stats[`n${i}`]), distinct: Number(stats[`d${i}`]) };
    if (kind === 'datetime') o.range = { min: text(stats[`lo${i}`]), max: text(stats[`hi${i}`]) };
    else o.top = tops.get(i) ?? [];
    out.set(i, o);
  }
  return out;
}

function isoText(expr: string, type: ColumnType): string {
  return type === 'date' ? `CAST(${expr} AS VARCHAR)` : `replace(CAST(${expr} AS VARCHAR), ' ', 'T')`;
}

async function topValues(
  session: DuckSession,
  table: string,
  columns: { i: number; name: string }[],
): Promise<Map<number, { value: string; count: number }[]>> {
  const out = new Map<number, { value: string; count: number }[]>();
  if (columns.length === 0) return out;
  const parts = columns.map(({ i, name }) => {
    const col = sqlIdent(name);
    return `(SELECT ${i} AS i, CAST(${col} AS VARCHAR) AS value, count(*) AS n FROM ${sqlIdent(table)} WHERE ${col} IS NOT NULL GROUP BY ${col} ORDER BY n DESC, ${col} ASC LIMIT ${TOP_CATEGORIES})`;
  });
  const rows = await session.rows(`SELECT * FROM (${parts.join(' UNION ALL ')}) ORDER BY i, n DESC, value`);
  for (const r of rows) {
    const i = Number(r.i);
    const list = out.get(i) ?? [];
    list.push({ value: String(r.value), count: Number(r.n) });
    out.set(i, list);
  }
  return out;
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
