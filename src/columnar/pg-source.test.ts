import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL } from '../../test/helpers/stores.js';
import { withSession } from './duckdb-session.js';
import { describeConnection, readPostgresQuery } from './pg-source.js';
import { readTable } from './read-table.js';
import { contentHash } from './snapshot.js';

const PENGUINS = join(import.meta.dirname, '../../node_modules/vega-datasets/data/penguins.json');

describe('describeConnection', () => {
  it('keeps host, port and database, never the user or password', () => {
    expect(describeConnection('postgres://alice:s3cret@db.internal:6543/sales?sslmode=require')).toBe(
      'db.internal:6543/sales',
    );
    expect(describeConnection('postgresql://localhost/x')).toBe('localhost:5432/x');
  });

  it('refuses what is not a postgres URL', () => {
    expect(() => describeConnection('mysql://h/db')).toThrow(/expected a postgres:\/\/ URL/);
    expect(() => describeConnection('not a url')).toThrow(/not a postgres:\/\/ URL/);
  });
});

// A real Postgres server: the suite runs whenever CYCLOPS_TEST_DATABASE_URL is set, and CI always sets it.
describe.skipIf(!TEST_DATABASE_URL)('readPostgresQuery', () => {
  let db: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    db = await createTestDatabase();
    const penguins = JSON.parse(await readFile(PENGUINS, 'utf8')) as Record<string, unknown>[];
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TABLE penguins (
      "Species" text, "Island" text, "Beak Length (mm)" double precision, "Beak Depth (mm)" double precision,
      "Flipper Length (mm)" bigint, "Body Mass (g)" bigint, "Sex" text)`);
    for (const p of penguins) {
      await client.query('INSERT INTO penguins VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        p.Species,
        p.Island,
        p['Beak Length (mm)'],
        p['Beak Depth (mm)'],
        p['Flipper Length (mm)'],
        p['Body Mass (g)'],
        p.Sex,
      ]);
    }
    await client.query(`CREATE TABLE kinds AS SELECT * FROM (VALUES
      (1::int2, 2.5::numeric(6,2), true, DATE '2024-02-29', TIMESTAMP '2024-02-29 13:45:01.123456',
       TIMESTAMPTZ '2024-02-29 13:45:00+02', 'NaN'::float8, '{1,2}'::int[], '{"a": 1}'::jsonb),
      (NULL, NULL, NULL, NULL, NULL, NULL, 'Infinity'::float8, NULL, NULL)
    ) AS t(small, money, flag, day, at, at_tz, x, arr, doc)`);
    await client.end();
  });
  afterAll(async () => db?.drop());

  it('reads the same table as the file: one content hash for a query and a JSON file', async () => {
    await withSession(async (s) => {
      const fromFile = await readTable(s, { path: PENGUINS, format: 'json', table: 'file' });
      const fromQuery = await readPostgresQuery(s, {
        connectionString: db.url,
        query: 'SELECT * FROM penguins ORDER BY ctid;',
        table: 'query',
        batchRows: 50,
      });
      expect(fromQuery.rowCount).toBe(344);
      expect(fromQuery.rowCount).toBe(fromFile.rowCount);
      expect(await contentHash(s, 'query')).toBe(await contentHash(s, 'file'));
    });
  });

  it('maps Postgres types: integers, numerics, booleans, dates, timestamps (UTC), the rest as text', async () => {
    await withSession(async (s) => {
      await readPostgresQuery(s, { connectionString: db.url, query: 'SELECT * FROM kinds' });
      const types = await s.rows(
        "SELECT column_name AS c, data_type AS t FROM duckdb_columns() WHERE table_name = 'dataset' ORDER BY column_index",
      );
      expect(types.map((r) => `${r.c}:${r.t}`)).toEqual([
        'small:BIGINT',
        'money:DOUBLE',
        'flag:BOOLEAN',
        'day:DATE',
        'at:TIMESTAMP',
        'at_tz:TIMESTAMP',
        'x:DOUBLE',
        'arr:VARCHAR',
        'doc:VARCHAR',
      ]);
      const rows = await s.rows(
        'SELECT small, money, flag, CAST(day AS VARCHAR) AS day, CAST("at" AS VARCHAR) AS "at", CAST(at_tz AS VARCHAR) AS at_tz, x, arr, doc FROM dataset',
      );
      expect(rows[0]).toEqual({
        small: 1n,
        money: 2.5,
        flag: true,
        day: '2024-02-29',
        at: '2024-02-29 13:45:01.123456',
        at_tz: '2024-02-29 11:45:00',
        x: Number.NaN,
        arr: '{1,2}',
        doc: '{"a": 1}',
      });
      expect(rows[1]).toMatchObject({ small: null, day: null, at_tz: null, x: Number.POSITIVE_INFINITY });
    });
  });

  it('reports a failing query with the position in the query and the SQLSTATE', async () => {
    await withSession(async (s) => {
      await expect(
        readPostgresQuery(s, { connectionString: db.url, query: 'SELECT * FROM nope' }),
      ).rejects.toMatchObject({
        code: 'invalid_argument',
        message: expect.stringMatching(/relation "nope" does not exist at character 15 \(SQLSTATE 42P01\)/),
        details: { field: 'query', position: 15, sqlstate: '42P01' },
      });
      await expect(readPostgresQuery(s, { connectionString: db.url, query: 'SELEC 1' })).rejects.toThrow(
        /syntax error at or near "SELEC" at character 1/,
      );
    });
  });

  it('runs the query read-only: a statement that writes is refused', async () => {
    await withSession(async (s) => {
      await expect(
        readPostgresQuery(s, { connectionString: db.url, query: 'DELETE FROM penguins RETURNING *' }),
      ).rejects.toThrow(/query failed/);
      await expect(
        readPostgresQuery(s, {
          connectionString: db.url,
          query: 'SELECT * FROM penguins; DROP TABLE penguins; SELECT 1',
        }),
      ).rejects.toThrow(/query failed/);
    });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM penguins');
    await client.end();
    expect(rows[0].n).toBe(344);
  });

  it('refuses duplicate result column names, and says which', async () => {
    await withSession(async (s) => {
      await expect(
        readPostgresQuery(s, { connectionString: db.url, query: 'SELECT 1 AS a, 2 AS "A"' }),
      ).rejects.toThrow(/duplicate column name 'A'/);
    });
  });

  it('names the server, not the password, when it cannot connect', async () => {
    const url = new URL(db.url);
    url.username = 'nobody_here';
    url.password = 'hunter2';
    url.port = '1';
    await withSession(async (s) => {
      const err = await readPostgresQuery(s, { connectionString: url.toString(), query: 'SELECT 1' }).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: 'invalid_argument', details: { field: 'connection' } });
      expect(String((err as Error).message)).toMatch(/^cannot connect to 127\.0\.0\.1:1\//);
      expect(JSON.stringify(err) + String((err as Error).message)).not.toContain('hunter2');
    });
  });
});
