import { type RawBuilder, sql } from 'kysely';
import type { OrderClause } from './filter-ast.js';
import { ENTITY_TABLES } from './filter-sql.js';
import { attributeSpec } from './identifiers.js';
import type { PageCursor, SortValueKind } from './page-token.js';

/** One user sort key, resolved to an SQL expression over `runs r` and, for key-value entities, a join. */
export interface SortKey {
  expr: RawBuilder<unknown>;
  join: RawBuilder<unknown> | undefined;
  ascending: boolean;
  nullable: boolean;
  kind: SortValueKind;
}

/**
 * A repeated key adds nothing to the order (rows tied on it are tied again), so each key sorts once and
 * gets one LEFT JOIN on its table with the key bound as a parameter.
 */
export function sortKeys(orderBy: readonly OrderClause[]): SortKey[] {
  const seen = new Set<string>();
  const keys: SortKey[] = [];
  for (const clause of orderBy) {
    const id = JSON.stringify([clause.entity, clause.key]);
    if (seen.has(id)) continue;
    seen.add(id);
    if (clause.entity === 'attribute') {
      const spec = attributeSpec(clause.key);
      keys.push({
        expr: sql.ref(`r.${spec.column}`),
        join: undefined,
        ascending: clause.ascending,
        nullable: spec.nullable,
        kind: spec.type,
      });
      continue;
    }
    const alias = sql.id(`s${keys.length}`);
    keys.push({
      expr: sql`${alias}.value`,
      join: sql`LEFT JOIN ${sql.table(ENTITY_TABLES[clause.entity])} ${alias}
        ON ${alias}.run_uuid = r.run_uuid AND ${alias}.key = ${clause.key}`,
      ascending: clause.ascending,
      nullable: true,
      kind: clause.entity === 'metric' ? 'number' : 'string',
    });
  }
  return keys;
}

/** MLflow's order: the given keys with missing values last either way, then newest first, then run id. */
export function orderBySql(keys: readonly SortKey[]): RawBuilder<unknown> {
  const terms = keys.map((k) => sql`${k.expr} ${sql.raw(k.ascending ? 'ASC' : 'DESC')} NULLS LAST`);
  return sql.join([...terms, sql`r.start_time DESC`, sql`r.run_uuid ASC`]);
}

/**
 * Rows strictly after `cursor` in orderBySql's order: the usual lexicographic expansion
 * (k1 after, or k1 equal and the rest after), where NULL sorts after every value in both directions
 * and, once the cursor's value is NULL, only NULLs remain for that key.
 */
export function afterCursorSql(keys: readonly SortKey[], cursor: PageCursor): RawBuilder<unknown> {
  let rest = sql`r.run_uuid > ${cursor.runId}`;
  rest = sql`(r.start_time < ${cursor.startTime} OR (r.start_time = ${cursor.startTime} AND ${rest}))`;
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i]!;
    const last = cursor.values[i] ?? null;
    if (last === null) {
      rest = sql`(${key.expr} IS NULL AND ${rest})`;
      continue;
    }
    const beyond = sql`${key.expr} ${sql.raw(key.ascending ? '>' : '<')} ${last}`;
    const tied = sql`(${key.expr} = ${last} AND ${rest})`;
    rest = key.nullable ? sql`(${key.expr} IS NULL OR ${beyond} OR ${tied})` : sql`(${beyond} OR ${tied})`;
  }
  return rest;
}
