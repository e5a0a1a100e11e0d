import type { ColumnSchema } from '../../columnar/index.js';
import { sqlIdent, sqlString } from '../../columnar/index.js';
import type { ValidationRule } from '../../contracts/index.js';
import { sqlLiteral } from './rule-values.js';
import { predicateSql } from './sql-predicate.js';

/**
 * The SQL condition that is true for a row breaking a row-level rule: the same text counts the rows
 * (count(*) FILTER (WHERE ...)) and picks the samples (WHERE ... ORDER BY rowid LIMIT 20), so counts
 * and samples cannot disagree. Table-level rules (row_count, schema) and outliers (whose condition
 * needs bounds computed first, see outlier-bounds.ts) have none here.
 *
 * Missing means NULL or, in float columns, NaN (as pandas and the profile count it). A missing value
 * breaks only not_null and max_missing: range, allowed_values, regex and unique judge present values.
 */
export function rowCondition(
  rule: ValidationRule,
  table: string,
  columns: ReadonlyMap<string, ColumnSchema>,
): string | null {
  const t = sqlIdent(table);
  const col = (name: string) => columns.get(name) as ColumnSchema;
  switch (rule.type) {
    case 'not_null':
    case 'max_missing':
      return missingSql(col(rule.column));
    case 'unique': {
      // Every row of a repeated value fails, the first one too (pandas duplicated(keep=False)).
      const c = col(rule.column);
      return `${presentSql(c)} IN (SELECT ${presentSql(c, 'u')} FROM ${t} AS u GROUP BY 1 HAVING count(*) > 1)`;
    }
    case 'range': {
      const c = col(rule.column);
      const x = sqlIdent(c.name);
      const inside: string[] = [];
      if (rule.min !== undefined) {
        inside.push(`${x} ${rule.exclusive_min ? '>' : '>='} ${sqlLiteral(rule.min, c, 'min')}`);
      }
      if (rule.max !== undefined) {
        inside.push(`${x} ${rule.exclusive_max ? '<' : '<='} ${sqlLiteral(rule.max, c, 'max')}`);
      }
      return `NOT ${missingSql(c)} AND NOT (${inside.join(' AND ')})`;
    }
    case 'allowed_values': {
      const c = col(rule.column);
      const values = rule.values.map((v, j) => sqlLiteral(v, c, `values[${j}]`));
      return `NOT ${missingSql(c)} AND ${sqlIdent(c.name)} NOT IN (${values.join(', ')})`;
    }
    case 'regex': {
      const x = sqlIdent(rule.column);
      return `${x} IS NOT NULL AND NOT regexp_full_match(${x}, ${sqlString(rule.pattern)})`;
    }
    case 'duplicates': {
      // Rows equal to an earlier row fail, the first occurrence does not (pandas duplicated(keep='first')).
      // GROUP BY, like pandas, treats NULLs (and NaNs) as equal to each other; a hash aggregate is
      // 2-3x faster here than numbering rows in a window.
      const names = rule.columns ?? [...columns.keys()];
      return `rowid NOT IN (SELECT min(rowid) FROM ${t} GROUP BY ${names.map(sqlIdent).join(', ')})`;
    }
    case 'sql':
      return `${predicateSql(rule.predicate)} IS NOT TRUE`;
    default:
      return null;
  }
}

export function missingSql(c: ColumnSchema): string {
  const x = sqlIdent(c.name);
  return c.type === 'float' ? `(${x} IS NULL OR isnan(${x}))` : `(${x} IS NULL)`;
}

/** The value when present, NULL when missing (NaN included), so NaNs are not one repeated value. */
function presentSql(c: ColumnSchema, qualifier?: string): string {
  const x = `${qualifier ? `${qualifier}.` : ''}${sqlIdent(c.name)}`;
  return c.type === 'float' ? `CASE WHEN isnan(${x}) THEN NULL ELSE ${x} END` : x;
}
