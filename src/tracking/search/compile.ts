import { type RawBuilder, sql } from 'kysely';
import { CyclopsError } from '../../core/index.js';
import type { Db } from '../../store/index.js';
import type { FilterExpr, OrderClause } from './filter-ast.js';
import { filterPredicates } from './filter-sql.js';
import { afterCursorSql, orderBySql, sortKeys } from './order-sql.js';
import { decodePageToken, encodePageToken, searchFingerprint } from './page-token.js';

/** MLflow's SEARCH_MAX_RESULTS_THRESHOLD: one page never holds more runs than this. */
export const MAX_SEARCH_RESULTS = 50_000;

export type LifecycleView = 'active' | 'deleted' | 'all';

export interface SearchRunsOptions {
  projectId: string;
  experimentIds: readonly number[];
  filter: FilterExpr;
  orderBy: readonly OrderClause[];
  lifecycle: LifecycleView;
  maxResults: number;
  pageToken?: string | undefined;
}

export interface SearchRunsPage {
  runIds: string[];
  /** Present when more runs follow; pass it back with the same search to get them. */
  nextPageToken?: string;
}

/**
 * Runs matching a parsed filter, in MLflow's order, one keyset page at a time. All user input reaches
 * the SQL as bound parameters; the only generated SQL text is fixed operators, directions and aliases.
 */
export async function searchRunIds(db: Db, opts: SearchRunsOptions): Promise<SearchRunsPage> {
  if (!Number.isSafeInteger(opts.maxResults) || opts.maxResults < 1 || opts.maxResults > MAX_SEARCH_RESULTS) {
    throw new CyclopsError(
      'invalid_argument',
      `max_results must be an integer between 1 and ${MAX_SEARCH_RESULTS}, got ${opts.maxResults}`,
      { field: 'max_results' },
    );
  }
  const keys = sortKeys(opts.orderBy);
  const experimentIds = [...new Set(opts.experimentIds)].sort((a, b) => a - b);
  const fingerprint = searchFingerprint([
    opts.projectId,
    experimentIds,
    opts.lifecycle,
    opts.filter.and.map((c) => [c.entity, c.key, c.op, c.value]),
    opts.orderBy.map((o) => [o.entity, o.key, o.ascending]),
  ]);
  const cursor = opts.pageToken
    ? decodePageToken(
        opts.pageToken,
        fingerprint,
        keys.map((k) => k.kind),
      )
    : undefined;
  if (experimentIds.length === 0) return { runIds: [] };

  const where: RawBuilder<unknown>[] = [
    sql`r.project_id = ${opts.projectId}`,
    sql`r.experiment_id IN (${sql.join(experimentIds)})`,
  ];
  if (opts.lifecycle !== 'all') where.push(sql`r.lifecycle_stage = ${opts.lifecycle}`);
  where.push(...filterPredicates(opts.filter));
  if (cursor) where.push(afterCursorSql(keys, cursor));

  const selected = keys.map((k, i) => sql`, ${k.expr} AS ${sql.id(`v${i}`)}`);
  const joins = keys.flatMap((k) => (k.join ? [k.join] : []));
  // One row more than asked tells whether another page exists without a count query.
  const query = sql<Record<string, unknown>>`
    SELECT r.run_uuid, r.start_time${sql.join(selected, sql``)}
    FROM runs r ${sql.join(joins, sql` `)}
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY ${orderBySql(keys)}
    LIMIT ${opts.maxResults + 1}`;
  const { rows } = await query.execute(db);

  const page = rows.slice(0, opts.maxResults);
  const runIds = page.map((row) => String(row.run_uuid).trimEnd());
  const last = page.at(-1);
  if (rows.length <= opts.maxResults || !last) return { runIds };
  const nextPageToken = encodePageToken(fingerprint, {
    values: keys.map((k, i) => sortValue(last[`v${i}`], k.kind)),
    startTime: Number(last.start_time),
    runId: String(last.run_uuid),
  });
  return { runIds, nextPageToken };
}

/** Drivers may hand back bigint or numeric columns as strings; the token keeps the sort key's type. */
function sortValue(value: unknown, kind: 'number' | 'string'): string | number | null {
  if (value === null || value === undefined) return null;
  return kind === 'number' ? Number(value) : String(value);
}
