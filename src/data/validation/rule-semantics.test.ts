import { describe, expect, it } from 'vitest';
import { type ColumnSchema, inferSchema, withSession } from '../../columnar/index.js';
import type { ValidationReport, ValidationRule } from '../../contracts/index.js';
import { type ExpectedColumnLike, validateTable } from './index.js';

/** Validates a table made by `sql` (CREATE TABLE t ...). */
async function validateSql(
  sql: string,
  rules: ValidationRule[],
  contract?: ExpectedColumnLike[],
): Promise<ValidationReport> {
  return withSession(async (s) => {
    await s.run(sql);
    const { columns } = await inferSchema(s, 't');
    return validateTable(s, 't', rules, { schema: columns, contract });
  });
}

const counts = (report: ValidationReport) => report.results.map((r) => r.failing_count);

describe('missing and non-finite values', () => {
  const table = `CREATE TABLE t AS SELECT * FROM (VALUES (1.0), (2.0), (3.0), (4.0), (5.0), (2.0),
    ('NaN'::DOUBLE), ('NaN'::DOUBLE), ('inf'::DOUBLE), ('-inf'::DOUBLE), (NULL)) v(x)`;

  it('counts NaN as missing and judges only present values elsewhere', async () => {
    const report = await validateSql(table, [
      { type: 'not_null', column: 'x' },
      { type: 'max_missing', column: 'x', max_fraction: 0.3 },
      { type: 'range', column: 'x', min: 0, max: 10 },
      { type: 'allowed_values', column: 'x', values: [1, 2, 3, 4, 5] },
      { type: 'unique', column: 'x' },
    ]);
    // 3 missing (2 NaN + NULL); ±Infinity are present and out of range; the two NaNs are not a repeat.
    expect(counts(report)).toEqual([3, 3, 2, 2, 2]);
    expect(report.results[1]).toMatchObject({ passed: true, stats: { missing_fraction: 3 / 11 } });
    expect(report.results[4]?.samples.map((s) => s.row)).toEqual([1, 5]);
    expect(report.results[2]?.samples.map((s) => s.values.x)).toEqual(['Infinity', '-Infinity']);
  });

  it('computes outlier statistics over finite values and counts ±Infinity as outliers', async () => {
    const report = await validateSql(table, [
      { type: 'outliers', column: 'x', method: 'iqr' },
      { type: 'outliers', column: 'x', method: 'zscore', max_fraction: 0.2 },
    ]);
    const [iqr, z] = report.results;
    // Finite values 1, 2, 2, 3, 4, 5: q1 = 2, q3 = 3.75 (linear interpolation).
    expect(iqr?.stats).toEqual({ q1: 2, q3: 3.75, lower: 2 - 1.5 * 1.75, upper: 3.75 + 1.5 * 1.75 });
    expect(iqr).toMatchObject({ failing_count: 2, passed: false });
    expect(z).toMatchObject({ failing_count: 2, passed: true });
    expect(z?.samples).toEqual([]);
  });

  it('finds no z-score outliers in a constant column', async () => {
    const report = await validateSql('CREATE TABLE t AS SELECT 7::BIGINT AS x FROM range(10)', [
      { type: 'outliers', column: 'x', method: 'zscore', threshold: 0.1 },
    ]);
    expect(report.results[0]).toMatchObject({
      passed: true,
      failing_count: 0,
      stats: { mean: 7, std: 0, lower: null, upper: null },
    });
  });
});

