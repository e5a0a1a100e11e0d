import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, readTable, withSession, writeParquet } from './index.js';

const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cyclops-columnar-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('contentHash and writeParquet', () => {
  it('hashes row order: reversed rows hash differently', async () => {
    await withSession(async (s) => {
      const { table } = await readTable(s, { path: join(DATA, 'seattle-weather.csv'), format: 'csv' });
      await s.run(`CREATE TABLE reversed AS SELECT * FROM ${table} ORDER BY date DESC`);
      await s.run(`CREATE TABLE same AS SELECT * FROM ${table} ORDER BY date`);
      const original = await contentHash(s, table);
      expect(await contentHash(s, 'same')).toBe(original);
      expect(await contentHash(s, 'reversed')).not.toBe(original);
      // And a Parquet round trip keeps the order.
      const out = join(dir, 'weather.parquet');
      await writeParquet(s, table, out);
      const back = await readTable(s, { path: out, format: 'parquet', table: 'back' });
      expect(await contentHash(s, back.table)).toBe(original);
    });
  });

  it('hashes every value: one changed value changes the hash', async () => {
    await withSession(async (s) => {
      const { table } = await readTable(s, { path: join(DATA, 'seattle-weather.csv'), format: 'csv' });
      const before = await contentHash(s, table);
      await s.run(`UPDATE ${table} SET wind = wind + 0.1 WHERE date = DATE '2014-06-01'`);
      expect(await contentHash(s, table)).not.toBe(before);
    });
  });
});
