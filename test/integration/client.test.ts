import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CyclopsApiError, CyclopsClient } from '../../src/client/index.js';
import { closedPort } from '../helpers/cli.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { BACKENDS } from '../helpers/stores.js';

/** The SDK against a real in-process server: the same calls a training script makes. */

async function rejection(promise: Promise<unknown>): Promise<CyclopsApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CyclopsApiError);
  return err as CyclopsApiError;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe.each(BACKENDS)('CyclopsClient against a real server on %s', (backend) => {
  const USER = 'sdk-tester';
  let p: TestPlatform;
  let client: CyclopsClient;
  /** Every request the client sent, as "METHOD pathname". */
  const sent: string[] = [];
  let experimentId: string;

  beforeAll(async () => {
    p = await startTestPlatform(backend);
    client = new CyclopsClient({
      url: p.url,
      user: USER,
      fetch: (input, init) => {
        sent.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
        return fetch(input, init);
      },
    });
    experimentId = (await client.experiments.create('sdk')).experiment_id;
  });
  afterAll(async () => {
    await p?.close();
  });

  it('answers health', async () => {
    expect(await client.health()).toMatchObject({ status: 'ok', store: backend });
  });

  it('experiments: create, get, getByName, listAll across pages', async () => {
    const created = await client.experiments.create('sdk-tagged', { tags: [{ key: 'team', value: 'ml' }] });
    expect(created).toMatchObject({
      name: 'sdk-tagged',
      lifecycle_stage: 'active',
      tags: [{ key: 'team', value: 'ml' }],
    });
    expect(await client.experiments.get(created.experiment_id)).toEqual(created);
    expect(await client.experiments.getByName('sdk-tagged')).toEqual(created);
    expect((await client.experiments.get('0')).name).toBe('Default');

    for (let i = 0; i < 5; i++) await client.experiments.create(`sdk-page-${i}`);
    sent.length = 0;
    const paged = await collect(client.experiments.listAll({ name_like: 'sdk-page-%', max_results: 2 }));
    expect(paged.map((e) => e.name)).toEqual([
      'sdk-page-0',
      'sdk-page-1',
      'sdk-page-2',
      'sdk-page-3',
      'sdk-page-4',
    ]);
    expect(sent).toEqual(Array(3).fill('GET /api/v1/experiments'));

    const all = await collect(client.experiments.listAll());
    expect(all.map((e) => e.name)).toEqual(expect.arrayContaining(['Default', 'sdk', 'sdk-tagged']));
    expect(new Set(all.map((e) => e.experiment_id)).size).toBe(all.length);
  });

  it('runs: create, update, search and searchAll', async () => {
    const exp = (await client.experiments.create('sdk-runs')).experiment_id;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const run = await client.runs.create({
        experiment_id: exp,
        run_name: `r${i}`,
        start_time: 1_700_000_000_000 + i,
        tags: [{ key: 'i', value: String(i) }],
      });
      expect(run.info).toMatchObject({
        experiment_id: exp,
        run_name: `r${i}`,
        status: 'RUNNING',
        user_id: USER,
        lifecycle_stage: 'active',
      });
      expect(run.info.run_id).toMatch(/^[0-9a-f]{32}$/);
      await client.runs.logBatch(run.info.run_id, { metrics: [{ key: 'score', value: i / 10 }] });
      ids.push(run.info.run_id);
    }

    const updated = await client.runs.update(ids[0]!, { status: 'FINISHED', end_time: 1_700_000_001_000 });
    expect(updated.info).toMatchObject({ status: 'FINISHED', end_time: 1_700_000_001_000 });
    expect((await client.runs.get(ids[0]!)).info.status).toBe('FINISHED');

    const found = await client.runs.search({
      experiment_ids: [exp],
      filter: 'metrics.score >= 0.2',
      order_by: ['metrics.score DESC'],
    });
    expect(found.runs.map((r) => r.info.run_name)).toEqual(['r4', 'r3', 'r2']);
    expect(found.next_page_token).toBeUndefined();

    const finished = await client.runs.search({
      experiment_ids: [exp],
      filter: "attributes.status = 'FINISHED'",
    });
    expect(finished.runs.map((r) => r.info.run_id)).toEqual([ids[0]]);

    sent.length = 0;
    const everything = await collect(
      client.runs.searchAll({
        experiment_ids: [exp],
        order_by: ['attributes.start_time ASC'],
        max_results: 2,
      }),
    );
    expect(everything.map((r) => r.info.run_id)).toEqual(ids);
    expect(sent).toEqual(Array(3).fill('POST /api/v1/runs/search'));
  });

  it('logBatch round-trips NaN and +-Infinity through getMetricHistory as numbers', async () => {
    const runId = (await client.runs.create({ experiment_id: experimentId })).info.run_id;
    await client.runs.logBatch(runId, {
      metrics: [
        { key: 'loss', value: Number.NaN, step: 0, timestamp: 1000 },
        { key: 'loss', value: Number.POSITIVE_INFINITY, step: 1, timestamp: 1001 },
        { key: 'loss', value: Number.NEGATIVE_INFINITY, step: 2, timestamp: 1002 },
        { key: 'loss', value: 0.25, step: 3, timestamp: 1003 },
      ],
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 'phase', value: 'nan' }],
    });
    const history = await client.runs.getMetricHistory(runId, 'loss');
    expect(history.next_page_token).toBeUndefined();
    const values = history.metrics.map((m) => m.value);
    for (const v of values) expect(typeof v).toBe('number');
    expect(values).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.25]);
    expect(history.metrics.map((m) => [m.step, m.timestamp])).toEqual([
      [0, 1000],
      [1, 1001],
      [2, 1002],
      [3, 1003],
    ]);
    const run = await client.runs.get(runId);
    expect(run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: 'phase', value: 'nan' }]));
  });

  it('MetricLogger delivers 2,500 points in order', async () => {
    const runId = (await client.runs.create({ experiment_id: experimentId })).info.run_id;
    const logger = client.runs.metricLogger(runId);
    for (let step = 0; step < 2500; step++) {
      expect(logger.log('loss', step / 100, step, 1_700_000_000_000 + step)).toBe(true);
    }
    await logger.close();
    expect(logger.pending).toBe(0);

    const history = await client.runs.getMetricHistory(runId, 'loss');
    expect(history.next_page_token).toBeUndefined();
    expect(history.metrics).toHaveLength(2500);
    expect(history.metrics.map((m) => m.step)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(
      history.metrics.every((m, i) => m.value === i / 100 && m.timestamp === 1_700_000_000_000 + i),
    ).toBe(true);

    // Paging through the same history gives the same points.
    const first = await client.runs.getMetricHistory(runId, 'loss', { max_results: 2000 });
    expect(first.metrics).toHaveLength(2000);
    const rest = await client.runs.getMetricHistory(runId, 'loss', {
      max_results: 2000,
      page_token: first.next_page_token!,
    });
    expect(rest.next_page_token).toBeUndefined();
    expect([...first.metrics, ...rest.metrics].map((m) => m.step)).toEqual(
      history.metrics.map((m) => m.step),
    );
  });

  it('errors: a param conflict is 409 conflict; an unknown run is 404 not_found', async () => {
    const runId = (await client.runs.create({ experiment_id: experimentId })).info.run_id;
    await client.runs.logParam(runId, 'depth', '3');
    await client.runs.logParam(runId, 'depth', '3'); // the same value again is fine
    const conflict = await rejection(client.runs.logParam(runId, 'depth', '4'));
    expect(conflict.status).toBe(409);
    expect(conflict.code).toBe('conflict');
    expect(conflict.message).toContain("Param 'depth'");
    expect(conflict.details).toMatchObject({ key: 'depth', existing: '3', attempted: '4' });

    const missing = await rejection(client.runs.get('0123456789abcdef0123456789abcdef'));
    expect(missing.status).toBe(404);
    expect(missing.code).toBe('not_found');

    const noExperiment = await rejection(client.experiments.getByName('no-such-experiment'));
    expect(noExperiment.status).toBe(404);
    expect(noExperiment.code).toBe('not_found');
  });

  it('artifacts: upload 1 MB, list, download the same bytes', async () => {
    const runId = (await client.runs.create({ experiment_id: experimentId })).info.run_id;
    const bytes = new Uint8Array(randomBytes(1024 * 1024));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const uploaded = await client.runs.uploadArtifact(runId, 'data/blob 1.bin', bytes);
    expect(uploaded).toMatchObject({ file_size: bytes.length, sha256 });

    const root = await client.runs.listArtifacts(runId);
    expect(root.files).toEqual([expect.objectContaining({ path: 'data', is_dir: true })]);
    const dir = await client.runs.listArtifacts(runId, 'data');
    expect(dir.files).toEqual([{ path: 'data/blob 1.bin', is_dir: false, file_size: bytes.length }]);

    const download = await client.runs.downloadArtifact(runId, 'data/blob 1.bin');
    const back = new Uint8Array(await download.arrayBuffer());
    expect(back.length).toBe(bytes.length);
    expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);

    const missing = await rejection(client.runs.downloadArtifact(runId, 'data/nope.bin'));
    expect(missing.code).toBe('not_found');
  });

  it("audit lists the changes under the client's user option, newest first", async () => {
    const auditor = new CyclopsClient({ url: p.url, user: 'auditor' });
    const exp = await auditor.experiments.create('sdk-audited');
    const runId = (await auditor.runs.create({ experiment_id: exp.experiment_id, run_name: 'a' })).info
      .run_id;
    await auditor.runs.logParam(runId, 'k', 'v');
    await auditor.runs.update(runId, { status: 'FINISHED' });
    await auditor.runs.uploadArtifact(runId, 'note.txt', 'hello');

    const entries = await collect(auditor.audit.listAll({ actor: 'auditor' }));
    expect(entries.map((e) => [e.action, e.entity_type, e.entity_id])).toEqual([
      ['run.log_artifact', 'run', runId],
      ['run.update', 'run', runId],
      ['run.log_batch', 'run', runId],
      ['run.create', 'run', runId],
      ['experiment.create', 'experiment', exp.experiment_id],
    ]);
    for (const entry of entries) expect(entry).toMatchObject({ actor: 'auditor', project_id: 'default' });
    expect(entries[4]!.after).toMatchObject({ name: 'sdk-audited' });
    expect(entries[2]!.after).toMatchObject({ params: { k: 'v' } });

    // The main client's changes carry its own user, and the filter keeps them apart.
    const mine = await collect(client.audit.listAll({ actor: USER }));
    expect(mine.length).toBeGreaterThan(0);
    for (const entry of mine) expect(entry.actor).toBe(USER);
    expect(mine.some((e) => e.action === 'experiment.create' && e.entity_id === experimentId)).toBe(true);
    expect(mine.some((e) => e.entity_id === runId)).toBe(false);

    // One page at a time, with a token to the next.
    const page = await auditor.audit.list({ actor: 'auditor', max_results: 2 });
    expect(page.entries.map((e) => e.action)).toEqual(['run.log_artifact', 'run.update']);
    expect(page.next_page_token).toBeDefined();
  });
});

describe('CyclopsClient without a server', () => {
  it("throws CyclopsApiError 'unavailable' telling the user to start one", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const err = await rejection(new CyclopsClient({ url }).experiments.list());
    expect(err.code).toBe('unavailable');
    expect(err.status).toBe(0);
    expect(err.message).toBe(`no CyclOps server at ${url}: start one with \`cyclops up\` or set CYCLOPS_URL`);
    expect(err.details).toMatchObject({ url, cause: 'ECONNREFUSED' });
  });
});
