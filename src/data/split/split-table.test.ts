import { describe, expect, it } from 'vitest';
import { type DuckSession, inferSchema, withSession } from '../../columnar/index.js';
import type { SplitSpec } from '../../contracts/index.js';
import { type SplitResult, splitTable } from './index.js';
import { assignment, type LoadedSample, loadSample, type Sample } from './split-data.fixture.js';

async function split(
  sample: Sample,
  spec: SplitSpec,
  check?: (s: DuckSession, parent: LoadedSample, result: SplitResult, labels: string) => Promise<void>,
): Promise<string> {
  return withSession(async (s) => {
    const parent = await loadSample(s, sample);
    const result = await splitTable(s, parent.table, parent.schema, spec);
    const { labels, ordered } = await assignment(s, result, parent.rowCount);
    expect(ordered, 'each split keeps the parent order').toBe(true);
    await check?.(s, parent, result, labels);
    return labels;
  });
}

const THREE_WAY = { train: 0.7, validation: 0.15, test: 0.15 };

describe('random splits', () => {
  it('are deterministic for a seed and differ between seeds', async () => {
    const spec = { method: 'random', fractions: THREE_WAY } as const;
    const a = await split('penguins.json', { ...spec, seed: 1 });
    expect(await split('penguins.json', { ...spec, seed: 1 })).toBe(a);
    expect(await split('penguins.json', { ...spec, seed: 2 })).not.toBe(a);
  });

  it('place every row in exactly one split, with the outputs named by the fractions given', async () => {
    await split(
      'iris.csv',
      { method: 'random', fractions: { train: 0.8, test: 0.2 } },
      async (s, p, r, labels) => {
        expect(r.spec).toMatchObject({ seed: 42 });
        expect(r.splits.map((x) => [x.name, x.table])).toEqual([
          ['train', 'parent_train'],
          ['test', 'parent_test'],
        ]);
        expect(labels).not.toContain('.');
        expect(r.rowCount).toBe(p.rowCount);
        expect(r.splits.reduce((n, x) => n + x.rowCount, 0)).toBe(p.rowCount);
        expect(r.dropped).toEqual({ missingTime: 0, betweenBoundaries: 0 });
        // The outputs are tables of the parent's columns and types.
        const types = async (t: string) => (await inferSchema(s, t)).columns.map((c) => [c.name, c.type]);
        expect(await types('parent_test')).toEqual(await types(p.table));
      },
    );
  });

  it('keep rows that share a key together, nulls included', async () => {
    const key = 'Body Mass (g)';
    await split(
      'penguins.json',
      { method: 'random', fractions: THREE_WAY, key },
      async (s, p, _r, labels) => {
        const rows = await s.rows(`SELECT "${key}" AS k, __i FROM ${p.table}`);
        const byKey = new Map<string, string[]>();
        for (const row of rows) {
          const k = String(row.k);
          byKey.set(k, [...(byKey.get(k) ?? []), labels[Number(row.__i)]!]);
        }
        const groups = [...byKey.values()];
        expect(byKey.get('null')).toHaveLength(2);
        expect(groups.filter((g) => g.length > 1).length).toBeGreaterThan(50);
        expect(groups.filter((g) => new Set(g).size > 1)).toEqual([]);
      },
    );
  });

  it('with a key, give a row the same split whatever the other rows are', async () => {
    const spec = { method: 'random', fractions: THREE_WAY, key: 'date', seed: 9 } as const;
    const full = await split('seattle-weather.csv', spec);
    const subset = await withSession(async (s) => {
      const p = await loadSample(s, 'seattle-weather.csv');
      // Every third day, in reverse order: a different table holding some of the same keys.
      await s.run(`CREATE TABLE subset AS SELECT * FROM ${p.table} WHERE __i % 3 = 0 ORDER BY __i DESC`);
      const r = await splitTable(s, 'subset', p.schema, spec);
      const out = new Map<number, string>();
      for (const x of r.splits) {
        const letter = x.name === 'test' ? 's' : x.name[0]!;
        for (const row of await s.rows(`SELECT __i FROM ${x.table}`)) out.set(Number(row.__i), letter);
      }
      return out;
    });
    expect(subset.size).toBe(Math.ceil(full.length / 3));
    for (const [i, letter] of subset) expect(full[i], `row ${i}`).toBe(letter);
  });

  it('send no row to a zero fraction', async () => {
    const labels = await split('seattle-weather.csv', {
      method: 'random',
      fractions: { train: 0.3, validation: 0.7, test: 0 },
    });
    expect(labels).not.toMatch(/[s.]/);
  });
});

