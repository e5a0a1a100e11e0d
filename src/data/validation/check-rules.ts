import type { ColumnSchema, ColumnType } from '../../columnar/index.js';
import type { ValidationRule } from '../../contracts/index.js';
import { invalid } from '../../core/index.js';
import { re2SyntaxError } from './re2-pattern.js';
import { boundOrder, isDatetime, isNumeric, type RuleValue, sqlLiteral } from './rule-values.js';

/** An expected column: a table's ColumnSchema, a stored contract's column, or one written in a rule. */
export interface ExpectedColumnLike {
  name: string;
  type: ColumnType;
  /** False: the column must have no missing value. Absent means true. */
  nullable?: boolean | undefined;
}

export interface CheckRulesOptions {
  /** The expected columns of schema rules that list none (a dataset's stored contract). */
  contract?: readonly ExpectedColumnLike[] | undefined;
}

/**
 * Checks rules against the table's columns before anything runs: every column exists, values have the
 * column's type, bounds are ordered, patterns are RE2. Throws invalid_argument whose `field` names the
 * rule's field (`rules[2].column`). Custom SQL is checked when it runs (validateTable), in DuckDB.
 */
export function checkRules(
  rules: readonly ValidationRule[],
  schema: readonly ColumnSchema[],
  options: CheckRulesOptions = {},
): void {
  const columns = new Map(schema.map((c) => [c.name, c]));
  const names = new Map<string, number>();
  rules.forEach((rule, i) => {
    const at = (field: string) => `rules[${i}]${field ? `.${field}` : ''}`;
    if (rule.name !== undefined) {
      const first = names.get(rule.name);
      if (first !== undefined) fail(at('name'), `the name '${rule.name}' is also rules[${first}]'s`);
      names.set(rule.name, i);
    }
    const column = (name: string, field = 'column'): ColumnSchema => {
      const found = columns.get(name);
      if (found) return found;
      const other = schema.find((c) => c.name.toLowerCase() === name.toLowerCase());
      const hint = other
        ? ` (did you mean '${other.name}'?)`
        : ` (columns: ${schema
            .slice(0, 10)
            .map((c) => c.name)
            .join(', ')}${schema.length > 10 ? ', ...' : ''})`;
      return fail(at(field), `no column '${name}' in the table${hint}`);
    };
    switch (rule.type) {
      case 'not_null':
      case 'unique':
        column(rule.column);
        break;
      case 'max_missing':
        column(rule.column);
        checkFraction(rule.max_fraction, at('max_fraction'));
        break;
      case 'range':
        checkRange(rule, column(rule.column), at);
        break;
      case 'allowed_values': {
        const c = column(rule.column);
        if (rule.values.length === 0) fail(at('values'), 'list at least one value');
        rule.values.forEach((v, j) => {
          sqlLiteral(v, c, at(`values[${j}]`));
          if (c.type === 'integer' && !Number.isInteger(v)) {
            fail(at(`values[${j}]`), `${v} can never equal a value of integer column '${c.name}'`);
          }
        });
        break;
      }
      case 'regex': {
        const c = column(rule.column);
        if (c.type !== 'string')
          fail(at('column'), `regex applies to string columns; '${c.name}' is ${c.type}`);
        const problem = re2SyntaxError(rule.pattern);
        if (problem) fail(at('pattern'), `not a valid RE2 pattern: ${problem}`);
        break;
      }
      case 'row_count':
        if (rule.min_rows === undefined && rule.max_rows === undefined)
          fail(at(''), 'give min_rows, max_rows or both');
        if (rule.min_rows !== undefined && rule.max_rows !== undefined && rule.min_rows > rule.max_rows) {
          fail(at('max_rows'), `max_rows ${rule.max_rows} is below min_rows ${rule.min_rows}`);
        }
        break;
      case 'duplicates': {
        const seen = new Set<string>();
        rule.columns?.forEach((name, j) => {
          column(name, `columns[${j}]`);
          if (seen.has(name)) fail(at(`columns[${j}]`), `'${name}' is listed twice`);
          seen.add(name);
        });
        if (rule.columns?.length === 0) fail(at('columns'), 'list at least one column, or omit columns');
        break;
      }
      case 'outliers': {
        const c = column(rule.column);
        if (!isNumeric(c.type))
          fail(at('column'), `outliers apply to numeric columns; '${c.name}' is ${c.type}`);
        if (rule.method === 'iqr' && rule.threshold !== undefined)
          fail(at('threshold'), 'threshold is for zscore; iqr takes k');
        if (rule.method === 'zscore' && rule.k !== undefined)
          fail(at('k'), 'k is for iqr; zscore takes threshold');
        for (const key of ['k', 'threshold'] as const) {
          const v = rule[key];
          if (v !== undefined && !(v > 0 && Number.isFinite(v))) fail(at(key), 'must be a positive number');
        }
        if (rule.max_fraction !== undefined) checkFraction(rule.max_fraction, at('max_fraction'));
        break;
      }
      case 'schema':
        checkExpected(rule.columns ?? options.contract, at);
        break;
      case 'sql':
        if (rule.predicate.trim() === '') fail(at('predicate'), 'the predicate is empty');
        break;
    }
  });
}

type RangeRule = Extract<ValidationRule, { type: 'range' }>;

function checkRange(rule: RangeRule, c: ColumnSchema, at: (field: string) => string): void {
  if (!isNumeric(c.type) && !isDatetime(c.type)) {
    fail(at('column'), `range applies to numeric and datetime columns; '${c.name}' is ${c.type}`);
  }
  if (rule.min === undefined && rule.max === undefined) fail(at(''), 'give min, max or both');
  const bounds: [string, RuleValue | undefined][] = [
    ['min', rule.min],
    ['max', rule.max],
  ];
  for (const [key, v] of bounds) if (v !== undefined) sqlLiteral(v, c, at(key));
  if (rule.min === undefined || rule.max === undefined) return;
  const lo = boundOrder(rule.min, c);
  const hi = boundOrder(rule.max, c);
  const exclusive = rule.exclusive_min === true || rule.exclusive_max === true;
  if (lo > hi || (lo === hi && exclusive)) {
    const why = lo === hi ? 'an exclusive bound equal to the other leaves no value' : 'max is below min';
    fail(at('max'), `${why} (min ${JSON.stringify(rule.min)}, max ${JSON.stringify(rule.max)})`);
  }
}

function checkExpected(
  expected: readonly ExpectedColumnLike[] | undefined,
  at: (field: string) => string,
): void {
  if (!expected || expected.length === 0) {
    fail(at('columns'), 'no expected schema: list the columns, or validate against a stored contract');
    return;
  }
  const seen = new Set<string>();
  expected.forEach((c, j) => {
    if (seen.has(c.name)) fail(at(`columns[${j}].name`), `'${c.name}' is listed twice`);
    seen.add(c.name);
  });
}

function checkFraction(value: number, field: string): void {
  if (!(value >= 0 && value <= 1)) fail(field, `must be a fraction between 0 and 1, not ${value}`);
}

function fail(field: string, message: string): never {
  throw invalid(`${field}: ${message}`, { field });
}
