import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createTestDatabase } from '../../test/helpers/stores.js';
import { UPLOAD_DIR } from '../artifacts/index.js';
import type { RequestContext } from '../core/index.js';
import type { DatasetService } from './dataset.service.js';
import { type DatasetFixture, openDatasetFixture } from './dataset-service.fixture.js';

const ctx: RequestContext = { actor: { id: 1, name: 'tester' }, projectId: 'default' };
const MAX = 1024 * 1024;

async function artifactCount(root: string): Promise<number> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && !join(e.parentPath, e.name).includes(UPLOAD_DIR)).length;
}

describe.each(BACKENDS)('DatasetService contracts and sources on %s', (backend) => {
  let fx: DatasetFixture;
  let datasets: DatasetService;
  let root: string;
  beforeAll(async () => {
    fx = await openDatasetFixture(backend);
    ({ datasets, root } = fx);
  });
  afterAll(async () => fx?.dispose());

  const csv = (name: string, text: string) =>
    datasets.ingest(ctx, {
      datasetName: name,
      body: Readable.from([Buffer.from(text)]),
      format: 'csv',
      fileName: `${name}.csv`,
      maxBytes: MAX,
    });

  it('refuses a header-only file: a version needs rows, and nothing is registered', async () => {
    await expect(csv('empty', 'a,b\n')).rejects.toMatchObject({
      code: 'invalid_argument',
      message: 'empty.csv: has no rows (a dataset version needs at least one)',
    });
    await expect(datasets.get(ctx, 'empty')).rejects.toMatchObject({ code: 'not_found' });
    expect(await artifactCount(root)).toBe(0);
  });

  it('checks every new version against the contract: rejects violations, records notes', async () => {
    await csv('orders', 'id,price,label\n1,2.5,a\n2,3.25,b\n');
    const contract = await datasets.setContract(ctx, 'orders', { target: 'label' });
    expect(contract).toEqual({
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'price', type: 'float', nullable: false },
        { name: 'label', type: 'string', nullable: false },
      ],
      target: 'label',
      onViolation: 'reject',
      fromVersion: 1,
    });
    expect((await datasets.get(ctx, 'orders')).contract).toEqual(contract);

    const files = await artifactCount(root);
    await expect(csv('orders', 'id,label\n3,c\n')).rejects.toMatchObject({
      code: 'invalid_argument',
      message: "the data breaks the schema contract of dataset 'orders': column 'price' is missing",
      details: { violations: ["column 'price' is missing"] },
    });
    await expect(csv('orders', 'id,price,label\n3,,c\n')).rejects.toThrow(
      /column 'price' has missing values; the contract says it has none/,
    );
    expect(await artifactCount(root)).toBe(files);
    expect((await datasets.versions(ctx, 'orders')).map((v) => v.version)).toEqual([1]);

    const ok = await csv('orders', 'id,price,label,note\n3,4,c,x\n');
    expect(ok.version.contractCheck).toEqual({
      passed: true,
      violations: [],
      notes: [
        "column 'price' read as integer; the contract's float accepts it",
        "column 'note' is new (not in the contract)",
      ],
    });

    await datasets.setContract(ctx, 'orders', { fromVersion: 1, onViolation: 'warn' });
    const warned = await csv('orders', 'id,label\n4,d\n');
    expect(warned.version).toMatchObject({
      version: 3,
      contractCheck: { passed: false, violations: ["column 'price' is missing"] },
    });

    await datasets.clearContract(ctx, 'orders');
    expect((await datasets.get(ctx, 'orders')).contract).toBeUndefined();
    const free = await csv('orders', 'something,else\n1,2\n');
    expect(free.version.contractCheck).toBeUndefined();
  });

  it('refuses a bad contract with the field named', async () => {
    await csv('small', 'a,b\n1,x\n');
    await expect(datasets.setContract(ctx, 'small', { target: 'nope' })).rejects.toThrow(
      /target: 'nope' is not a column of the contract \(a, b\)/,
    );
    await expect(datasets.setContract(ctx, 'small', { fromVersion: 7 })).rejects.toMatchObject({
      code: 'not_found',
      message: "Dataset 'small' has no version 7",
    });
    await expect(datasets.setContract(ctx, 'absent', {})).rejects.toMatchObject({ code: 'not_found' });
  });

  it.skipIf(!process.env.CYCLOPS_TEST_DATABASE_URL)(
    'ingests a Postgres query: the source keeps the server and query, never the password',
    async () => {
      const source = await createTestDatabase();
      try {
        const client = new pg.Client({ connectionString: source.url });
        await client.connect();
        await client.query('CREATE TABLE t AS SELECT g AS id, g * 0.5 AS half FROM generate_series(1, 25) g');
        await client.end();
        const url = new URL(source.url);
        url.password = 'hunter2';
        const { created, version } = await datasets.ingestQuery(ctx, {
          datasetName: 'from-pg',
          connection: url.toString(),
          query: 'SELECT * FROM t ORDER BY id',
        });
        expect(created).toBe(true);
        expect(version).toMatchObject({
          rowCount: 25,
          source: {
            kind: 'query',
            server: `${url.hostname}:${url.port}${url.pathname}`,
            query: 'SELECT * FROM t ORDER BY id',
          },
        });
        expect(JSON.stringify(version)).not.toContain('hunter2');
        const again = await datasets.ingestQuery(ctx, {
          datasetName: 'from-pg',
          connection: source.url,
          query: 'SELECT id, half FROM t ORDER BY id',
        });
        expect(again).toEqual({ created: false, version });
        await expect(
          datasets.ingestQuery(ctx, {
            datasetName: 'from-pg-bad',
            connection: source.url,
            query: 'SELECT * FROM t WHERE id < 0',
          }),
        ).rejects.toThrow(/query: has no rows/);
        await expect(datasets.get(ctx, 'from-pg-bad')).rejects.toMatchObject({ code: 'not_found' });
      } finally {
        await source.drop();
      }
    },
  );
});
