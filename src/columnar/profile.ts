import { CyclopsError } from '../core/index.js';
import type { DuckSession } from './duckdb-session.js';
import type { ColumnType } from './normalize.js';
import type { ColumnKind, ColumnSchema, TableSchema } from './schema.js';
import { sqlIdent } from './sql.js';

/** The probabilities of the stored quantiles (linear interpolation, like pandas' and numpy's default). */
export const PROFILE_QUANTILES: readonly number[] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];
export const HISTOGRAM_BINS = 20;
export const TOP_CATEGORIES = 10;
/** Correlations cover the first this-many numeric columns (the matrix grows with the square). */
export const MAX_CORRELATION_COLUMNS = 100;

export interface NumericProfile {
  /** ±Infinity values: counted in `count`, left out of every statistic below. */
  infinite: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Sample standard deviation (n - 1 in the denominator, like pandas); null below 2 finite values. */
  std: number | null;
  /** One value per PROFILE_QUANTILES probability; empty when there is no finite value. */
  quantiles: { p: number; value: number }[];
  /**
   * numpy.histogram semantics: HISTOGRAM_BINS equal-width bins from min to max (min ± 0.5 when they are
   * equal), each [edge, next edge) except the last, which is closed. Null when there is no finite value.
   */
  histogram: { edges: number[]; counts: number[] } | null;
}

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  kind: ColumnKind;
  /** Values present: not NULL and, for floats, not NaN (pandas counts NaN as missing). */
  count: number;
  missing: number;
  /** Exact number of distinct present values. */
  distinct: number;
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

/**
 * Summary statistics of a normalized table: one aggregate pass for counts, moments, quantiles, ranges
 * and correlations, one for the histograms (their edges need min and max), one for the top categories.
 * Every stored number is finite (JSON has no NaN or Infinity): NaN is missing, ±Infinity is counted in
 * `numeric.infinite` and left out of the statistics, and a statistic that is undefined is null.
 */
export async function profileTable(
  session: DuckSession,
  table: string,
  schema: TableSchema,
): Promise<TableProfile> {
  const cols = schema.columns;
  const numeric = cols.flatMap((c, i) => (c.kind === 'numeric' ? [i] : []));
  const correlated = numeric.slice(0, MAX_CORRELATION_COLUMNS);
  const from = `(SELECT ${cols.flatMap((c, i) => projections(c, i)).join(', ')} FROM ${sqlIdent(table)})`;

  const aggregates = ['count(*) AS rows'];
  cols.forEach((c, i) => {
    aggregates.push(`count(p${i}) AS n${i}`, `count(DISTINCT p${i}) AS d${i}`);
    if (c.kind === 'numeric') {
      const probs = `[${PROFILE_QUANTILES.join(', ')}]`;
      aggregates.push(
        `count(f${i}) AS fn${i}`,
        `min(f${i}) AS lo${i}`,
        `max(f${i}) AS hi${i}`,
        `avg(f${i}) AS mu${i}`,
        `stddev_samp(f${i}) AS sd${i}`,
        `quantile_cont(f${i}, ${probs}) AS q${i}`,
      );
    } else if (c.kind === 'datetime') {
      aggregates.push(
        `${isoText(`min(p${i})`, c.type)} AS lo${i}`,
        `${isoText(`max(p${i})`, c.type)} AS hi${i}`,
      );
    }
  });
  correlated.forEach((a, x) => {
    for (const b of correlated.slice(x + 1)) aggregates.push(`corr(f${a}, f${b}) AS r${a}_${b}`);
  });
  const [stats] = await session.rows(`SELECT ${aggregates.join(', ')} FROM ${from}`);
  if (!stats) throw new CyclopsError('internal', 'aggregate returned no row');
  const rows = Number(stats.rows);

  const edges = new Map<number, number[]>();
  for (const i of numeric) {
    const lo = finite(stats[`lo${i}`]);
    const hi = finite(stats[`hi${i}`]);
    if (lo !== null && hi !== null) edges.set(i, binEdges(lo, hi));
  }
  const histograms = await histogramCounts(session, from, edges);
  const tops = await topValues(
    session,
    table,
    cols.flatMap((c, i) => (c.kind === 'numeric' || c.kind === 'datetime' ? [] : [{ i, name: c.name }])),
  );

  const columns = cols.map((c, i): ColumnProfile => {
    const count = Number(stats[`n${i}`]);
    const out: ColumnProfile = {
      name: c.name,
      type: c.type,
      kind: c.kind,
      count,
      missing: rows - count,
      distinct: Number(stats[`d${i}`]),
    };
    if (c.kind === 'numeric') {
      const e = edges.get(i);
      const q = stats[`q${i}`];
      out.numeric = {
        infinite: count - Number(stats[`fn${i}`]),
        min: finite(stats[`lo${i}`]),
        max: finite(stats[`hi${i}`]),
        mean: finite(stats[`mu${i}`]),
        std: finite(stats[`sd${i}`]),
        quantiles: Array.isArray(q)
          ? q.flatMap((v, k) => {
              const value = finite(v);
              const p = PROFILE_QUANTILES[k];
              return value === null || p === undefined ? [] : [{ p, value }];
            })
          : [],
        histogram: e ? { edges: e, counts: histograms.get(i) ?? [] } : null,
      };
    } else if (c.kind === 'datetime') {
      out.range = { min: text(stats[`lo${i}`]), max: text(stats[`hi${i}`]) };
    } else {
      out.top = tops.get(i) ?? [];
    }
    return out;
  });

  return {
    columns,
    correlations: {
      columns: correlated.map((i) => (cols[i] as ColumnSchema).name),
      values: correlated.map((a) =>
        correlated.map((b) => {
          if (a === b) return Number(stats[`fn${a}`]) >= 2 && (finite(stats[`sd${a}`]) ?? 0) > 0 ? 1 : null;
          return finite(stats[a < b ? `r${a}_${b}` : `r${b}_${a}`]);
        }),
      ),
    },
  };
}

