import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { withSession } from '../../columnar/index.js';
import { SplitSpec } from '../../contracts/index.js';
import { isCyclopsError } from '../../core/index.js';
import { splitTable } from './index.js';
import { loadSample, type Sample } from './split-data.fixture.js';

/** The error splitting `sample` with `spec` fails with, as { code, field }; and no table was left behind. */
async function failure(
  sample: Sample,
  spec: unknown,
): Promise<{ code: string; field: unknown; message: string }> {
  return withSession(async (s) => {
    const parent = await loadSample(s, sample);
    const before = await s.rows('SELECT table_name FROM duckdb_tables() ORDER BY 1');
    const err = await splitTable(s, parent.table, parent.schema, spec as SplitSpec).then(
      () => null,
      (e: unknown) => e,
    );
    if (!isCyclopsError(err)) throw new Error(`expected a CyclopsError, got ${String(err)}`);
    expect(await s.rows('SELECT table_name FROM duckdb_tables() ORDER BY 1')).toEqual(before);
    return { code: err.code, field: err.details.field, message: err.message };
  });
}

const FRACTIONS = { train: 0.8, test: 0.2 };

describe('split specs', () => {
  it('are checked against the wire schema: method union, snake_case, no unknown fields', () => {
    expect(Value.Check(SplitSpec, { method: 'random', fractions: FRACTIONS })).toBe(true);
    expect(
      Value.Check(SplitSpec, { method: 'time', column: 'd', train_before: '2015-01-01', test_from: 3 }),
    ).toBe(true);
    expect(Value.Check(SplitSpec, { method: 'random', fractions: FRACTIONS, extra: 1 })).toBe(false);
    expect(Value.Check(SplitSpec, { method: 'random', fractions: { ...FRACTIONS, holdout: 0 } })).toBe(false);
    expect(Value.Check(SplitSpec, { method: 'stratified', fractions: FRACTIONS })).toBe(false);
    expect(Value.Check(SplitSpec, { method: 'random', fractions: FRACTIONS, seed: 1.5 })).toBe(false);
    expect(Value.Check(SplitSpec, { method: 'shuffle', fractions: FRACTIONS })).toBe(false);
  });

  it.each([
    [
      'a fraction out of range',
      { method: 'random', fractions: { train: 1.2, test: -0.2 } },
      'fractions.train',
    ],
    [
      'a negative fraction',
      { method: 'random', fractions: { train: 0.5, validation: -0.1, test: 0.6 } },
      'fractions.validation',
    ],
    ['fractions not summing to 1', { method: 'random', fractions: { train: 0.7, test: 0.2 } }, 'fractions'],
    ['an unknown key column', { method: 'random', fractions: FRACTIONS, key: 'island' }, 'key'],
    ['a negative seed', { method: 'random', fractions: FRACTIONS, seed: -1 }, 'seed'],
    ['an unknown target', { method: 'stratified', target: 'species', fractions: FRACTIONS }, 'target'],
    [
      'a key that is not unique',
      { method: 'stratified', target: 'Species', fractions: FRACTIONS, key: 'Island' },
      'key',
    ],
    [
      'a text time column',
      { method: 'time', column: 'Species', train_before: 'a', test_from: 'b' },
      'column',
    ],
    ['an unknown method', { method: 'shuffle', fractions: FRACTIONS }, 'method'],
  ])('reject %s, naming the field', async (_what, spec, field) => {
    expect(await failure('penguins.json', spec)).toMatchObject({ code: 'invalid_argument', field });
  });

  it('reject a target with more classes than a label has', async () => {
    const err = await failure('seattle-weather.csv', {
      method: 'stratified',
      target: 'date',
      fractions: FRACTIONS,
    });
    expect(err).toMatchObject({ code: 'invalid_argument', field: 'target' });
    expect(err.message).toContain('1461 classes');
  });

  it.each([
    ['a date-time for a date column', '2015-01-01T00:00:00', '2015-06-01', 'train_before'],
    ['an impossible date', '2015-01-01', '2015-02-30', 'test_from'],
    ['a number for a date column', '2015-01-01', 20150601, 'test_from'],
    ['boundaries out of order', '2015-06-01', '2015-01-01', 'test_from'],
  ])('reject %s as a time boundary', async (_what, before, from, field) => {
    const spec = { method: 'time', column: 'date', train_before: before, test_from: from };
    expect(await failure('seattle-weather.csv', spec)).toMatchObject({ code: 'invalid_argument', field });
  });

  it('reject a string boundary for a numeric column and a non-UTC offset for a timestamp', async () => {
    const numeric = { method: 'time', column: 'Body Mass (g)', train_before: '4000', test_from: 5000 };
    expect(await failure('penguins.json', numeric)).toMatchObject({ field: 'train_before' });
    await withSession(async (s) => {
      await s.run("CREATE TABLE e AS SELECT TIMESTAMP '2024-01-01 00:00:00' AS ts");
      const schema = [{ name: 'ts', type: 'timestamp', nullable: false, kind: 'datetime' }] as const;
      const spec = {
        method: 'time',
        column: 'ts',
        train_before: '2024-01-01T00:00:00+02:00',
        test_from: '2024-02-01',
      } as const;
      await expect(splitTable(s, 'e', [...schema], spec)).rejects.toMatchObject({
        details: { field: 'train_before' },
      });
    });
  });
});
