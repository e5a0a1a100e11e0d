import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/helpers/stores.js';
import type { ValidationRule } from '../contracts/index.js';
import type { RequestContext } from '../core/index.js';
import type { DatasetService } from './dataset.service.js';
import { type DatasetFixture, openDatasetFixture } from './dataset-service.fixture.js';

const ctx: RequestContext = { actor: { id: 1, name: 'tester' }, projectId: 'default' };
const PENGUINS = join(import.meta.dirname, '../../node_modules/vega-datasets/data/penguins.json');
const MAX = 50 * 1024 * 1024;

const RULES: ValidationRule[] = [
  { type: 'not_null', column: 'Sex', severity: 'warn' },
  { type: 'range', column: 'Body Mass (g)', min: 2500, max: 6500 },
  // Two penguins have no beak measurements: the predicate is NULL for them, which fails the row.
  { type: 'sql', predicate: '"Beak Length (mm)" > "Beak Depth (mm)"', severity: 'warn' },
];

describe.each(BACKENDS)('DatasetService validation on %s', (backend) => {
  let fx: DatasetFixture;
  let datasets: DatasetService;
  beforeAll(async () => {
    fx = await openDatasetFixture(backend);
    ({ datasets } = fx);
    await datasets.ingest(ctx, {
      datasetName: 'penguins',
      body: createReadStream(PENGUINS),
      format: 'json',
      maxBytes: MAX,
    });
  });
  afterAll(async () => fx?.dispose());

  it('validates a version with given rules and keeps every report with the version', async () => {
    const first = await datasets.validate(ctx, 'penguins', 1, RULES);
    expect(first).toMatchObject({ dataset: 'penguins', version: 1, passed: true, createdBy: 'tester' });
    // 10 penguins have no sex recorded, 2 no beak: warnings, so the version still passes.
    expect(first.report.results.map((r) => [r.type, r.passed, r.failing_count])).toEqual([
      ['not_null', false, 10],
      ['range', true, 0],
      ['sql', false, 2],
    ]);
    expect(first.report.warning_count).toBe(2);

    const strict = await datasets.validate(ctx, 'penguins', 1, [{ type: 'not_null', column: 'Sex' }]);
    expect(strict.passed).toBe(false);
    expect(strict.report.results[0]?.samples.length).toBe(10);
    const stored = await datasets.reports(ctx, 'penguins', 1);
    expect(stored.map((r) => r.id)).toEqual([strict.id, first.id]);
    expect(stored[1]).toEqual(first);
  });

  it('saves rules: checked now against the data, then run on every new version', async () => {
    await expect(
      datasets.setRules(ctx, 'penguins', [{ type: 'not_null', column: 'Wingspan' }]),
    ).rejects.toMatchObject({ code: 'invalid_argument', details: { field: 'rules[0].column' } });
    await expect(datasets.validate(ctx, 'penguins', 1)).rejects.toThrow(/has no saved validation rules/);

    await datasets.setRules(ctx, 'penguins', RULES);
    expect((await datasets.get(ctx, 'penguins')).validationRules).toEqual(RULES);
    const saved = await datasets.validate(ctx, 'penguins', 1);
    expect(saved.rules).toEqual(RULES);

    const text =
      'Species,Island,Beak Length (mm),Beak Depth (mm),Flipper Length (mm),Body Mass (g),Sex\nAdelie,Torgersen,39.1,18.7,181,9000,MALE\n';
    const { version } = await datasets.ingest(ctx, {
      datasetName: 'penguins',
      body: Readable.from([text]),
      format: 'csv',
      maxBytes: MAX,
    });
    const [report] = await datasets.reports(ctx, 'penguins', version.version);
    expect(report?.passed).toBe(false);
    expect(report?.report.results[1]).toMatchObject({ type: 'range', passed: false, failing_count: 1 });

    // Rules that no longer fit the data refuse the ingest, naming the rule.
    await expect(
      datasets.ingest(ctx, {
        datasetName: 'penguins',
        body: Readable.from(['Species\nAdelie\n']),
        format: 'csv',
        maxBytes: MAX,
      }),
    ).rejects.toThrow(
      /the validation rules do not apply to this upload\.csv: rules\[0\]\.column: no column 'Sex'/,
    );

    await datasets.setRules(ctx, 'penguins', null);
    expect((await datasets.get(ctx, 'penguins')).validationRules).toBeUndefined();
  });
});
