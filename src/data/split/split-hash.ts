import { createHash } from 'node:crypto';
import type { ColumnSchema } from '../../columnar/index.js';
import { sqlDouble, sqlIdent, sqlString } from '../../columnar/index.js';
import type { SplitFractions } from '../../contracts/index.js';

/*
 * The split hash. It is defined on text, not on DuckDB's hash() (whose values may change between
 * versions), so a split can be reproduced anywhere from its spec: test/fixtures/split-reference.py
 * does it with Python's hashlib.
 *
 *   text = the canonical text of the row's key value, or its 0-based row index (decimal) without a key
 *   h    = md5 of the UTF-8 bytes of `${seed}:${text}`, as 32 lowercase hex digits
 *   u    = int(h[0:13], 16) / 2^52, a uniform number in [0, 1) (52 bits: exact as a double)
 *
 * Canonical text of a value, by column type:
 *   integer    decimal: `-12`
 *   float      C printf `%.17g` (round-trips every double); 0 and -0 as `0`; NaN `nan`; `inf`, `-inf`
 *   boolean    `true` / `false`
 *   string     the text itself
 *   date       ISO 8601 `YYYY-MM-DD`
 *   timestamp  microseconds since 1970-01-01T00:00:00 (the column holds UTC wall time), decimal
 *   null       the empty string: rows with no key form one group
 *
 * Cut points from the fractions, in IEEE double arithmetic and in this order (a missing validation
 * fraction is 0):
 *   total = (train + validation) + test;  b1 = train / total;  b2 = (train + validation) / total
 * Dividing by the total makes a split with no test place every row (b2 is exactly 1), even though
 * fractions need only sum to 1 within 1e-9.
 */

export const UNIFORM_HEX_DIGITS = 13;
const TWO_POW_MINUS_52 = 2 ** -52;

/** SQL for the canonical text of a column's value (see above). */
export function canonicalKeySql(column: ColumnSchema): string {
  const col = sqlIdent(column.name);
  const text = (() => {
    switch (column.type) {
      case 'integer':
        return `CAST(${col} AS VARCHAR)`;
      case 'float':
        return `CASE WHEN ${col} = 0 THEN '0' ELSE printf('%.17g', ${col}) END`;
      case 'boolean':
        return `CASE WHEN ${col} THEN 'true' ELSE 'false' END`;
      case 'date':
        return `CAST(${col} AS VARCHAR)`;
      case 'timestamp':
        return `CAST(epoch_us(${col}) AS VARCHAR)`;
      default:
        return col;
    }
  })();
  return `coalesce(${text}, '')`;
}

/** SQL for the canonical text of the row's position in its table (a base table's rowid, 0-based). */
export const ROW_INDEX_SQL = 'CAST(rowid AS VARCHAR)';

/** SQL for h: the hex md5 digest of `${seed}:${text}`. */
export function hashSql(seed: number, textSql: string): string {
  return `md5(${sqlString(`${seed}:`)} || ${textSql})`;
}

/** SQL for u from a hex digest. */
export function uniformSql(hexSql: string): string {
  return `CAST(CAST('0x' || substr(${hexSql}, 1, ${UNIFORM_HEX_DIGITS}) AS BIGINT) AS DOUBLE) * ${sqlDouble(TWO_POW_MINUS_52)}`;
}

/** u computed in JS: the same number as uniformSql(hashSql(seed, text)). */
export function splitUniform(seed: number, text: string): number {
  const hex = createHash('md5').update(`${seed}:${text}`, 'utf8').digest('hex');
  return Number.parseInt(hex.slice(0, UNIFORM_HEX_DIGITS), 16) * TWO_POW_MINUS_52;
}

export interface CutPoints {
  /** u < b1: train. */
  b1: number;
  /** b1 <= u < b2: validation; u >= b2: test. */
  b2: number;
}

export function cutPoints(fractions: SplitFractions): CutPoints {
  const validation = fractions.validation ?? 0;
  const total = fractions.train + validation + fractions.test;
  return { b1: fractions.train / total, b2: (fractions.train + validation) / total };
}
