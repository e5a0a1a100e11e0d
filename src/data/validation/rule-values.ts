import type { ColumnSchema, ColumnType } from '../../columnar/index.js';
import { sqlDouble, sqlString } from '../../columnar/index.js';
import { invalid } from '../../core/index.js';

export type RuleValue = string | number | boolean;

export const isNumeric = (type: ColumnType): boolean => type === 'integer' || type === 'float';
export const isDatetime = (type: ColumnType): boolean => type === 'date' || type === 'timestamp';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;

/**
 * Epoch microseconds of an ISO 8601 date (`2024-01-31`) or, for timestamp columns, a wall time without
 * zone (`2024-01-31T08:00:00.5`): tables store instants as UTC wall time. Null when the text is not one
 * or names a day that does not exist (checked here, where the rule is named, not by a failed CAST later).
 */
export function isoMicros(text: string, type: 'date' | 'timestamp'): number | null {
  const m = (type === 'date' ? ISO_DATE : ISO_TIMESTAMP).exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms * 1000 + Number((m[7] ?? '').padEnd(6, '0'));
}

/**
 * A rule value as a SQL literal of the column's type, or invalid_argument naming `field`. Values are
 * typed by the column, not coerced: `1` is not accepted for a string column (YAML reads `1` as a number;
 * quote it), so a rule never silently compares text with numbers.
 */
export function sqlLiteral(value: RuleValue, column: ColumnSchema, field: string): string {
  const wrong = (expected: string): never => {
    throw invalid(
      `${field}: must be ${expected} for ${column.type} column '${column.name}', not ${JSON.stringify(value)}`,
      { field },
    );
  };
  switch (column.type) {
    case 'integer':
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrong('a number');
      return column.type === 'integer' && Number.isSafeInteger(value) ? String(value) : sqlDouble(value);
    case 'boolean':
      if (typeof value !== 'boolean') return wrong('true or false');
      return value ? 'TRUE' : 'FALSE';
    case 'string':
      if (typeof value !== 'string') return wrong('a string (quote it in YAML)');
      return sqlString(value);
    default: {
      const example = column.type === 'date' ? '2024-01-31' : '2024-01-31T08:00:00';
      if (typeof value !== 'string' || isoMicros(value, column.type) === null) {
        return wrong(`an ISO 8601 ${column.type} such as '${example}'`);
      }
      const keyword = column.type === 'date' ? 'DATE' : 'TIMESTAMP';
      return `${keyword} ${sqlString(value.replace('T', ' '))}`;
    }
  }
}

/** A bound's position on the column's axis, for comparing min with max. */
export function boundOrder(value: RuleValue, column: ColumnSchema): number {
  if (typeof value === 'number') return value;
  return isoMicros(String(value), column.type === 'date' ? 'date' : 'timestamp') ?? Number.NaN;
}
