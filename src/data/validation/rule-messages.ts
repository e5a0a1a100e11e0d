import type { SchemaIssue, ValidationRule } from '../../contracts/index.js';
import { DEFAULT_IQR_K, DEFAULT_Z_THRESHOLD } from './outlier-bounds.js';
import { describeIssue } from './schema-match.js';

/** What a rule found: `failing` rows (null for table-level rules), and what the verdict rests on. */
export interface RuleFindings {
  failing: number | null;
  rows: number;
  stats?: Record<string, number | null>;
  issues?: SchemaIssue[];
}

/** The name a report shows for a rule without one: its type and column, e.g. `not_null(age)`. */
export function defaultName(rule: ValidationRule): string {
  switch (rule.type) {
    case 'row_count':
    case 'schema':
      return rule.type;
    case 'duplicates':
      return rule.columns ? `duplicates(${rule.columns.join(', ')})` : 'duplicates';
    case 'sql':
      return `sql(${clip(rule.predicate.replace(/\s+/g, ' ').trim(), 40)})`;
    default:
      return `${rule.type}(${rule.column})`;
  }
}

/**
 * Whether the rule passed and a one-line message saying why. Most rules fail on any failing row;
 * max_missing and outliers fail when the failing fraction of all rows exceeds max_fraction; row_count
 * and schema judge the table.
 */
export function judge(rule: ValidationRule, f: RuleFindings): { passed: boolean; message: string } {
  const n = f.failing ?? 0;
  const some = `${n} of ${f.rows} row${f.rows === 1 ? '' : 's'} (${percent(n, f.rows)})`;
  const verdict = (failed: string, passed: string) =>
    n > 0 ? { passed: false, message: failed } : { passed: true, message: passed };
  switch (rule.type) {
    case 'not_null':
      return verdict(`${some} are missing '${rule.column}'`, `no missing values in '${rule.column}'`);
    case 'unique':
      return verdict(
        `${some} share their '${rule.column}' value with another row`,
        `the values of '${rule.column}' are unique`,
      );
    case 'range': {
      const interval = `${rule.exclusive_min ? '(' : '['}${rule.min ?? '-inf'}, ${rule.max ?? 'inf'}${rule.exclusive_max ? ')' : ']'}`;
      return verdict(
        `${some} have '${rule.column}' outside ${interval}`,
        `every '${rule.column}' value is within ${interval}`,
      );
    }
    case 'allowed_values': {
      const list = rule.values.slice(0, 5).map((v) => JSON.stringify(v));
      const more = rule.values.length > 5 ? `, ... (${rule.values.length} values)` : '';
      return verdict(
        `${some} have a '${rule.column}' value not in [${list.join(', ')}${more}]`,
        `every '${rule.column}' value is allowed`,
      );
    }
    case 'regex':
      return verdict(
        `${some} have a '${rule.column}' value that does not fully match /${rule.pattern}/`,
        `every '${rule.column}' value matches /${rule.pattern}/`,
      );
    case 'max_missing':
      return withinFraction(n, f.rows, rule.max_fraction, `are missing '${rule.column}'`);
    case 'outliers': {
      const how =
        rule.method === 'iqr'
          ? `IQR, k = ${rule.k ?? DEFAULT_IQR_K}`
          : `z-score, threshold ${rule.threshold ?? DEFAULT_Z_THRESHOLD}`;
      const lower = f.stats?.lower ?? null;
      const upper = f.stats?.upper ?? null;
      const bounds =
        lower === null || upper === null ? 'no bounds' : `outside [${short(lower)}, ${short(upper)}]`;
      return withinFraction(
        n,
        f.rows,
        rule.max_fraction ?? 0,
        `are outliers of '${rule.column}' (${how}: ${bounds})`,
      );
    }
    case 'duplicates': {
      const on = rule.columns ? `columns ${rule.columns.map((c) => `'${c}'`).join(', ')}` : 'all columns';
      return verdict(`${some} repeat an earlier row on ${on}`, `no row repeats an earlier row on ${on}`);
    }
    case 'sql': {
      const predicate = clip(rule.predicate.replace(/\s+/g, ' ').trim(), 80);
      return verdict(`${some} do not satisfy ${predicate}`, `every row satisfies ${predicate}`);
    }
    case 'row_count':
      return judgeRowCount(f.rows, rule.min_rows, rule.max_rows);
    case 'schema': {
      const issues = f.issues ?? [];
      if (issues.length === 0) return { passed: true, message: 'the columns match the expected schema' };
      const listed = issues.slice(0, 5).map(describeIssue).join('; ');
      const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
      return { passed: false, message: `${issues.length} schema issue(s): ${listed}${more}` };
    }
  }
}

function withinFraction(n: number, rows: number, max: number, what: string) {
  const passed = (rows === 0 ? 0 : n / rows) <= max;
  if (n === 0) return { passed, message: `no rows ${what}` };
  const limit = passed ? `within the ${percent(max, 1)} allowed` : `more than the ${percent(max, 1)} allowed`;
  return { passed, message: `${n} of ${rows} rows (${percent(n, rows)}) ${what}: ${limit}` };
}

function judgeRowCount(rows: number, min: number | undefined, max: number | undefined) {
  if (min !== undefined && rows < min)
    return { passed: false, message: `${rows} rows; expected at least ${min}` };
  if (max !== undefined && rows > max)
    return { passed: false, message: `${rows} rows; expected at most ${max}` };
  return { passed: true, message: `${rows} rows, within [${min ?? 0}, ${max ?? 'inf'}]` };
}

export function percent(n: number, of: number): string {
  if (of === 0 || n === 0) return '0%';
  const p = (100 * n) / of;
  return p < 0.01 ? '<0.01%' : `${Number(p.toFixed(2))}%`;
}

const short = (x: number): string => String(Number(x.toPrecision(6)));
const clip = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 3)}...` : text;
