import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CyclopsClient } from '../../src/client/index.js';
import { api, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { BACKENDS } from '../helpers/stores.js';

const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');

async function upload(
  base: string,
  name: string,
  query: string,
  body: Buffer | string,
  contentType = 'application/octet-stream',
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/api/v1/datasets/${name}/versions?${query}`, {
    method: 'POST',
    headers: { 'x-cyclops-user': 'alice', 'content-type': contentType },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, body: await res.json() };
}

describe.each(BACKENDS)('datasets API on %s', (backend) => {
  let platform: TestPlatform;
  let url: string;
  let penguins: Buffer;
  beforeAll(async () => {
    platform = await startTestPlatform(backend);
    url = platform.url;
    penguins = await readFile(join(DATA, 'penguins.json'));
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('ingests an upload, finds identical content again, and serves the versions and the Parquet', async () => {
    const first = await upload(
      url,
      'penguins',
      'format=json&file_name=penguins.json&description=Palmer%20penguins',
      penguins,
      'application/json',
    );
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(true);
    expect(first.body.version).toMatchObject({
      dataset: 'penguins',
      version: 1,
      row_count: 344,
      source: { kind: 'upload', format: 'json', file_name: 'penguins.json' },
      created_by: 'alice',
    });
    expect(first.body.version.schema[0]).toEqual({
      name: 'Species',
      type: 'string',
      nullable: false,
      kind: 'categorical',
    });

    const again = await upload(url, 'penguins', 'format=json', penguins);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ created: false, version: first.body.version });

    const list = await api(url, 'GET', '/api/v1/datasets?name_like=peng%25&max_results=10');
    expect(list.status).toBe(200);
    expect(list.body.datasets).toHaveLength(1);
    expect(list.body.datasets[0]).toMatchObject({
      name: 'penguins',
      description: 'Palmer penguins',
      version_count: 1,
      latest_version: { version: 1 },
    });
    const got = await api(url, 'GET', '/api/v1/datasets/penguins');
    expect(got.status).toBe(200);
    expect(got.body.dataset.latest_version).toEqual(first.body.version);
    const versions = await api(url, 'GET', '/api/v1/datasets/penguins/versions');
    expect(versions.body.versions).toEqual([first.body.version]);
    const one = await api(url, 'GET', '/api/v1/datasets/penguins/versions/1');
    expect(one.body.version).toEqual(first.body.version);

    const res = await fetch(`${url}/api/v1/datasets/penguins/versions/1/parquet`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    expect(bytes.length).toBe(first.body.version.bytes);
  });

  it('serves the profile computed at ingest, over the API and the client', async () => {
    await upload(url, 'penguins', 'format=json', penguins);
    const res = await api(url, 'GET', '/api/v1/datasets/penguins/versions/1/profile');
    expect(res.status).toBe(200);
    const { profile } = res.body;
    expect(profile.columns.map((c: { name: string }) => c.name)).toEqual([
      'Species',
      'Island',
      'Beak Length (mm)',
      'Beak Depth (mm)',
      'Flipper Length (mm)',
      'Body Mass (g)',
      'Sex',
    ]);
    expect(profile.columns[0]).toMatchObject({ kind: 'categorical', count: 344, missing: 0, distinct: 3 });
    expect(profile.columns[0].top[0]).toEqual({ value: 'Adelie', count: 152 });
    expect(profile.columns[5]).toMatchObject({ count: 342, missing: 2 });
    expect(profile.columns[5].numeric.histogram.edges).toHaveLength(21);
    expect(profile.correlations.columns).toHaveLength(4);

    const client = new CyclopsClient({ url, user: 'alice' });
    expect(await client.datasets.profile('penguins', 1)).toEqual(profile);

    for (const path of [
      '/api/v1/datasets/penguins/versions/99/profile',
      '/api/v1/datasets/nope/versions/1/profile',
    ]) {
      const r = await api(url, 'GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
  });

  it('rejects bad requests with 400 and a field, unknown datasets with 404', async () => {
    const badFormat = await upload(url, 'x', 'format=xlsx', 'a,b\n1,2\n');
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error.details.field).toMatch(/^querystring/);

    const empty = await upload(url, 'empty', 'format=csv', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('invalid_argument');

    const ragged = await upload(
      url,
      'ragged',
      'format=csv&file_name=r.csv',
      'a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n',
    );
    expect(ragged.status).toBe(400);
    expect(ragged.body.error.message).toMatch(/r\.csv/);

    const badName = await upload(url, '-bad', 'format=csv', 'a\n1\n');
    expect(badName.status).toBe(400);
    expect(badName.body.error.details.field).toMatch(/^params/);

    for (const path of [
      '/api/v1/datasets/empty',
      '/api/v1/datasets/ragged',
      '/api/v1/datasets/nope/versions',
      '/api/v1/datasets/penguins/versions/99',
      '/api/v1/datasets/penguins/versions/99/parquet',
    ]) {
      const r = await api(url, 'GET', path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
  });
});

describe.each(BACKENDS)('datasets API upload limit on %s', (backend) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(backend, { CYCLOPS_ARTIFACT_MAX_BYTES: '1000' });
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('refuses an upload over CYCLOPS_ARTIFACT_MAX_BYTES with 413 and registers nothing', async () => {
    const body = await readFile(join(DATA, 'seattle-weather.csv'));
    const res = await upload(platform.url, 'weather', 'format=csv', body, 'text/csv');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect((await api(platform.url, 'GET', '/api/v1/datasets/weather')).status).toBe(404);
    expect((await api(platform.url, 'GET', '/api/v1/datasets')).body.datasets).toEqual([]);
  });
});
