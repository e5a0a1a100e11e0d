import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/helpers/stores.js';
import type { DuckSession } from '../columnar/index.js';
import type { RequestContext } from '../core/index.js';
import { type DatasetFixture, openDatasetFixture } from '../data/dataset-service.fixture.js';
import type { DatasetService } from '../data/index.js';
import { TransformService } from './transform.service.js';

const ctx: RequestContext = { actor: { id: 1, name: 'tester' }, projectId: 'default' };
const PENGUINS = join(import.meta.dirname, '../../node_modules/vega-datasets/data/penguins.json');

const CONFIG = {
  steps: [
    { type: 'impute', columns: ['Body Mass (g)', 'Beak Length (mm)'], strategy: 'median' },
    { type: 'scale', columns: ['Body Mass (g)'], method: 'standard' },
    { type: 'one_hot', columns: ['Island'] },
    { type: 'expression', name: 'beak_ratio', expression: '`Beak Length (mm)` / `Beak Depth (mm)`' },
    { type: 'drop', columns: ['Sex'] },
  ],
};

describe.each(BACKENDS)('TransformService on %s', (backend) => {
  let fx: DatasetFixture;
  let datasets: DatasetService;
  let transforms: TransformService;
  beforeAll(async () => {
    fx = await openDatasetFixture(backend);
    datasets = fx.datasets;
    transforms = new TransformService(fx.store.store.db, datasets);
    await datasets.ingest(ctx, {
      datasetName: 'penguins',
      body: createReadStream(PENGUINS),
      format: 'json',
      maxBytes: 1e8,
    });
  });
  afterAll(async () => fx?.dispose());

  it('fits on a version, stores the spec with its training data, and lists it', async () => {
    const t = await transforms.fit(ctx, { dataset: 'penguins', config: CONFIG, name: 'prep' });
    expect(t).toMatchObject({ name: 'prep', dataset: 'penguins', datasetVersion: 1, createdBy: 'tester' });
    expect(t.spec.outputs.map((c) => c.name)).toEqual([
      'Species',
      'Island_Biscoe',
      'Island_Dream',
      'Island_Torgersen',
      'Beak Length (mm)',
      'Beak Depth (mm)',
      'Flipper Length (mm)',
      'Body Mass (g)',
      'beak_ratio',
    ]);
    expect(await transforms.get(ctx, t.id)).toEqual(t);
    expect((await transforms.list(ctx, { dataset: 'penguins' })).items.map((x) => x.id)).toContain(t.id);
    expect((await transforms.list(ctx, { dataset: 'nope' })).items).toEqual([]);
  });

  it('applies to a version in DuckDB and to rows in TypeScript with the same results', async () => {
    const t = await transforms.fit(ctx, { dataset: 'penguins', version: 1, config: CONFIG });
    const { created, version } = await transforms.applyToVersion(ctx, t.id, {
      dataset: 'penguins',
      into: 'penguins-features',
    });
    expect(created).toBe(true);
    expect(version).toMatchObject({
      dataset: 'penguins-features',
      rowCount: 344,
      parent: { dataset: 'penguins', version: 1 },
      source: { kind: 'transform', params: { transform_id: t.id, transform_name: 'penguins-transform' } },
    });
    expect(version.schema.map((c) => c.name)).toEqual(t.spec.outputs.map((c) => c.name));

    // The stored batch result and the row engine agree on every value.
    const raw = await rowsOf(datasets, 'penguins', 1);
    const batch = await rowsOf(datasets, 'penguins-features', 1);
    const online = await transforms.applyRows(ctx, t.id, raw);
    expect(online).toHaveLength(batch.length);
    for (const [i, row] of online.entries()) {
      for (const [k, v] of Object.entries(row)) {
        const b = batch[i]?.[k];
        if (typeof v === 'number')
          expect(Math.abs(v - Number(b))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
        else expect(v).toEqual(b);
      }
    }
  });

  it('refuses bad configs, rows and ids with the field named', async () => {
    await expect(
      transforms.fit(ctx, {
        dataset: 'penguins',
        config: { steps: [{ type: 'scale', columns: ['Sex'], method: 'standard' }] },
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(/steps\[0\].*Sex/) });
    await expect(
      transforms.fit(ctx, {
        dataset: 'penguins',
        config: { steps: [{ type: 'scale', columns: ['x'], method: 'zscore' }] },
      }),
    ).rejects.toThrow(/steps\[0\]\.method/);
    await expect(transforms.fit(ctx, { dataset: 'absent', config: CONFIG })).rejects.toMatchObject({
      code: 'not_found',
    });
    const t = await transforms.fit(ctx, { dataset: 'penguins', config: CONFIG });
    await expect(transforms.applyRows(ctx, t.id, [{ Species: 'Adelie' }])).rejects.toThrow(
      /^rows\[0\]: .*'Island'/,
    );
    await expect(transforms.get(ctx, 99_999)).rejects.toMatchObject({ code: 'not_found' });
    await expect(transforms.get({ ...ctx, projectId: 'other' }, t.id)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

/** A version's rows as JSON values (dates as ISO text), as an HTTP client would send them. */
async function rowsOf(
  datasets: DatasetService,
  name: string,
  version: number,
): Promise<Record<string, string | number | boolean | null>[]> {
  return datasets.withVersionTable(ctx, name, version, async (session: DuckSession, table: string) => {
    const rows = await session.rows(`SELECT * FROM ${table}`);
    return rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          typeof v === 'bigint' ? Number(v) : (v as string | number | boolean | null),
        ]),
      ),
    );
  });
}
