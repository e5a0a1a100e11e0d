import { randomUUID } from 'node:crypto';
import type { ColumnSchema, DuckSession } from '../../columnar/index.js';
import { sqlIdent } from '../../columnar/index.js';
import type { SplitName, SplitSpec } from '../../contracts/index.js';
import { LABEL, labelPlan } from './split-labels.js';
import { resolveSplitSpec } from './split-spec-check.js';

export interface SplitOutput {
  name: SplitName;
  /** A table of the session: the parent's columns and the rows of this split, in the parent's order. */
  table: string;
  rowCount: number;
}

export interface SplitResult {
  /** The spec as applied, defaults filled in: store it with the outputs' lineage. */
  spec: SplitSpec;
  /** Rows of the parent. */
  rowCount: number;
  /** In the order train, validation, test; validation only when the spec asks for it. */
  splits: SplitOutput[];
  /** Rows in no output (time splits only). */
  dropped: { missingTime: number; betweenBoundaries: number };
}

export interface SplitTableOptions {
  /** Output tables are named `${prefix}train`, `${prefix}validation`, `${prefix}test` (default `${table}_`). */
  prefix?: string;
}

/**
 * Splits a normalized table of the session into train, (validation,) test tables, deterministically
 * (see split-hash.ts and split-labels.ts for the exact rules). `schema` is the table's stored schema.
 * Throws invalid_argument naming the spec field at fault, before creating any table.
 */
export async function splitTable(
  session: DuckSession,
  table: string,
  schema: ColumnSchema[],
  spec: SplitSpec,
  options: SplitTableOptions = {},
): Promise<SplitResult> {
  const resolved = resolveSplitSpec(spec, schema);
  const plan = await labelPlan(session, table, schema, resolved);
  const prefix = options.prefix ?? `${table}_`;
  // Labels are computed once; each output then takes its rows back in rowid order, since a window
  // (stratified) or a join does not keep the parent's order by itself.
  const labels = sqlIdent(`__split_labels_${randomUUID().replaceAll('-', '')}`);
  const created: string[] = [];
  try {
    await session.run(`CREATE TEMP TABLE ${labels} AS ${plan.sql}`);
    const counts = new Map<number, number>();
    for (const row of await session.rows(`SELECT label, count(*) AS n FROM ${labels} GROUP BY label`)) {
      counts.set(Number(row.label), Number(row.n));
    }
    const splits: SplitOutput[] = [];
    for (const name of plan.names) {
      const out = `${prefix}${name}`;
      await session.run(
        `CREATE TABLE ${sqlIdent(out)} AS SELECT p.* FROM ${sqlIdent(table)} AS p JOIN ${labels} AS l ON p.rowid = l.rn
         WHERE l.label = ${LABEL[name]} ORDER BY l.rn`,
      );
      created.push(out);
      splits.push({ name, table: out, rowCount: counts.get(LABEL[name]) ?? 0 });
    }
    const dropped = {
      missingTime: counts.get(LABEL.missingTime) ?? 0,
      betweenBoundaries: counts.get(LABEL.betweenBoundaries) ?? 0,
    };
    const rowCount = [...counts.values()].reduce((a, b) => a + b, 0);
    return { spec: resolved, rowCount, splits, dropped };
  } catch (err) {
    // A half-made split must not be mistaken for a whole one by a caller that keeps the session.
    for (const out of created) await session.run(`DROP TABLE IF EXISTS ${sqlIdent(out)}`).catch(() => {});
    throw err;
  } finally {
    await session.run(`DROP TABLE IF EXISTS ${labels}`);
  }
}
