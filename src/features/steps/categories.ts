import { invalid } from '../../core/index.js';
import type { Entry } from '../table.js';
import type { ColumnType, TransformScalar } from '../transform.entity.js';
import type { StepContext } from './kind.js';

/** Whether a value can be a value of the column type. */
export function scalarFits(value: TransformScalar, type: ColumnType): boolean {
  switch (type) {
    case 'integer':
      return Number.isSafeInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return false;
  }
}

/**
 * The order categories are sorted in: numbers ascending, false before true, strings by code point
 * (DuckDB's byte order of UTF-8, and Python's str order, so scikit-learn sorts them the same way).
 */
export function compareValues(a: TransformScalar, b: TransformScalar): number {
  if (typeof a === 'string' && typeof b === 'string') {
    for (let i = 0, j = 0; i < a.length && j < b.length; ) {
      const x = a.codePointAt(i) as number;
      const y = b.codePointAt(j) as number;
      if (x !== y) return x - y;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return [...a].length - [...b].length;
  }
  return Number(a) - Number(b);
}

/** An aggregate listing a column's distinct non-null values. */
export const distinctSql = (column: string): string =>
  `list(DISTINCT ${column}) FILTER (WHERE ${column} IS NOT NULL)`;

/** The sorted categories from a distinct-values aggregate result. */
export function fittedCategories(raw: unknown): TransformScalar[] {
  const values = ((raw ?? []) as unknown[]).map(
    (v) => (typeof v === 'bigint' ? Number(v) : v) as TransformScalar,
  );
  return values.sort(compareValues);
}

/** Checks a category list for a column: values of its type, each once, at most `max`. */
export function checkCategories(
  categories: readonly TransformScalar[],
  entry: Entry,
  field: string,
  max: number,
): void {
  if (categories.length > max) {
    throw invalid(
      `${field}: column '${entry.name}' has ${categories.length} categories, more than max_categories (${max})`,
      { field, column: entry.name, categories: categories.length },
    );
  }
  const seen = new Set<TransformScalar>();
  for (const c of categories) {
    if (!scalarFits(c, entry.type)) {
      throw invalid(`${field}: ${JSON.stringify(c)} is not a ${entry.type} value of '${entry.name}'`, {
        field,
        column: entry.name,
      });
    }
    if (seen.has(c))
      throw invalid(`${field}: ${JSON.stringify(c)} is listed twice`, { field, column: entry.name });
    seen.add(c);
  }
}

/** Explicit categories must name columns of the step. */
export function checkExplicit(
  explicit: Readonly<Record<string, readonly TransformScalar[]>> | undefined,
  columns: readonly string[],
  ctx: StepContext,
): void {
  for (const name of Object.keys(explicit ?? {})) {
    if (!columns.includes(name)) {
      const field = `${ctx.at}.categories`;
      throw invalid(`${field}: '${name}' is not one of the step's columns`, { field, column: name });
    }
  }
}
