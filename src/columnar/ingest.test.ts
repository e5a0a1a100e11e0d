import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile, withSession } from './index.js';

const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cyclops-columnar-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the same data from JSON, CSV and Parquet', () => {
  it('has the same schema and content hash', async () => {
    const csv = join(dir, 'penguins.csv');
    const parquet = join(dir, 'penguins-duckdb.parquet');
    // Exported by DuckDB straight from the source file, without CyclOps' normalization.
    await withSession(async (s) => {
      const src = `read_json('${join(DATA, 'penguins.json')}', format='array')`;
      await s.run(`COPY (SELECT * FROM ${src}) TO '${csv}' (HEADER)`);
      await s.run(`COPY (SELECT * FROM ${src}) TO '${parquet}' (FORMAT parquet)`);
    });
    const fromJson = await ingestFile(
      { path: join(DATA, 'penguins.json'), format: 'json' },
      join(dir, 'a.parquet'),
    );
    const fromCsv = await ingestFile({ path: csv, format: 'csv' }, join(dir, 'b.parquet'));
    const fromParquet = await ingestFile({ path: parquet, format: 'parquet' }, join(dir, 'c.parquet'));
    expect(fromJson.rowCount).toBe(344);
    expect(fromJson.schema.columns).toEqual([
      { name: 'Species', type: 'string', nullable: false, kind: 'categorical' },
      { name: 'Island', type: 'string', nullable: false, kind: 'categorical' },
      { name: 'Beak Length (mm)', type: 'float', nullable: true, kind: 'numeric' },
      { name: 'Beak Depth (mm)', type: 'float', nullable: true, kind: 'numeric' },
      { name: 'Flipper Length (mm)', type: 'integer', nullable: true, kind: 'numeric' },
      { name: 'Body Mass (g)', type: 'integer', nullable: true, kind: 'numeric' },
      { name: 'Sex', type: 'string', nullable: true, kind: 'categorical' },
    ]);
    expect(fromCsv.schema).toEqual(fromJson.schema);
    expect(fromParquet.schema).toEqual(fromJson.schema);
    expect(fromJson.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(fromCsv.contentHash).toBe(fromJson.contentHash);
    expect(fromParquet.contentHash).toBe(fromJson.contentHash);
    // The snapshot itself reads back to the same content.
    const again = await ingestFile(
      { path: join(dir, 'b.parquet'), format: 'parquet' },
      join(dir, 'd.parquet'),
    );
    expect(again.contentHash).toBe(fromJson.contentHash);
    expect(fromCsv.bytes).toBeGreaterThan(0);
  });

  it('reads JSON lines, and whole-valued floats (1.0) hash as the integers they are', async () => {
    const jsonl = join(dir, 'n.jsonl');
    const csv = join(dir, 'n.csv');
    await writeFile(jsonl, '{"id":1,"x":"a"}\n{"id":2,"x":null}\n');
    await writeFile(csv, 'id,x\n1.0,a\n2.0,\n');
    const a = await ingestFile({ path: jsonl, format: 'jsonl' }, join(dir, 'n1.parquet'));
    const b = await ingestFile({ path: csv, format: 'csv' }, join(dir, 'n2.parquet'));
    expect(a.schema.columns[0]).toMatchObject({ name: 'id', type: 'integer' });
    expect(b.schema).toEqual(a.schema);
    expect(b.contentHash).toBe(a.contentHash);
  });
});
