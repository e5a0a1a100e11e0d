import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CyclopsClient } from '../../src/client/index.js';
import { api, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { BACKENDS } from '../helpers/stores.js';

const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');

/** The dataset operations over real HTTP: the SDK for the happy paths, raw requests for bad input. */
describe.each(BACKENDS)('dataset operations API on %s', (backend) => {
  let platform: TestPlatform;
  let client: CyclopsClient;
  beforeAll(async () => {
    platform = await startTestPlatform(backend);
    client = new CyclopsClient({ url: platform.url, user: 'alice' });
    const weather = await readFile(join(DATA, 'seattle-weather.csv'));
    await client.datasets.ingest('weather', new Uint8Array(weather), {
      format: 'csv',
      fileName: 'seattle-weather.csv',
    });
  });
  afterAll(async () => platform?.close());

  it('contract, validation, split, diff and transform through the SDK', async () => {
    const contract = await client.datasets.setContract('weather', { target: 'weather' });
    expect(contract).toMatchObject({ target: 'weather', on_violation: 'reject', from_version: 1 });

    const report = await client.datasets.validate('weather', 1, {
      document:
        'rules:\n  - { type: allowed_values, column: weather, values: [drizzle, rain, sun, snow, fog] }\n',
      file_name: 'rules.yaml',
    });
    expect(report).toMatchObject({ dataset: 'weather', version: 1, passed: true, created_by: 'alice' });
    expect(await client.datasets.validations('weather', 1)).toEqual([report]);

    const split = await client.datasets.split('weather', 1, {
      spec: { method: 'time', column: 'date', train_before: '2015-01-01', test_from: '2015-01-01' },
    });
    expect(split.splits.map((s) => [s.version.dataset, s.row_count])).toEqual([
      ['weather-train', 1096],
      ['weather-test', 365],
    ]);
    expect(split.splits[0]?.version.parent).toEqual({ dataset: 'weather', version: 1 });

    const t = await client.features.fit({
      dataset: 'weather-train',
      config: {
        steps: [
          { type: 'date_parts', columns: ['date'], parts: ['month', 'weekday'] },
          { type: 'scale', columns: ['wind'], method: 'robust' },
        ],
      },
    });
    const applied = await client.features.apply(t.id, { dataset: 'weather-test' });
    expect(applied.version).toMatchObject({
      dataset: 'weather-test-weather-train-transform',
      row_count: 365,
    });
    const [row] = await client.features.applyRows(t.id, [
      { date: '2015-03-02', precipitation: 0, temp_max: 10, temp_min: 2, wind: 3.4, weather: 'sun' },
    ]);
    expect(row).toMatchObject({ date_month: 3, date_weekday: 1 });

    const diff = await client.datasets.diff('weather', 1, 1);
    expect(diff.row_count).toEqual({ from: 1461, to: 1461, delta: 0 });
  });

  it('refuses bad requests with 400 naming the field, unknown things with 404', async () => {
    const url = platform.url;
    const cases: [string, string, unknown, number, RegExp][] = [
      [
        'POST',
        '/api/v1/datasets/weather/versions/from-query',
        { connection: 'mysql://x/y', query: 'SELECT 1' },
        400,
        /body\/connection/,
      ],
      [
        'POST',
        '/api/v1/datasets/weather/versions/from-query',
        { connection: 'postgres://127.0.0.1:1/x', query: 'SELECT 1' },
        400,
        /cannot connect to 127\.0\.0\.1:1\/x/,
      ],
      ['PUT', '/api/v1/datasets/weather/contract', { target: 'nope' }, 400, /target: 'nope' is not a column/],
      ['PUT', '/api/v1/datasets/weather/contract', { on_violation: 'explode' }, 400, /on_violation/],
      [
        'POST',
        '/api/v1/datasets/weather/versions/1/validations',
        { document: 'rules:\n  - type: range\n    colum: x\n', file_name: 'r.yaml' },
        400,
        /r\.yaml:3/,
      ],
      [
        'POST',
        '/api/v1/datasets/weather/versions/1/validations',
        { rules: [{ type: 'sql', predicate: '1=1); DROP TABLE version; (SELECT 1' }] },
        400,
        /"message":"rules\[0\]\.predicate: must be one SQL expression/,
      ],
      [
        'POST',
        '/api/v1/datasets/weather/versions/1/split',
        { spec: { method: 'random', fractions: { train: 0.5, test: 0.2 } } },
        400,
        /fractions/,
      ],
      [
        'POST',
        '/api/v1/datasets/weather/versions/1/split',
        { spec: { method: 'stratified', target: 'nope', fractions: { train: 0.5, test: 0.5 } } },
        400,
        /target/,
      ],
      ['GET', '/api/v1/datasets/weather/diff?from=1&to=7', undefined, 404, /no version 7/],
      [
        'POST',
        '/api/v1/transforms',
        { dataset: 'weather', config: { steps: [{ type: 'one_hot', columns: ['wind'] }] } },
        400,
        /steps\[0\]/,
      ],
      ['GET', '/api/v1/transforms/999', undefined, 404, /Transform '999'/],
      ['POST', '/api/v1/transforms/999/rows', { rows: [{}] }, 404, /Transform/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const r = await api(url, method, path, body);
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(JSON.stringify(r.body.error), `${method} ${path}`).toMatch(message);
    }
    // Nothing was registered by the refused requests.
    const names = (await client.datasets.list()).datasets.map((d) => d.name).sort();
    expect(names).toEqual([
      'weather',
      'weather-test',
      'weather-test-weather-train-transform',
      'weather-train',
    ]);
  });
});
