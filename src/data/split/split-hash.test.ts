import { describe, expect, it } from 'vitest';
import { type ColumnSchema, withSession } from '../../columnar/index.js';
import { canonicalKeySql, cutPoints, splitUniform } from './index.js';
import { hashSql, uniformSql } from './split-hash.js';

// The documented canonical text of every column type, including values the real datasets lack.
const CASES: { type: ColumnSchema['type']; sql: string; text: string }[] = [
  { type: 'integer', sql: 'CAST(-12 AS BIGINT)', text: '-12' },
  { type: 'integer', sql: 'CAST(9007199254740993 AS BIGINT)', text: '9007199254740993' },
  { type: 'float', sql: 'CAST(0.1 AS DOUBLE)', text: '0.10000000000000001' },
  { type: 'float', sql: "CAST('-0.0' AS DOUBLE)", text: '0' },
  { type: 'float', sql: 'CAST(2.5 AS DOUBLE)', text: '2.5' },
  { type: 'float', sql: 'CAST(1e22 AS DOUBLE)', text: '1e+22' },
  { type: 'float', sql: 'CAST(1e-7 AS DOUBLE)', text: '9.9999999999999995e-08' },
  { type: 'float', sql: "CAST('NaN' AS DOUBLE)", text: 'nan' },
  { type: 'float', sql: "CAST('-Infinity' AS DOUBLE)", text: '-inf' },
  { type: 'boolean', sql: 'true', text: 'true' },
  { type: 'boolean', sql: 'false', text: 'false' },
  { type: 'string', sql: "'h\u00e9llo \u{1F44B} it''s'", text: "h\u00e9llo \u{1F44B} it's" },
  { type: 'date', sql: "DATE '2012-01-01'", text: '2012-01-01' },
  { type: 'timestamp', sql: "TIMESTAMP '1970-01-01 00:00:01.5'", text: '1500000' },
  { type: 'timestamp', sql: "TIMESTAMP '1969-12-31 23:59:59'", text: '-1000000' },
  { type: 'string', sql: 'CAST(NULL AS VARCHAR)', text: '' },
  { type: 'date', sql: 'CAST(NULL AS DATE)', text: '' },
];

describe('the split hash', () => {
  it('writes each type as its documented canonical text, and hashes it as the JS reference does', async () => {
    await withSession(async (s) => {
      for (const c of CASES) {
        const column: ColumnSchema = { name: 'k', type: c.type, nullable: true, kind: 'numeric' };
        const [row] = await s.rows(
          `SELECT ${canonicalKeySql(column)} AS text, ${uniformSql(hashSql(7, canonicalKeySql(column)))} AS u FROM (SELECT ${c.sql} AS k)`,
        );
        expect(row?.text, c.sql).toBe(c.text);
        expect(row?.u, c.sql).toBe(splitUniform(7, c.text));
      }
    });
  });

  it('maps md5 to [0, 1) from its first 13 hex digits', () => {
    // md5('42:0.10000000000000001') = dfd7a6d5ed6f5...; Python: int(h[:13], 16) / 2**52.
    expect(splitUniform(42, '0.10000000000000001')).toBe(0.874384333828343);
    expect(splitUniform(42, '1')).toBe(0x590dd1ac9cf7c / 2 ** 52);
  });

  it('derives cut points that place every row when a fraction is zero', () => {
    expect(cutPoints({ train: 0.8, test: 0.2 })).toEqual({ b1: 0.8, b2: 0.8 });
    // Within the 1e-9 tolerance of 1 but short of it: with no test, every row still lands somewhere.
    expect(cutPoints({ train: 0.7, validation: 0.2999999999, test: 0 }).b2).toBe(1);
    expect(cutPoints({ train: 1, test: 0 })).toEqual({ b1: 1, b2: 1 });
    const { b1, b2 } = cutPoints({ train: 0.7, validation: 0.2, test: 0.1 });
    expect(b1).toBe(0.7 / (0.7 + 0.2 + 0.1));
    expect(b2).toBe((0.7 + 0.2) / (0.7 + 0.2 + 0.1));
  });
});
