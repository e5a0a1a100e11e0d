import { type RawBuilder, sql } from 'kysely';
import type { FilterComparison, FilterExpr, FilterOp } from './filter-ast.js';
import { attributeSpec } from './identifiers.js';

/** The table holding each key-value entity; keys are bound parameters, never SQL text. */
export const ENTITY_TABLES = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;

// The only SQL text that varies with the filter: fixed operator spellings, picked from the parsed AST.
const SQL_OPS: Record<Exclude<FilterOp, 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL'>, string> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  LIKE: 'LIKE',
  ILIKE: 'ILIKE',
};

/**
 * One predicate per comparison, over `runs r`. A metric, param or tag comparison holds when the run has
 * that key and its value compares true (a missing key never matches, as in MLflow); IS NULL means the run
 * has no such key.
 */
export function filterPredicates(filter: FilterExpr): RawBuilder<unknown>[] {
  return filter.and.map(comparisonSql);
}

function comparisonSql(c: FilterComparison): RawBuilder<unknown> {
  if (c.entity === 'attribute') {
    return valueSql(sql.ref(`r.${attributeSpec(c.key).column}`), c);
  }
  const table = sql.table(ENTITY_TABLES[c.entity]);
  const row = sql`SELECT 1 FROM ${table} f WHERE f.run_uuid = r.run_uuid AND f.key = ${c.key}`;
  if (c.op === 'IS NULL') return sql`NOT EXISTS (${row})`;
  if (c.op === 'IS NOT NULL') return sql`EXISTS (${row})`;
  return sql`EXISTS (${row} AND ${valueSql(sql.ref('f.value'), c)})`;
}

function valueSql(column: RawBuilder<unknown>, c: FilterComparison): RawBuilder<unknown> {
  const { op, value } = c;
  if (op === 'IN' || op === 'NOT IN') {
    if (!Array.isArray(value)) throw new Error(`${op} needs a list`);
    return sql`${column} ${sql.raw(op)} (${sql.join(value)})`;
  }
  if (op === 'IS NULL' || op === 'IS NOT NULL') return sql`${column} ${sql.raw(op)}`;
  if (value === null || Array.isArray(value)) throw new Error(`${op} needs a single value`);
  return sql`${column} ${sql.raw(SQL_OPS[op])} ${value}`;
}
