import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  binEdges,
  inferSchema,
  PROFILE_QUANTILES,
  profileTable,
  readTable,
  type TableFormat,
  type TableProfile,
  withSession,
} from './index.js';

const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');
const REFERENCE = join(import.meta.dirname, '../../test/fixtures/profile-reference.json');

interface RefColumn {
  count: number;
  missing: number;
  distinct: number;
  min?: number | null;
  max?: number | null;
  mean?: number | null;
  std?: number | null;
  quantiles?: (number | null)[];
  histogram?: { counts: number[]; edges: number[] };
  top?: { value: string; count: number }[];
  range?: { min: string; max: string };
}
interface RefTable {
  rows: number;
  columns: Record<string, RefColumn>;
  correlations: { columns: string[]; values: (number | null)[][] };
}

async function profileOf(file: string, format: TableFormat, sql?: string): Promise<TableProfile> {
  return withSession(async (s) => {
    if (sql !== undefined) {
      await s.run(sql);
      const schema = await inferSchema(s, 't');
      return profileTable(s, 't', schema);
    }
    const { table } = await readTable(s, { path: join(DATA, file), format });
    return profileTable(s, table, await inferSchema(s, table));
  });
}

/** Relative agreement to 1e-9 (absolute near zero); nulls must match nulls. */
function close(actual: number | null | undefined, expected: number | null | undefined, what: string): void {
  if (expected === null || expected === undefined) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  expect(actual, what).toBeTypeOf('number');
  const diff = Math.abs((actual as number) - expected);
  expect(diff, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
}

describe('profileTable agrees with pandas and numpy', async () => {
  const reference = JSON.parse(await readFile(REFERENCE, 'utf8')) as Record<string, RefTable>;
  for (const [file, format] of [
    ['seattle-weather.csv', 'csv'],
    ['penguins.json', 'json'],
  ] as const) {
    it(file, async () => {
      const ref = reference[file] as RefTable;
      const profile = await profileOf(file, format);
      expect(profile.columns.map((c) => c.name)).toEqual(Object.keys(ref.columns));
      for (const c of profile.columns) {
        const r = ref.columns[c.name] as RefColumn;
        expect({ count: c.count, missing: c.missing, distinct: c.distinct }, c.name).toEqual({
          count: r.count,
          missing: r.missing,
          distinct: r.distinct,
        });
        expect(c.count + c.missing).toBe(ref.rows);
        if (r.histogram) {
          const n = c.numeric;
          if (!n) throw new Error(`${c.name} has no numeric profile`);
          expect(n.infinite).toBe(0);
          close(n.min, r.min, `${c.name} min`);
          close(n.max, r.max, `${c.name} max`);
          close(n.mean, r.mean, `${c.name} mean`);
          close(n.std, r.std, `${c.name} std`);
          expect(n.quantiles.map((q) => q.p)).toEqual(PROFILE_QUANTILES);
          for (const [k, q] of n.quantiles.entries()) close(q.value, r.quantiles?.[k], `${c.name} q${q.p}`);
          expect(n.histogram?.counts, `${c.name} histogram`).toEqual(r.histogram.counts);
          for (const [k, e] of (n.histogram?.edges ?? []).entries()) {
            close(e, r.histogram.edges[k], `${c.name} edge ${k}`);
          }
          expect(n.histogram?.edges).toHaveLength(21);
        } else if (r.top) {
          expect(c.top, c.name).toEqual(r.top);
        } else {
          expect(c.range, c.name).toEqual(r.range);
        }
      }
      expect(profile.correlations.columns).toEqual(ref.correlations.columns);
      for (const [a, row] of ref.correlations.values.entries()) {
        for (const [b, v] of row.entries()) close(profile.correlations.values[a]?.[b], v, `corr ${a},${b}`);
      }
    });
  }
});

describe('profileTable edge cases', () => {
  it('treats NaN as missing, leaves ±Infinity out of the statistics, and stores only finite numbers', async () => {
    const profile = await profileOf(
      '',
      'csv',
      `CREATE TABLE t AS SELECT * FROM (VALUES
        (1.5::DOUBLE, 1::BIGINT, 'b', true, TIMESTAMP '2024-01-02 03:04:05'),
        ('nan'::DOUBLE, 1, 'a', false, NULL),
        ('inf'::DOUBLE, 1, 'b', NULL, TIMESTAMP '2023-05-06 07:08:09.5'),
        (2.5, NULL, 'a', true, NULL)) v(x, k, s, flag, ts)`,
    );
    const [x, k, s, flag, ts] = profile.columns;
    expect(x).toMatchObject({ count: 3, missing: 1, distinct: 3 });
    expect(x?.numeric).toMatchObject({ infinite: 1, min: 1.5, max: 2.5, mean: 2, std: Math.SQRT1_2 });
    expect(x?.numeric?.histogram?.counts.reduce((a, b) => a + b)).toBe(2);
    // A constant column: numpy widens the range to ±0.5, and its correlations are undefined.
    expect(k?.numeric).toMatchObject({ min: 1, max: 1, std: 0 });
    expect(k?.numeric?.histogram?.edges[0]).toBe(0.5);
    expect(k?.numeric?.histogram?.counts[10]).toBe(3);
    expect(profile.correlations).toEqual({
      columns: ['x', 'k'],
      values: [
        [1, null],
        [null, null],
      ],
    });
    // Ties are broken by value.
    expect(s?.top).toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 2 },
    ]);
    expect(flag?.top).toEqual([
      { value: 'true', count: 2 },
      { value: 'false', count: 1 },
    ]);
    expect(ts?.range).toEqual({ min: '2023-05-06T07:08:09.5', max: '2024-01-02T03:04:05' });
    expect(JSON.stringify(profile)).not.toMatch(/NaN|Infinity/);
  });

  it('profiles an empty table', async () => {
    const profile = await profileOf('', 'csv', 'CREATE TABLE t (x DOUBLE, s VARCHAR)');
    expect(profile.columns[0]).toMatchObject({ count: 0, missing: 0, distinct: 0 });
    expect(profile.columns[0]?.numeric).toMatchObject({
      min: null,
      mean: null,
      quantiles: [],
      histogram: null,
    });
    expect(profile.columns[1]?.top).toEqual([]);
  });

  it('computes bin edges as numpy.linspace does', () => {
    expect(binEdges(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(binEdges(3, 3, 2)).toEqual([2.5, 3, 3.5]);
  });
});
