import type { ColumnSchema, DuckSession } from '../../columnar/index.js';
import { sqlDouble, sqlIdent } from '../../columnar/index.js';
import {
  MAX_STRATIFY_CLASSES,
  type RandomSplitSpec,
  type SplitName,
  type SplitSpec,
  type StratifiedSplitSpec,
  type TimeSplitSpec,
} from '../../contracts/index.js';
import { CyclopsError, invalid } from '../../core/index.js';
import { canonicalKeySql, cutPoints, hashSql, ROW_INDEX_SQL, uniformSql } from './split-hash.js';
import { findColumn } from './split-spec-check.js';
import { timeBoundaries } from './time-boundaries.js';

/** What each row of the parent becomes: an output split, or dropped for a reason. */
export const LABEL = { train: 0, validation: 1, test: 2, betweenBoundaries: 3, missingTime: 4 } as const;

export interface LabelPlan {
  /** A query of (rn, label): the parent's rowid and its LABEL, one row per parent row. */
  sql: string;
  /** The outputs, in the order train, validation, test. */
  names: SplitName[];
}

/** The labelling query of a resolved spec (see resolveSplitSpec), after the checks that need the data. */
export async function labelPlan(
  session: DuckSession,
  table: string,
  schema: ColumnSchema[],
  spec: SplitSpec,
): Promise<LabelPlan> {
  switch (spec.method) {
    case 'random':
      return randomLabels(table, schema, spec);
    case 'stratified':
      return stratifiedLabels(session, table, schema, spec);
    case 'time':
      return timeLabels(session, table, schema, spec);
  }
}

function outputNames(hasValidation: boolean): SplitName[] {
  return hasValidation ? ['train', 'validation', 'test'] : ['train', 'test'];
}

function hashOf(schema: ColumnSchema[], spec: RandomSplitSpec | StratifiedSplitSpec): string {
  const text = spec.key === undefined ? ROW_INDEX_SQL : canonicalKeySql(findColumn(schema, spec.key, 'key'));
  return hashSql(seedOf(spec), text);
}

function seedOf(spec: RandomSplitSpec | StratifiedSplitSpec): number {
  if (spec.seed === undefined) throw new CyclopsError('internal', 'split spec not resolved: no seed');
  return spec.seed;
}

function randomLabels(table: string, schema: ColumnSchema[], spec: RandomSplitSpec): LabelPlan {
  const { b1, b2 } = cutPoints(spec.fractions);
  const u = uniformSql(hashOf(schema, spec));
  return {
    sql: `SELECT rn, CASE WHEN u < ${sqlDouble(b1)} THEN ${LABEL.train} WHEN u < ${sqlDouble(b2)} THEN ${LABEL.validation} ELSE ${LABEL.test} END AS label
      FROM (SELECT rowid AS rn, ${u} AS u FROM ${sqlIdent(table)})`,
    names: outputNames(spec.fractions.validation !== undefined),
  };
}

/**
 * Within each class, rank r = 0, 1, ... in the order of (h, row index); with n rows in the class,
 * the first floor(n * b1 + 0.5) go to train and the rows up to floor(n * b2 + 0.5) to validation.
 * Rounding the cumulative cut points (not each count) makes the counts sum to n, each within one
 * row of n times its fraction.
 */
async function stratifiedLabels(
  session: DuckSession,
  table: string,
  schema: ColumnSchema[],
  spec: StratifiedSplitSpec,
): Promise<LabelPlan> {
  const target = findColumn(schema, spec.target, 'target');
  const t = sqlIdent(target.name);
  // NaN is missing, as in profiles: it joins the null class instead of forming one of its own.
  const cls = target.type === 'float' ? `CASE WHEN isnan(${t}) THEN NULL ELSE ${t} END` : t;
  const checks = [`count(DISTINCT ${cls}) + CAST(count(*) > count(${cls}) AS INTEGER) AS classes`];
  if (spec.key !== undefined) {
    const k = sqlIdent(spec.key);
    checks.push(`count(*) AS n`, `count(${k}) AS present`, `count(DISTINCT ${k}) AS distinct_keys`);
  }
  const [row] = await session.rows(`SELECT ${checks.join(', ')} FROM ${sqlIdent(table)}`);
  const classes = Number(row?.classes ?? 0);
  if (classes > MAX_STRATIFY_CLASSES) {
    throw invalid(
      `target '${target.name}' has ${classes} classes: stratifying needs at most ${MAX_STRATIFY_CLASSES} (is it a label?)`,
      { field: 'target', classes, max: MAX_STRATIFY_CLASSES },
    );
  }
  if (spec.key !== undefined && (row?.present !== row?.n || row?.distinct_keys !== row?.n)) {
    throw invalid(
      `key '${spec.key}' must be unique and never null to order a stratified split; for grouped rows use method 'random' with the key`,
      {
        field: 'key',
        rows: Number(row?.n),
        present: Number(row?.present),
        distinct: Number(row?.distinct_keys),
      },
    );
  }
  const { b1, b2 } = cutPoints(spec.fractions);
  const half = sqlDouble(0.5);
  const cut = (b: number) => `floor(CAST(n AS DOUBLE) * ${sqlDouble(b)} + ${half})`;
  return {
    sql: `SELECT rn, CASE WHEN r < ${cut(b1)} THEN ${LABEL.train} WHEN r < ${cut(b2)} THEN ${LABEL.validation} ELSE ${LABEL.test} END AS label
      FROM (SELECT rn, row_number() OVER (PARTITION BY cls ORDER BY h, rn) - 1 AS r, count(*) OVER (PARTITION BY cls) AS n
        FROM (SELECT rowid AS rn, ${cls} AS cls, ${hashOf(schema, spec)} AS h FROM ${sqlIdent(table)}))`,
    names: outputNames(spec.fractions.validation !== undefined),
  };
}

async function timeLabels(
  session: DuckSession,
  table: string,
  schema: ColumnSchema[],
  spec: TimeSplitSpec,
): Promise<LabelPlan> {
  const column = findColumn(schema, spec.column, 'column');
  const { trainBefore, testFrom } = await timeBoundaries(session, column, spec);
  const t = sqlIdent(column.name);
  const missing = column.type === 'float' ? `${t} IS NULL OR isnan(${t})` : `${t} IS NULL`;
  const between = spec.validation ? LABEL.validation : LABEL.betweenBoundaries;
  return {
    sql: `SELECT rowid AS rn, CASE WHEN ${missing} THEN ${LABEL.missingTime} WHEN ${t} < ${trainBefore} THEN ${LABEL.train}
        WHEN ${t} >= ${testFrom} THEN ${LABEL.test} ELSE ${between} END AS label
      FROM ${sqlIdent(table)}`,
    names: outputNames(spec.validation === true),
  };
}
