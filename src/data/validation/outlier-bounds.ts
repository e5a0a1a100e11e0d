import type { DuckSession } from '../../columnar/index.js';
import { sqlDouble, sqlIdent } from '../../columnar/index.js';
import type { ValidationRule } from '../../contracts/index.js';
import { CyclopsError } from '../../core/index.js';
import { queryOne } from './sql-predicate.js';

type Outliers = Extract<ValidationRule, { type: 'outliers' }>;

export const DEFAULT_IQR_K = 1.5;
export const DEFAULT_Z_THRESHOLD = 3;

export interface OutlierBounds {
  /** True for an outlier row. */
  condition: string;
  stats: Record<string, number | null>;
}

/**
 * The statistics outlier rules compare with, from one aggregate over the finite values of each column
 * (±Infinity and NaN are left out, as the profile does):
 * - iqr: quartiles by linear interpolation (pandas' quantile default); outliers lie strictly outside
 *   [q1 - k·IQR, q3 + k·IQR].
 * - zscore: mean and sample standard deviation (ddof = 1, pandas' std default); outliers have
 *   |x - mean| / std > threshold. With fewer than two finite values or std = 0 nothing is an outlier.
 * ±Infinity is outside any finite bounds, so it counts as an outlier; NULL and NaN never do.
 */
export async function outlierBounds(
  session: DuckSession,
  table: string,
  rules: readonly { index: number; rule: Outliers }[],
): Promise<Map<number, OutlierBounds>> {
  const out = new Map<number, OutlierBounds>();
  if (rules.length === 0) return out;
  const aggregates = rules.flatMap(({ index, rule }) => {
    const x = `CAST(${sqlIdent(rule.column)} AS DOUBLE)`;
    const finite = `CASE WHEN isfinite(${x}) THEN ${x} END`;
    return rule.method === 'iqr'
      ? [`quantile_cont(${finite}, [0.25, 0.75]) AS q${index}`]
      : [`avg(${finite}) AS m${index}`, `stddev_samp(${finite}) AS s${index}`];
  });
  const [row] = await queryOne(session, `SELECT ${aggregates.join(', ')} FROM ${sqlIdent(table)}`);
  if (!row) throw new CyclopsError('internal', 'aggregate returned no row');
  for (const { index, rule } of rules) {
    const x = `CAST(${sqlIdent(rule.column)} AS DOUBLE)`;
    const present = `NOT isnan(${x})`;
    if (rule.method === 'iqr') {
      const k = rule.k ?? DEFAULT_IQR_K;
      const q = row[`q${index}`];
      const q1 = Array.isArray(q) ? finite(q[0]) : null;
      const q3 = Array.isArray(q) ? finite(q[1]) : null;
      if (q1 === null || q3 === null) {
        out.set(index, { condition: 'FALSE', stats: { q1, q3, lower: null, upper: null } });
        continue;
      }
      const lower = q1 - k * (q3 - q1);
      const upper = q3 + k * (q3 - q1);
      out.set(index, {
        condition: `${present} AND (${x} < ${sqlDouble(lower)} OR ${x} > ${sqlDouble(upper)})`,
        stats: { q1, q3, lower, upper },
      });
    } else {
      const t = rule.threshold ?? DEFAULT_Z_THRESHOLD;
      const mean = finite(row[`m${index}`]);
      const std = finite(row[`s${index}`]);
      if (mean === null || std === null || std === 0) {
        out.set(index, { condition: 'FALSE', stats: { mean, std, lower: null, upper: null } });
        continue;
      }
      out.set(index, {
        condition: `${present} AND abs(${x} - ${sqlDouble(mean)}) / ${sqlDouble(std)} > ${sqlDouble(t)}`,
        stats: { mean, std, lower: mean - t * std, upper: mean + t * std },
      });
    }
  }
  return out;
}

function finite(value: unknown): number | null {
  const n = typeof value === 'bigint' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}