describe('stratified splits', () => {
  it('keep each class within one row of its exact share', async () => {
    await split(
      'penguins.json',
      { method: 'stratified', target: 'Sex', fractions: THREE_WAY, seed: 3 },
      async (s, p, _r, labels) => {
        const rows = await s.rows(`SELECT coalesce("Sex", '<null>') AS c, __i FROM ${p.table}`);
        const perClass = new Map<string, string[]>();
        for (const row of rows) {
          perClass.set(String(row.c), [...(perClass.get(String(row.c)) ?? []), labels[Number(row.__i)]!]);
        }
        expect([...perClass.keys()].sort()).toEqual(['.', '<null>', 'FEMALE', 'MALE']);
        for (const [c, got] of perClass) {
          for (const [letter, fraction] of [
            ['t', 0.7],
            ['v', 0.15],
            ['s', 0.15],
          ] as const) {
            const n = got.filter((x) => x === letter).length;
            expect(Math.abs(n - got.length * fraction), `${c} ${letter}`).toBeLessThanOrEqual(1);
          }
        }
      },
    );
  });

  it('are deterministic for a seed and differ between seeds', async () => {
    const spec = { method: 'stratified', target: 'Species', fractions: THREE_WAY } as const;
    const a = await split('penguins.json', spec);
    expect(await split('penguins.json', { ...spec, seed: 42 })).toBe(a);
    expect(await split('penguins.json', { ...spec, seed: 43 })).not.toBe(a);
  });
});

describe('time splits', () => {
  const bounds = async (s: DuckSession, table: string) =>
    (
      await s.rows(
        `SELECT CAST(min(date) AS VARCHAR) AS lo, CAST(max(date) AS VARCHAR) AS hi, count(*) AS n FROM ${table}`,
      )
    )[0]!;

  it('cut exactly at the boundaries', async () => {
    const spec = {
      method: 'time',
      column: 'date',
      train_before: '2013-03-01',
      test_from: '2015-11-15',
      validation: true,
    } as const;
    await split('seattle-weather.csv', spec, async (s, _p, r, labels) => {
      expect(labels).toMatch(/^t+v+s+$/);
      expect(await bounds(s, 'parent_train')).toEqual({ lo: '2012-01-01', hi: '2013-02-28', n: 425n });
      expect(await bounds(s, 'parent_validation')).toEqual({ lo: '2013-03-01', hi: '2015-11-14', n: 989n });
      expect(await bounds(s, 'parent_test')).toEqual({ lo: '2015-11-15', hi: '2015-12-31', n: 47n });
      expect(r.splits.map((x) => x.rowCount)).toEqual([425, 989, 47]);
    });
  });

  it('drop and count the rows between the boundaries and the rows with no time', async () => {
    await withSession(async (s) => {
      await s.run(`CREATE TABLE raw AS SELECT * FROM (VALUES
        (TIMESTAMP '2024-01-01 00:00:00', 1), (NULL, 2), (TIMESTAMP '2024-01-01 12:00:00', 3),
        (TIMESTAMP '2024-01-02 00:00:00', 4), (TIMESTAMP '2023-12-31 23:59:59.999999', 5)) AS t(ts, n)`);
      await s.run('CREATE TABLE events AS SELECT ts, CAST(n AS BIGINT) AS id FROM raw');
      const schema = (await inferSchema(s, 'events')).columns;
      const spec = {
        method: 'time',
        column: 'ts',
        train_before: '2024-01-01',
        test_from: '2024-01-02T00:00:00Z',
      } as const;
      const r = await splitTable(s, 'events', schema, spec);
      expect(r.spec).toMatchObject({ validation: false });
      expect(r.splits.map((x) => [x.name, x.rowCount])).toEqual([
        ['train', 1],
        ['test', 1],
      ]);
      expect(r.dropped).toEqual({ missingTime: 1, betweenBoundaries: 2 });
      expect(await s.rows('SELECT id FROM events_train')).toEqual([{ id: 5n }]);
      expect(await s.rows('SELECT id FROM events_test')).toEqual([{ id: 4n }]);
    });
  });

  it('split a numeric column with numeric boundaries, NaN counted as no time', async () => {
    await withSession(async (s) => {
      await s.run(
        `CREATE TABLE m AS SELECT * FROM (VALUES (0.5), ('NaN'::DOUBLE), (1.0), (1.5), (2.5), (NULL)) AS t(x)`,
      );
      const schema = (await inferSchema(s, 'm')).columns;
      const spec = {
        method: 'time',
        column: 'x',
        train_before: 1,
        test_from: 1.5,
        validation: true,
      } as const;
      const r = await splitTable(s, 'm', schema, spec, { prefix: 'm__' });
      expect(r.splits.map((x) => [x.table, x.rowCount])).toEqual([
        ['m__train', 1],
        ['m__validation', 1],
        ['m__test', 2],
      ]);
      expect(r.dropped).toEqual({ missingTime: 2, betweenBoundaries: 0 });
    });
  });
});
