import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/helpers/stores.js';
import type { RequestContext } from '../core/index.js';
import type { DatasetService } from './dataset.service.js';
import { type DatasetFixture, openDatasetFixture } from './dataset-service.fixture.js';

const ctx: RequestContext = { actor: { id: 1, name: 'tester' }, projectId: 'default' };
const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');
const MAX = 50 * 1024 * 1024;

describe.each(BACKENDS)('DatasetService splits and diffs on %s', (backend) => {
  let fx: DatasetFixture;
  let datasets: DatasetService;
  beforeAll(async () => {
    fx = await openDatasetFixture(backend);
    ({ datasets } = fx);
    await datasets.ingest(ctx, {
      datasetName: 'penguins',
      body: createReadStream(join(DATA, 'penguins.json')),
      format: 'json',
      maxBytes: MAX,
    });
    await datasets.setContract(ctx, 'penguins', { target: 'Species', onViolation: 'warn' });
  });
  afterAll(async () => fx?.dispose());

  it('splits a version into train/validation/test versions with lineage, all of the rows once', async () => {
    const spec = {
      method: 'stratified' as const,
      target: 'Species',
      fractions: { train: 0.7, validation: 0.15, test: 0.15 },
    };
    const out = await datasets.split(ctx, 'penguins', 1, spec);
    expect(out.spec).toEqual({ ...spec, seed: 42 });
    expect(out.splits.map((s) => [s.name, s.outcome.version.dataset, s.outcome.created])).toEqual([
      ['train', 'penguins-train', true],
      ['validation', 'penguins-validation', true],
      ['test', 'penguins-test', true],
    ]);
    expect(out.splits.reduce((n, s) => n + s.rowCount, 0)).toBe(344);
    for (const s of out.splits) {
      expect(s.outcome.version).toMatchObject({
        version: 1,
        rowCount: s.rowCount,
        parent: { dataset: 'penguins', version: 1 },
        source: { kind: 'split', split: s.name, params: { method: 'stratified', seed: 42 } },
      });
    }
    // The output datasets start with the parent's contract: they know their target.
    expect((await datasets.get(ctx, 'penguins-train')).contract?.target).toBe('Species');
    // Class proportions kept: Adelie is 152 of 344.
    const train = await datasets.profile(ctx, 'penguins-train', 1);
    const adelie = train.columns.find((c) => c.name === 'Species')?.top?.find((v) => v.value === 'Adelie');
    expect(adelie?.count).toBe(Math.floor(152 * 0.7 + 0.5));

    // Deterministic: the same split again finds the same versions.
    const again = await datasets.split(ctx, 'penguins', 1, spec);
    expect(again.splits.map((s) => s.outcome)).toEqual(
      out.splits.map((s) => ({ created: false, version: s.outcome.version })),
    );
  });

  it('registers nothing when a part would be empty, and names it', async () => {
    await datasets.ingest(ctx, {
      datasetName: 'weather',
      body: createReadStream(join(DATA, 'seattle-weather.csv')),
      format: 'csv',
      maxBytes: MAX,
    });
    await expect(
      datasets.split(
        ctx,
        'weather',
        1,
        { method: 'time', column: 'date', train_before: '2013-01-01', test_from: '2030-01-01' },
        'late',
      ),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/test part .* no rows/),
    });
    await expect(datasets.get(ctx, 'late-train')).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      datasets.split(ctx, 'weather', 1, { method: 'random', fractions: { train: 0.9, test: 0.2 } }),
    ).rejects.toMatchObject({ code: 'invalid_argument', details: { field: 'fractions' } });
    const time = await datasets.split(
      ctx,
      'weather',
      1,
      { method: 'time', column: 'date', train_before: '2015-01-01', test_from: '2015-07-01' },
      'weather-time',
    );
    expect(time.splits.map((s) => [s.name, s.rowCount])).toEqual([
      ['train', 1096],
      ['test', 184],
    ]);
    expect(time.dropped).toEqual({ missingTime: 0, betweenBoundaries: 181 });
  });

  it('diffs two versions: rows, schema and statistics', async () => {
    const text = 'bill,island,year\n1.5,a,2020\n2.5,b,2021\n3.5,a,2022\n';
    const more = 'bill,island,mass\n10,a,3\n20,c,4\n30,a,5\n40,a,6\n';
    for (const body of [text, more]) {
      await datasets.ingest(ctx, {
        datasetName: 'drifting',
        body: Readable.from([body]),
        format: 'csv',
        maxBytes: MAX,
      });
    }
    const diff = await datasets.diff(ctx, 'drifting', 1, 2);
    expect(diff.row_count).toEqual({ from: 3, to: 4, delta: 1 });
    expect(diff.schema.added.map((c) => c.name)).toEqual(['mass']);
    expect(diff.schema.removed.map((c) => c.name)).toEqual(['year']);
    expect(diff.schema.type_changed).toEqual([{ name: 'bill', from: 'float', to: 'integer' }]);
    const bill = diff.columns.find((c) => c.name === 'bill');
    expect(bill?.numeric?.mean).toEqual({ from: 2.5, to: 25, delta: 22.5 });
    await expect(datasets.diff(ctx, 'drifting', 1, 9)).rejects.toMatchObject({ code: 'not_found' });
  });
});
