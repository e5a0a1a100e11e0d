import type { ColumnSchema, DuckSession } from '../../columnar/index.js';
import { sqlDouble, sqlString } from '../../columnar/index.js';
import type { TimeSplitSpec } from '../../contracts/index.js';
import { invalid } from '../../core/index.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// Timestamp columns hold UTC wall time: an instant with another offset would be compared as a wall
// time it is not, so only `Z` (or no offset) is accepted.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?Z?$/;

export interface TimeBoundaries {
  /** SQL literals of the column's type. */
  trainBefore: string;
  testFrom: string;
}

/** The boundaries as SQL literals of the column's type, checked to parse and to be in order. */
export async function timeBoundaries(
  session: DuckSession,
  column: ColumnSchema,
  spec: TimeSplitSpec,
): Promise<TimeBoundaries> {
  if (column.type === 'integer' || column.type === 'float') {
    const before = numberBoundary(spec.train_before, 'train_before', column);
    const from = numberBoundary(spec.test_from, 'test_from', column);
    if (before > from) throw outOfOrder(spec);
    const sql = (n: number) =>
      column.type === 'integer' && Number.isSafeInteger(n) ? String(n) : sqlDouble(n);
    return { trainBefore: sql(before), testFrom: sql(from) };
  }
  const type = column.type === 'date' ? 'DATE' : 'TIMESTAMP';
  const pattern = column.type === 'date' ? DATE : DATE_TIME;
  const shape = column.type === 'date' ? 'YYYY-MM-DD' : 'YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.ffffff][Z]';
  const texts = (['train_before', 'test_from'] as const).map((field) => {
    const value = spec[field];
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw invalid(
        `${field} must be ${shape} for ${column.type} column '${column.name}' (got ${JSON.stringify(value)})`,
        {
          field,
        },
      );
    }
    return sqlString(value);
  }) as [string, string];
  const parsed = texts.map((t) => `TRY_CAST(${t} AS ${type})`);
  const [row] = await session.rows(
    `SELECT ${parsed[0]} IS NOT NULL AS ok0, ${parsed[1]} IS NOT NULL AS ok1, ${parsed[0]} <= ${parsed[1]} AS ordered`,
  );
  for (const [i, field] of (['train_before', 'test_from'] as const).entries()) {
    if (row?.[`ok${i}`] !== true) {
      throw invalid(`${field}: ${JSON.stringify(spec[field])} is not a valid ${column.type}`, { field });
    }
  }
  if (row?.ordered !== true) throw outOfOrder(spec);
  return { trainBefore: `CAST(${texts[0]} AS ${type})`, testFrom: `CAST(${texts[1]} AS ${type})` };
}

function numberBoundary(value: string | number, field: string, column: ColumnSchema): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(
      `${field} must be a finite number for ${column.type} column '${column.name}' (got ${JSON.stringify(value)})`,
      {
        field,
      },
    );
  }
  return value;
}

function outOfOrder(spec: TimeSplitSpec) {
  return invalid(
    `test_from (${JSON.stringify(spec.test_from)}) must not be before train_before (${JSON.stringify(spec.train_before)})`,
    { field: 'test_from' },
  );
}
