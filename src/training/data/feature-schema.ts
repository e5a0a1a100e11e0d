import { type DuckSession, sqlIdent, sqlString } from '../../columnar/index.js';
import { invalid } from '../../core/index.js';
import type { Task } from '../model.entity.js';

/** How one column of a table becomes a feature: its value as a number, or its category's code. */
export interface FeatureColumn {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Categorical: the categories seen in training, sorted; a code is the position in this list. */
  categories?: string[];
}

/** What a model learns from a table and predicts: fitted on the training table, applied to any other. */
export interface FeatureSchema {
  features: FeatureColumn[];
  target: string;
  task: Task;
  /** Classification: the class labels (as text), sorted; a class code is the position in this list. */
  classes?: string[];
  /** Columns left out, and why (text, dates: they need a transform first). */
  skipped: { name: string; reason: string }[];
}

/** A categorical feature with more categories than this is refused: group them or encode them first. */
export const MAX_CATEGORIES = 255;
/** An integer target with at most this many distinct values is taken for classes when no task is given. */
const CLASS_LIKE_DISTINCT = 10;

interface DescribedColumn {
  name: string;
  type: string;
}

/**
 * Decides, from the training table, the features (every column but the target, or those named), the
 * task (given, or: text and boolean targets are classes; integers with at most 10 distinct values are
 * classes; other numbers are regression), the classes, and each categorical feature's categories.
 * Numbers and booleans are numeric features; strings with at most 255 distinct values categorical;
 * other strings, dates and timestamps are skipped, named in `skipped` (a transform can turn them into
 * features: date_parts, one_hot, an expression).
 */
export async function inferFeatureSchema(
  session: DuckSession,
  table: string,
  input: { target: string; task?: Task | undefined; features?: string[] | undefined },
): Promise<FeatureSchema> {
  const columns = (await session.rows(`DESCRIBE ${sqlIdent(table)}`)).map(
    (r): DescribedColumn => ({ name: String(r.column_name), type: String(r.column_type) }),
  );
  const byName = new Map(columns.map((c) => [c.name, c]));
  const target = byName.get(input.target);
  if (!target) {
    throw invalid(
      `target '${input.target}': no such column (columns: ${columns.map((c) => c.name).join(', ')})`,
      {
        field: 'target',
      },
    );
  }
  const wanted = input.features ?? columns.map((c) => c.name).filter((n) => n !== input.target);
  for (const name of wanted) {
    if (!byName.has(name)) {
      throw invalid(`features: no column '${name}' (columns: ${columns.map((c) => c.name).join(', ')})`, {
        field: 'features',
      });
    }
    if (name === input.target) throw invalid(`features: '${name}' is the target`, { field: 'features' });
  }
  const task = input.task ?? (await inferTask(session, table, target));
  const features: FeatureColumn[] = [];
  const skipped: FeatureSchema['skipped'] = [];
  for (const name of wanted) {
    const type = (byName.get(name) as DescribedColumn).type;
    if (isNumericType(type) || type === 'BOOLEAN') {
      features.push({ name, kind: 'numeric' });
      continue;
    }
    if (type === 'VARCHAR') {
      const categories = await distinctValues(session, table, name, MAX_CATEGORIES + 1);
      if (categories.length > MAX_CATEGORIES) {
        skipped.push({ name, reason: `text with more than ${MAX_CATEGORIES} distinct values` });
        continue;
      }
      features.push({ name, kind: 'categorical', categories });
      continue;
    }
    skipped.push({
      name,
      reason: `${type.toLowerCase()} (turn it into features with a date_parts transform)`,
    });
  }
  if (features.length === 0) {
    throw invalid('features: no usable feature column (numbers, booleans or categories)', {
      field: 'features',
    });
  }
  const schema: FeatureSchema = { features, target: input.target, task, skipped };
  if (task === 'regression') {
    if (!isNumericType(target.type)) {
      throw invalid(
        `target '${input.target}' is ${target.type.toLowerCase()}: regression needs a number (use a classification task)`,
        {
          field: 'target',
        },
      );
    }
    const [stats] = await session.rows(
      `SELECT count(DISTINCT ${sqlIdent(input.target)}) AS n FROM ${sqlIdent(table)}`,
    );
    if (Number(stats?.n ?? 0) < 2) {
      throw invalid(`target '${input.target}' is constant: there is nothing to learn`, { field: 'target' });
    }
    return schema;
  }
  const classes = await distinctValues(session, table, input.target, Number.POSITIVE_INFINITY);
  if (classes.length < 2) {
    throw invalid(
      `target '${input.target}' has ${classes.length === 1 ? `a single class '${classes[0]}'` : 'no values'}: a classifier needs at least two`,
      { field: 'target' },
    );
  }
  if (input.task === 'binary' && classes.length !== 2) {
    throw invalid(
      `target '${input.target}' has ${classes.length} classes: a binary task needs 2 (use multiclass)`,
      {
        field: 'task',
      },
    );
  }
  schema.classes = classes;
  schema.task = classes.length === 2 ? 'binary' : 'multiclass';
  return schema;
}

async function inferTask(session: DuckSession, table: string, target: DescribedColumn): Promise<Task> {
  if (!isNumericType(target.type)) return 'binary'; // settled by the class count
  if (!isIntegerType(target.type)) return 'regression';
  const [row] = await session.rows(
    `SELECT count(DISTINCT ${sqlIdent(target.name)}) AS n FROM ${sqlIdent(table)}`,
  );
  return Number(row?.n ?? 0) <= CLASS_LIKE_DISTINCT ? 'binary' : 'regression';
}

/** Sorted distinct non-null values as text, at most `limit` of them. */
async function distinctValues(
  session: DuckSession,
  table: string,
  column: string,
  limit: number,
): Promise<string[]> {
  const col = sqlIdent(column);
  const rows = await session.rows(
    `SELECT DISTINCT CAST(${col} AS VARCHAR) AS v FROM ${sqlIdent(table)} WHERE ${col} IS NOT NULL ORDER BY v${
      Number.isFinite(limit) ? ` LIMIT ${limit}` : ''
    }`,
  );
  return rows.map((r) => String(r.v));
}

const isIntegerType = (t: string) =>
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(t);
const isNumericType = (t: string) =>
  isIntegerType(t) || /^(FLOAT|DOUBLE|REAL)$/.test(t) || t.startsWith('DECIMAL');

/** The SQL expression giving a feature's number: the value, 0/1, or the category's code (NULL if unknown). */
export function featureSql(feature: FeatureColumn): string {
  const col = sqlIdent(feature.name);
  if (feature.kind === 'numeric') return `CAST(${col} AS DOUBLE)`;
  const list = `[${(feature.categories ?? []).map(sqlString).join(', ')}]`;
  return `CAST(nullif(list_position(${list}, CAST(${col} AS VARCHAR)), 0) - 1 AS DOUBLE)`;
}

/** The SQL expression giving the target's number: the value, or the class code (NULL if unknown). */
export function targetSql(schema: FeatureSchema): string {
  const col = sqlIdent(schema.target);
  if (!schema.classes) return `CAST(${col} AS DOUBLE)`;
  const list = `[${schema.classes.map(sqlString).join(', ')}]`;
  return `CAST(nullif(list_position(${list}, CAST(${col} AS VARCHAR)), 0) - 1 AS DOUBLE)`;
}
