import type { ColumnSchema, DuckSession } from '../../columnar/index.js';
import { sqlIdent } from '../../columnar/index.js';
import type { RuleResult, SchemaIssue, ValidationReport, ValidationRule } from '../../contracts/index.js';
import { CyclopsError, invalid } from '../../core/index.js';
import { type CheckRulesOptions, checkRules, type ExpectedColumnLike } from './check-rules.js';
import { outlierBounds } from './outlier-bounds.js';
import { rowCondition } from './row-conditions.js';
import { defaultName, judge } from './rule-messages.js';
import { sampleRows } from './samples.js';
import { schemaIssues } from './schema-match.js';
import { checkPredicate, duckMessage, lockDown, queryOne } from './sql-predicate.js';

export interface ValidateTableOptions extends CheckRulesOptions {
  /** The table's columns (inferSchema's, or the version's stored schema). */
  schema: readonly ColumnSchema[];
}

/**
 * Runs rules over a table of the session and reports each one. Work stays in DuckDB and in few passes:
 * one aggregate for the outlier rules' statistics (when there are any), one aggregate counting the
 * failing rows of every rule at once, then one LIMIT 20 query per failed rule for its samples.
 *
 * `table` must be a base table (samples are numbered by rowid) with no column named `rowid`.
 * When a rule is custom SQL the session is locked down first (see lockDown): it can no longer read or
 * write files, load extensions or change settings, for the rest of its life.
 */
export async function validateTable(
  session: DuckSession,
  table: string,
  rules: readonly ValidationRule[],
  options: ValidateTableOptions,
): Promise<ValidationReport> {
  checkRules(rules, options.schema, options);
  const rowid = options.schema.find((c) => c.name.toLowerCase() === 'rowid');
  if (rowid) {
    throw invalid(`column '${rowid.name}' hides DuckDB's row numbers: rename it to validate the table`, {
      column: rowid.name,
    });
  }
  const columns = new Map(options.schema.map((c) => [c.name, c]));
  const predicates = rules.flatMap((rule, index) =>
    rule.type === 'sql' ? [{ index, text: rule.predicate }] : [],
  );
  if (predicates.length > 0) {
    await lockDown(session);
    for (const { index, text } of predicates) {
      await checkPredicate(session, table, text, `rules[${index}].predicate`);
    }
  }
  for (const [index, rule] of rules.entries()) {
    if (rule.type === 'regex') await compilePattern(session, rule.pattern, `rules[${index}].pattern`);
  }
  const bounds = await outlierBounds(
    session,
    table,
    rules.flatMap((rule, index) => (rule.type === 'outliers' ? [{ rule, index }] : [])),
  );
  const conditions = rules.map((rule, i) =>
    rule.type === 'outliers' ? (bounds.get(i)?.condition ?? 'FALSE') : rowCondition(rule, table, columns),
  );
  const expected = rules.map((rule) =>
    rule.type === 'schema' ? ((rule.columns ?? options.contract ?? []) as readonly ExpectedColumnLike[]) : [],
  );

  const aggregates = ['count(*) AS n'];
  conditions.forEach((c, i) => {
    if (c !== null) aggregates.push(`count(*) FILTER (WHERE ${c}) AS f${i}`);
  });
  expected.forEach((cols, i) => {
    cols.forEach((c, j) => {
      if (c.nullable === false && columns.has(c.name)) {
        aggregates.push(`count(*) FILTER (WHERE ${sqlIdent(c.name)} IS NULL) AS z${i}_${j}`);
      }
    });
  });
  const row = await countAll(session, table, aggregates, predicates, conditions);
  const rows = Number(row.n);

  const results: RuleResult[] = [];
  for (const [i, rule] of rules.entries()) {
    const condition = conditions[i] ?? null;
    const failing = condition === null ? null : Number(row[`f${i}`]);
    let issues: SchemaIssue[] | undefined;
    if (rule.type === 'schema') {
      const nulls = new Map<string, number>();
      expected[i]?.forEach((c, j) => {
        if (row[`z${i}_${j}`] !== undefined) nulls.set(c.name, Number(row[`z${i}_${j}`]));
      });
      issues = schemaIssues(expected[i] ?? [], options.schema, nulls, rule.allow_extra_columns === true);
    }
    const stats =
      rule.type === 'outliers'
        ? bounds.get(i)?.stats
        : rule.type === 'max_missing'
          ? { missing_fraction: fraction(failing ?? 0, rows) }
          : undefined;
    const { passed, message } = judge(rule, {
      failing,
      rows,
      ...(stats && { stats }),
      ...(issues && { issues }),
    });
    const result: RuleResult = {
      index: i,
      name: rule.name ?? defaultName(rule),
      type: rule.type,
      severity: rule.severity ?? 'error',
      passed,
      failing_count: failing,
      failing_fraction: failing === null ? null : fraction(failing, rows),
      message,
      samples:
        !passed && condition !== null && (failing ?? 0) > 0
          ? await sampleRows(session, table, options.schema, condition)
          : [],
    };
    if (stats) result.stats = stats;
    if (issues) result.schema_issues = issues;
    results.push(result);
  }
  const failed = (severity: string) => results.filter((r) => !r.passed && r.severity === severity).length;
  const errorCount = failed('error');
  return {
    passed: errorCount === 0,
    row_count: rows,
    error_count: errorCount,
    warning_count: failed('warn'),
    results,
  };
}

/**
 * The one counting pass. A predicate that binds can still fail while it runs (a CAST of a value that
 * does not convert): then each custom SQL rule is counted alone to name the rule at fault.
 */
async function countAll(
  session: DuckSession,
  table: string,
  aggregates: string[],
  sqlRules: readonly { index: number }[],
  conditions: readonly (string | null)[],
): Promise<Record<string, unknown>> {
  const from = `FROM ${sqlIdent(table)}`;
  try {
    const [row] = await queryOne(session, `SELECT ${aggregates.join(', ')} ${from}`);
    if (!row) throw new CyclopsError('internal', 'aggregate returned no row');
    return row;
  } catch (err) {
    for (const { index } of sqlRules) {
      try {
        await queryOne(session, `SELECT count(*) FILTER (WHERE ${conditions[index]}) ${from}`);
      } catch (ruleErr) {
        const field = `rules[${index}].predicate`;
        throw invalid(`${field}: ${duckMessage(ruleErr)}`, { field });
      }
    }
    throw err;
  }
}

/** RE2 itself has the last word on a pattern (re2-pattern.ts cannot know every Unicode class name). */
async function compilePattern(session: DuckSession, pattern: string, field: string): Promise<void> {
  try {
    await queryOne(session, `SELECT regexp_full_match('', $1) AS ok`, [pattern]);
  } catch (err) {
    throw invalid(`${field}: not a valid RE2 pattern: ${duckMessage(err)}`, { field });
  }
}

const fraction = (n: number, of: number): number => (of === 0 ? 0 : n / of);