describe('rows and tables', () => {
  it('treats NULLs as equal when looking for duplicate rows, keeping the first', async () => {
    const report = await validateSql(
      'CREATE TABLE t AS SELECT a::BIGINT AS a, b::BIGINT AS b FROM (VALUES (1, NULL), (1, NULL), (NULL, NULL), (NULL, NULL), (2, 3), (2, 4)) v(a, b)',
      [{ type: 'duplicates' }, { type: 'duplicates', columns: ['a'] }, { type: 'unique', column: 'a' }],
    );
    expect(counts(report)).toEqual([2, 3, 4]);
    expect(report.results.map((r) => r.samples.map((s) => s.row))).toEqual([
      [1, 3],
      [1, 3, 5],
      [0, 1, 4, 5],
    ]);
  });

  it('handles an empty table', async () => {
    const report = await validateSql('CREATE TABLE t (x DOUBLE, s VARCHAR)', [
      { type: 'not_null', column: 'x' },
      { type: 'max_missing', column: 's', max_fraction: 0 },
      { type: 'outliers', column: 'x', method: 'zscore' },
      { type: 'row_count', min_rows: 1 },
    ]);
    expect(report.row_count).toBe(0);
    expect(report.results.map((r) => [r.passed, r.failing_count, r.failing_fraction])).toEqual([
      [true, 0, 0],
      [true, 0, 0],
      [true, 0, 0],
      [false, null, null],
    ]);
  });

  it('compares datetime columns with ISO bounds, exclusive where asked', async () => {
    const report = await validateSql(
      `CREATE TABLE t AS SELECT * FROM (VALUES
        (DATE '2024-01-01', TIMESTAMP '2024-01-01 08:00:00'),
        (DATE '2024-01-31', TIMESTAMP '2024-01-31 23:59:59.5')) v(d, ts)`,
      [
        { type: 'range', column: 'd', min: '2024-01-01', max: '2024-01-31' },
        { type: 'range', column: 'd', min: '2024-01-01', exclusive_min: true },
        { type: 'range', column: 'ts', max: '2024-01-31T23:59:59' },
        { type: 'range', column: 'ts', min: '2024-01-01 08:00' },
      ],
    );
    expect(counts(report)).toEqual([0, 1, 1, 0]);
    expect(report.results[1]?.message).toBe("1 of 2 rows (50%) have 'd' outside (2024-01-01, inf]");
  });
});

describe('schema rules', () => {
  const table =
    'CREATE TABLE t AS SELECT id::BIGINT AS id, score::DOUBLE AS score, extra::BIGINT AS extra FROM (VALUES (1, 2.5, NULL), (2, 3.5, 4)) v(id, score, extra)';

  it('checks against the caller-supplied contract when the rule lists no columns', async () => {
    const contract: ColumnSchema[] = [
      { name: 'id', type: 'float', nullable: false, kind: 'numeric' },
      { name: 'score', type: 'integer', nullable: true, kind: 'numeric' },
      { name: 'extra', type: 'integer', nullable: false, kind: 'numeric' },
      { name: 'label', type: 'string', nullable: true, kind: 'categorical' },
    ];
    const report = await validateSql(table, [{ type: 'schema' }], contract);
    // id: an integer column meets a float expectation.
    expect(report.results[0]?.schema_issues).toEqual([
      { column: 'score', issue: 'type_changed', expected: 'integer', actual: 'float' },
      { column: 'extra', issue: 'unexpected_nulls', expected: 'no nulls', null_count: 1 },
      { column: 'label', issue: 'missing_column', expected: 'string' },
    ]);
    expect(report.results[0]?.message).toMatch(
      /^3 schema issue\(s\): column 'score' is float, expected integer/,
    );
  });

  it('passes a matching inline schema, and reports extra columns unless allowed', async () => {
    const columns = [
      { name: 'id', type: 'integer' as const, nullable: false },
      { name: 'score', type: 'float' as const },
    ];
    const report = await validateSql(table, [
      { type: 'schema', columns, allow_extra_columns: true },
      { type: 'schema', columns },
    ]);
    expect(report.results.map((r) => r.passed)).toEqual([true, false]);
    expect(report.results[1]?.schema_issues).toEqual([
      { column: 'extra', issue: 'unexpected_column', actual: 'integer' },
    ]);
  });
});
