import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARALLEL_MIN_CELLS } from './compute-threads.js';
import {
  contentHash,
  type IngestResult,
  inferSchema,
  ingestFile,
  profileTable,
  readTable,
  withSession,
} from './index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cyclops-ingest-paths-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What readTable + inferSchema + contentHash + profileTable say about the same file, one at a time. */
async function separately(path: string): Promise<Omit<IngestResult, 'bytes'>> {
  return withSession(async (s) => {
    const { table, rowCount } = await readTable(s, { path, format: 'csv' });
    const schema = await inferSchema(s, table);
    return {
      rowCount,
      schema,
      contentHash: await contentHash(s, table),
      profile: await profileTable(s, table, schema),
    };
  });
}

describe('ingestFile', () => {
  it('on a table big enough for the compute thread, agrees with the one-at-a-time functions', async () => {
    const rows = 60_000;
    const csv = join(dir, 'big.csv');
    await withSession((s) =>
      s.run(`COPY (SELECT
          i AS id,
          CASE WHEN i % 19 = 0 THEN NULL ELSE (i * 7919 % 10007) / 13.0 END AS x,
          CASE WHEN i % 23 = 0 THEN NULL ELSE sin(i) * 1e6 END AS y,
          i % 97 AS k,
          CASE WHEN i % 29 = 0 THEN NULL ELSE 'cat_' || (i % 41) END AS c,
          CASE WHEN i % 31 = 0 THEN NULL ELSE 'a label longer than twelve bytes #' || (i % 7) END AS t,
          DATE '2020-01-01' + CAST(i % 1000 AS INTEGER) AS d,
          i % 3 = 0 AS b
        FROM range(${rows}) r(i)) TO '${csv}' (HEADER)`),
    );
    expect(rows * 8).toBeLessThan(PARALLEL_MIN_CELLS);
    // 8 columns x 60,000 rows is under the threshold: add columns until it is not.
    const wide = join(dir, 'wide.csv');
    await withSession((s) =>
      s.run(`COPY (SELECT *, x * 2 AS x2, y + 1 AS y2, k + 1 AS k2, c || 'z' AS c2, x - y AS xy,
          id * 3 AS id3, x / 7 AS x7, y / 3 AS y3, t AS t2, k * k AS kk, c AS c3, x + 1 AS x1
        FROM read_csv('${csv}')) TO '${wide}' (HEADER)`),
    );
    const ingested = await ingestFile({ path: wide, format: 'csv' }, join(dir, 'wide.parquet'));
    expect(ingested.rowCount * ingested.schema.columns.length).toBeGreaterThanOrEqual(PARALLEL_MIN_CELLS);
    const { bytes, ...rest } = ingested;
    expect(bytes).toBeGreaterThan(0);
    expect(rest).toEqual(await separately(wide));
    // The snapshot reads back to the same content.
    const again = await ingestFile(
      { path: join(dir, 'wide.parquet'), format: 'parquet' },
      join(dir, 'w2.parquet'),
    );
    expect(again.contentHash).toBe(ingested.contentHash);
  });

  it('casts what needs a cast (whole-valued floats, an all-NULL column) and leaves no partial file', async () => {
    const csv = join(dir, 'pandas.csv');
    const lines = ['id,amount,empty,label'];
    for (let i = 0; i < 500; i++)
      lines.push(`${i},${i % 5 === 0 ? '' : `${i * 10}.0`},,${i % 2 ? 'odd' : 'even'}`);
    await writeFile(csv, `${lines.join('\n')}\n`);
    const out = join(dir, 'pandas.parquet');
    const ingested = await ingestFile({ path: csv, format: 'csv' }, out);
    expect(ingested.schema.columns.map((c) => c.type)).toEqual(['integer', 'integer', 'string', 'string']);
    const { bytes, ...rest } = ingested;
    expect(bytes).toBeGreaterThan(0);
    expect(rest).toEqual(await separately(csv));
    expect((await readdir(dir)).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('removes its partial file when the file cannot be read', async () => {
    const csv = join(dir, 'ragged.csv');
    await writeFile(csv, 'a,b\n1,2\n3,4,5\n');
    await expect(ingestFile({ path: csv, format: 'csv' }, join(dir, 'ragged.parquet'))).rejects.toThrow(
      /ragged\.csv/,
    );
    expect((await readdir(dir)).filter((f) => f.startsWith('ragged.parquet'))).toEqual([]);
  });
});