/** p{i}: the value when present (NaN is missing); f{i}: numeric columns' finite values as DOUBLE. */
function projections(c: ColumnSchema, i: number): string[] {
  const col = sqlIdent(c.name);
  if (c.type === 'float') {
    return [
      `CASE WHEN isnan(${col}) THEN NULL ELSE ${col} END AS p${i}`,
      `CASE WHEN isfinite(${col}) THEN ${col} END AS f${i}`,
    ];
  }
  if (c.type === 'integer') return [`${col} AS p${i}`, `CAST(${col} AS DOUBLE) AS f${i}`];
  return [`${col} AS p${i}`];
}

function isoText(expr: string, type: ColumnType): string {
  return type === 'date' ? `CAST(${expr} AS VARCHAR)` : `replace(CAST(${expr} AS VARCHAR), ' ', 'T')`;
}

/**
 * numpy.linspace(lo, hi, bins + 1) as numpy computes it (i * step + lo, the last edge exactly hi), with
 * numpy.histogram's widening of an empty range to lo - 0.5 .. hi + 0.5.
 */
export function binEdges(min: number, max: number, bins = HISTOGRAM_BINS): number[] {
  const lo = min === max ? min - 0.5 : min;
  const hi = min === max ? max + 0.5 : max;
  const step = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + lo);
  edges[bins] = hi;
  return edges;
}

/**
 * The bin of each finite value, found as numpy.histogram does: a first guess from the value's offset,
 * corrected by one bin when it falls on the wrong side of a stored edge, so counts agree with the edges.
 */
async function histogramCounts(
  session: DuckSession,
  from: string,
  edges: Map<number, number[]>,
): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (edges.size === 0) return out;
  const guesses: string[] = [];
  const bins: string[] = [];
  const aggregates: string[] = [];
  for (const [i, e] of edges) {
    const lo = e[0] as number;
    const hi = e[HISTOGRAM_BINS] as number;
    const list = `CAST([${e.map(sqlDouble).join(', ')}] AS DOUBLE[])`;
    guesses.push(
      `f${i}`,
      `least(CAST(floor((f${i} - ${sqlDouble(lo)}) / ${sqlDouble(hi - lo)} * ${HISTOGRAM_BINS}) AS INTEGER), ${HISTOGRAM_BINS - 1}) AS g${i}`,
    );
    // g is 0-based and DuckDB lists 1-based: edge g is list[g + 1]. least() skips NULLs, so a
    // missing value has a guess of its own: test f itself.
    bins.push(
      `CASE WHEN f${i} IS NULL THEN NULL WHEN f${i} < ${list}[g${i} + 1] THEN g${i} - 1 WHEN g${i} < ${HISTOGRAM_BINS - 1} AND f${i} >= ${list}[g${i} + 2] THEN g${i} + 1 ELSE g${i} END AS b${i}`,
    );
    for (let k = 0; k < HISTOGRAM_BINS; k++)
      aggregates.push(`count(*) FILTER (WHERE b${i} = ${k}) AS h${i}_${k}`);
  }
  const [row] = await session.rows(
    `SELECT ${aggregates.join(', ')} FROM (SELECT ${bins.join(', ')} FROM (SELECT ${guesses.join(', ')} FROM ${from}))`,
  );
  if (!row) throw new CyclopsError('internal', 'aggregate returned no row');
  for (const i of edges.keys()) {
    out.set(
      i,
      Array.from({ length: HISTOGRAM_BINS }, (_, k) => Number(row[`h${i}_${k}`])),
    );
  }
  return out;
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

function finite(value: unknown): number | null {
  const n = typeof value === 'bigint' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** A double literal that DuckDB reads back as the same double (JS prints the shortest round-trip form). */
function sqlDouble(value: number): string {
  return `CAST('${String(value)}' AS DOUBLE)`;
}
