import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, openTestStore, type TestStore } from '../../test/helpers/stores.js';
import { LocalArtifactStore, UPLOAD_DIR } from '../artifacts/index.js';
import { ingestFile } from '../columnar/index.js';
import type { RequestContext } from '../core/index.js';
import { DatasetService } from './dataset.service.js';

const ctx: RequestContext = { actor: { id: 1, name: 'tester' }, projectId: 'default' };
const SEATTLE = join(import.meta.dirname, '../../node_modules/vega-datasets/data/seattle-weather.csv');
const MAX = 50 * 1024 * 1024;

/** Every file under the artifact root except the store's own upload scratch directory. */
async function artifactFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((p) => !p.startsWith(UPLOAD_DIR))
    .sort();
}

describe.each(BACKENDS)('DatasetService on %s', (backend) => {
  let t: TestStore;
  let datasets: DatasetService;
  let root: string;
  let scratch: string;
  beforeAll(async () => {
    t = await openTestStore(backend);
    root = await mkdtemp(join(tmpdir(), 'cyclops-artifacts-'));
    scratch = await mkdtemp(join(tmpdir(), 'cyclops-data-test-'));
    datasets = new DatasetService(t.store.db, new LocalArtifactStore(root));
  });
  afterAll(async () => {
    await t.dispose();
    await rm(root, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  const ingestPath = (name: string, path: string, format: 'csv' | 'parquet' = 'csv') =>
    datasets.ingest(ctx, { datasetName: name, body: createReadStream(path), format, maxBytes: MAX });

  it('versions content: identical content (in any format) is found again, new content is the next version', async () => {
    const first = await ingestPath('weather', SEATTLE);
    expect(first.created).toBe(true);
    expect(first.version).toMatchObject({
      dataset: 'weather',
      version: 1,
      rowCount: 1461,
      createdBy: 'tester',
    });
    expect(first.version.schema.map((c) => c.name)).toEqual([
      'date',
      'precipitation',
      'temp_max',
      'temp_min',
      'wind',
      'weather',
    ]);
    expect(first.version.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await artifactFiles(root)).toEqual([first.version.artifactPath]);

    const again = await ingestPath('weather', SEATTLE);
    expect(again).toEqual({ created: false, version: first.version });
    expect(await artifactFiles(root)).toHaveLength(1);

    const parquet = join(scratch, 'weather.parquet');
    await ingestFile({ path: SEATTLE, format: 'csv' }, parquet);
    const asParquet = await ingestPath('weather', parquet, 'parquet');
    expect(asParquet).toEqual({ created: false, version: first.version });

    const text = await readFile(SEATTLE, 'utf8');
    const modified = join(scratch, 'modified.csv');
    await writeFile(modified, text.split('\n').slice(0, 101).join('\n'));
    const second = await ingestPath('weather', modified);
    expect(second.created).toBe(true);
    expect(second.version).toMatchObject({ version: 2, rowCount: 100 });
    expect(await artifactFiles(root)).toHaveLength(2);

    const audit = await t.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'dataset.version_create')
      .where('entity_id', '=', 'weather')
      .execute();
    expect(audit.map((a) => (a.after as { version: number }).version)).toEqual([1, 2]);
    const events = await t.store.db
      .selectFrom('outbox')
      .selectAll()
      .where('topic', '=', 'dataset.version_created')
      .execute();
    expect(events).toHaveLength(2);

    const ds = await datasets.get(ctx, 'weather');
    expect(ds).toMatchObject({ name: 'weather', versionCount: 2, latestVersion: { version: 2 } });
    expect((await datasets.versions(ctx, 'weather')).map((v) => v.version)).toEqual([1, 2]);
    expect(await datasets.version(ctx, 'weather', 1)).toEqual(first.version);
    const chunks: Buffer[] = [];
    for await (const c of await datasets.openParquet(ctx, 'weather', 1)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('registers nothing and leaves no file for a bad file', async () => {
    const before = await artifactFiles(root);
    const bad = Readable.from([Buffer.from('a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n')]);
    await expect(
      datasets.ingest(ctx, {
        datasetName: 'ragged',
        body: bad,
        format: 'csv',
        fileName: 'ragged.csv',
        maxBytes: MAX,
      }),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/ragged\.csv.*line 3/),
    });
    const rows = await t.store.db.selectFrom('datasets').select('id').where('name', '=', 'ragged').execute();
    expect(rows).toEqual([]);
    const versions = await t.store.db
      .selectFrom('dataset_versions')
      .innerJoin('datasets', 'datasets.id', 'dataset_versions.dataset_id')
      .select('version')
      .where('datasets.name', '=', 'ragged')
      .execute();
    expect(versions).toEqual([]);
    expect(await artifactFiles(root)).toEqual(before);
    await expect(datasets.get(ctx, 'ragged')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses an upload over the limit with payload_too_large', async () => {
    await expect(
      datasets.ingest(ctx, {
        datasetName: 'big',
        body: createReadStream(SEATTLE),
        format: 'csv',
        maxBytes: 1000,
      }),
    ).rejects.toMatchObject({ code: 'payload_too_large' });
    await expect(datasets.get(ctx, 'big')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('resolves concurrent ingests of the same content to one version', async () => {
    const results = await Promise.all([1, 2, 3].map(() => ingestPath('concurrent', SEATTLE)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.version.version))).toEqual(new Set([1]));
    expect(await datasets.versions(ctx, 'concurrent')).toHaveLength(1);
    const audit = await t.store.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'dataset.version_create')
      .where('entity_id', '=', 'concurrent')
      .execute();
    expect(audit).toHaveLength(1);
    const files = await artifactFiles(root);
    expect(files.filter((f) => f === results[0]!.version.artifactPath)).toHaveLength(1);
  });

  it('gives concurrent ingests of different content distinct version numbers', async () => {
    const text = await readFile(SEATTLE, 'utf8');
    const lines = text.split('\n');
    const paths = await Promise.all(
      [50, 60, 70].map(async (n) => {
        const p = join(scratch, `part-${n}.csv`);
        await writeFile(p, lines.slice(0, n + 1).join('\n'));
        return p;
      }),
    );
    const results = await Promise.all(paths.map((p) => ingestPath('parts', p)));
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.version.version).sort()).toEqual([1, 2, 3]);
  });

  it('lists and pages datasets; unknown names and versions are not_found', async () => {
    const all = await datasets.list(ctx, {});
    expect(all.items.map((d) => d.name)).toEqual(['weather', 'concurrent', 'parts']);
    const p1 = await datasets.list(ctx, { maxResults: 2 });
    expect(p1.items).toHaveLength(2);
    const p2 = await datasets.list(ctx, { maxResults: 2, pageToken: p1.nextPageToken });
    expect(p2.items.map((d) => d.name)).toEqual(['parts']);
    expect(p2.nextPageToken).toBeUndefined();
    expect((await datasets.list(ctx, { nameLike: 'WEA%' })).items.map((d) => d.name)).toEqual(['weather']);
    await expect(datasets.get(ctx, 'nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(datasets.versions(ctx, 'nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(datasets.version(ctx, 'weather', 99)).rejects.toMatchObject({ code: 'not_found' });
    await expect(datasets.list(ctx, { pageToken: 'garbage' })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('stores the profile with the version, and says when a version has none', async () => {
    const path = join(scratch, 'profiled.csv');
    await writeFile(path, 'x,label\n1,a\n2,b\n3,a\n,\n');
    const { version } = await datasets.ingest(ctx, {
      datasetName: 'profiled',
      body: createReadStream(path),
      format: 'csv',
      maxBytes: MAX,
    });
    const profile = await datasets.profile(ctx, 'profiled', version.version);
    expect(profile.columns[0]).toMatchObject({ name: 'x', count: 3, missing: 1, distinct: 3 });
    expect(profile.columns[0]?.numeric).toMatchObject({ min: 1, max: 3, mean: 2, std: 1 });
    expect(profile.columns[1]?.top).toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 1 },
    ]);
    await expect(datasets.profile(ctx, 'profiled', 99)).rejects.toMatchObject({ code: 'not_found' });
    // A version ingested before migration 3 has no profile.
    await t.store.db.updateTable('dataset_versions').set({ profile: null }).execute();
    await expect(datasets.profile(ctx, 'profiled', version.version)).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/has no profile/),
    });
  });
});
