import type { ColumnSchema } from '../../columnar/index.js';
import type { SchemaIssue } from '../../contracts/index.js';
import type { ExpectedColumnLike } from './check-rules.js';

/**
 * The table's columns against an expected schema. Issues: an expected column that is missing, one
 * whose type changed, one marked nullable: false that has NULLs, and (unless allowed) a column the
 * schema does not name. Two differences are not issues, as in the dataset contract check: integer
 * where float is expected (normalization reads a batch of whole floats as integer; every integer is a
 * float), and the column kind (inferred from cardinality, it moves with the sample). Names compare
 * exactly; order is ignored. `nullCounts` counts SQL NULLs (NaN is a value here, as in inferSchema).
 */
export function schemaIssues(
  expected: readonly ExpectedColumnLike[],
  actual: readonly ColumnSchema[],
  nullCounts: ReadonlyMap<string, number>,
  allowExtraColumns: boolean,
): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const byName = new Map(actual.map((c) => [c.name, c]));
  for (const e of expected) {
    const got = byName.get(e.name);
    if (!got) {
      issues.push({ column: e.name, issue: 'missing_column', expected: e.type });
      continue;
    }
    if (got.type !== e.type && !(e.type === 'float' && got.type === 'integer')) {
      issues.push({ column: e.name, issue: 'type_changed', expected: e.type, actual: got.type });
    }
    const nulls = nullCounts.get(e.name) ?? 0;
    if (e.nullable === false && nulls > 0) {
      issues.push({ column: e.name, issue: 'unexpected_nulls', expected: 'no nulls', null_count: nulls });
    }
  }
  if (!allowExtraColumns) {
    const known = new Set(expected.map((c) => c.name));
    for (const c of actual) {
      if (!known.has(c.name)) issues.push({ column: c.name, issue: 'unexpected_column', actual: c.type });
    }
  }
  return issues;
}

export function describeIssue(i: SchemaIssue): string {
  switch (i.issue) {
    case 'missing_column':
      return `column '${i.column}' is missing`;
    case 'unexpected_column':
      return `column '${i.column}' is not in the expected schema`;
    case 'type_changed':
      return `column '${i.column}' is ${i.actual}, expected ${i.expected}`;
    case 'unexpected_nulls':
      return `column '${i.column}' has ${i.null_count} null(s), expected none`;
  }
}
