import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { BACKENDS } from '../helpers/stores.js';

describe.each(BACKENDS)('tracking API over HTTP on %s', (backend) => {
  let p: TestPlatform;
  let url: string;
  let experimentId: string;
  beforeAll(async () => {
    p = await startTestPlatform(backend, { CYCLOPS_BODY_LIMIT_BYTES: String(2 * 1024 * 1024) });
    url = p.url;
    const res = await api(url, 'POST', '/api/v1/experiments', { name: 'it-experiments' });
    experimentId = res.body.experiment.experiment_id;
  });
  afterAll(async () => {
    await p.close();
  });

  const newRun = async (name = 'r'): Promise<string> => {
    const res = await api(url, 'POST', '/api/v1/runs', { experiment_id: experimentId, run_name: name });
    expect(res.status).toBe(200);
    return res.body.run.info.run_id as string;
  };

  it('has the Default experiment with id "0"', async () => {
    const res = await api(url, 'GET', '/api/v1/experiments/0');
    expect(res.status).toBe(200);
    expect(res.body.experiment).toMatchObject({
      experiment_id: '0',
      name: 'Default',
      lifecycle_stage: 'active',
    });
  });

  it('creates, renames, tags, deletes and restores an experiment; names are unique', async () => {
    const created = await api(url, 'POST', '/api/v1/experiments', {
      name: 'lifecycle',
      tags: [{ key: 'team', value: 'ml' }],
    });
    expect(created.status).toBe(200);
    const id = created.body.experiment.experiment_id;
    expect((await api(url, 'POST', '/api/v1/experiments', { name: 'lifecycle' })).status).toBe(409);
    expect(
      (await api(url, 'PATCH', `/api/v1/experiments/${id}`, { new_name: 'lifecycle-2' })).body.experiment
        .name,
    ).toBe('lifecycle-2');
    expect(
      (await api(url, 'GET', '/api/v1/experiments/by-name/lifecycle-2')).body.experiment.experiment_id,
    ).toBe(id);
    expect((await api(url, 'PUT', `/api/v1/experiments/${id}/tags?key=stage`, { value: 'dev' })).status).toBe(
      200,
    );
    expect((await api(url, 'GET', `/api/v1/experiments/${id}`)).body.experiment.tags).toEqual([
      { key: 'stage', value: 'dev' },
      { key: 'team', value: 'ml' },
    ]);
    expect((await api(url, 'DELETE', `/api/v1/experiments/${id}/tags?key=stage`)).status).toBe(200);
    expect((await api(url, 'DELETE', `/api/v1/experiments/${id}`)).status).toBe(200);
    const active = await api(url, 'GET', '/api/v1/experiments?view_type=active');
    expect(active.body.experiments.map((e: { experiment_id: string }) => e.experiment_id)).not.toContain(id);
    const deleted = await api(url, 'GET', '/api/v1/experiments?view_type=deleted');
    expect(deleted.body.experiments.map((e: { experiment_id: string }) => e.experiment_id)).toContain(id);
    expect((await api(url, 'POST', '/api/v1/runs', { experiment_id: id })).status).toBe(400);
    expect((await api(url, 'POST', `/api/v1/experiments/${id}/restore`)).status).toBe(200);
    expect((await api(url, 'GET', `/api/v1/experiments/${id}`)).body.experiment.lifecycle_stage).toBe(
      'active',
    );
  });

  it('pages through experiments', async () => {
    for (let i = 0; i < 5; i++) await api(url, 'POST', '/api/v1/experiments', { name: `page-${i}` });
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const q = `/api/v1/experiments?name_like=page-%25&max_results=2${token ? `&page_token=${token}` : ''}`;
      const res = await api(url, 'GET', q);
      expect(res.status).toBe(200);
      seen.push(...res.body.experiments.map((e: { name: string }) => e.name));
      token = res.body.next_page_token;
    } while (token);
    expect(seen).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  });

  it('runs: create, update status, soft delete and restore', async () => {
    const runId = await newRun('status');
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    const upd = await api(url, 'PATCH', `/api/v1/runs/${runId}`, {
      status: 'FINISHED',
      end_time: 1_700_000_000_000,
    });
    expect(upd.body.run.info).toMatchObject({
      status: 'FINISHED',
      end_time: 1_700_000_000_000,
      user_id: 'alice',
    });
    expect((await api(url, 'DELETE', `/api/v1/runs/${runId}`)).status).toBe(200);
    expect((await api(url, 'GET', `/api/v1/runs/${runId}`)).body.run.info.lifecycle_stage).toBe('deleted');
    expect((await api(url, 'POST', `/api/v1/runs/${runId}/metrics`, { key: 'm', value: 1 })).status).toBe(
      400,
    );
    expect((await api(url, 'POST', `/api/v1/runs/${runId}/restore`)).status).toBe(200);
    expect((await api(url, 'POST', `/api/v1/runs/${runId}/metrics`, { key: 'm', value: 1 })).status).toBe(
      200,
    );
  });

  it('params are write-once: same value is fine, a new value is 409', async () => {
    const runId = await newRun();
    expect((await api(url, 'POST', `/api/v1/runs/${runId}/params`, { key: 'lr', value: '0.1' })).status).toBe(
      200,
    );
    expect((await api(url, 'POST', `/api/v1/runs/${runId}/params`, { key: 'lr', value: '0.1' })).status).toBe(
      200,
    );
    const conflict = await api(url, 'POST', `/api/v1/runs/${runId}/params`, { key: 'lr', value: '0.2' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('conflict');
    const long = 'x'.repeat(6000);
    expect(
      (await api(url, 'POST', `/api/v1/runs/${runId}/params`, { key: 'long', value: long })).status,
    ).toBe(200);
    const tooLong = await api(url, 'POST', `/api/v1/runs/${runId}/params`, {
      key: 'longer',
      value: `${long}x`,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details.field).toBe('body/value');
  });

  it('stores NaN and +-Infinity faithfully and keeps the latest value by (step, timestamp, value)', async () => {
    const runId = await newRun();
    const metrics = [
      { key: 'loss', value: 'NaN', step: 0, timestamp: 10 },
      { key: 'loss', value: 'Infinity', step: 1, timestamp: 10 },
      { key: 'loss', value: '-Infinity', step: 2, timestamp: 10 },
      { key: 'acc', value: 0.5, step: 3, timestamp: 10 },
      { key: 'acc', value: 0.9, step: 3, timestamp: 5 },
      { key: 'acc', value: 0.1, step: 2, timestamp: 99 },
    ];
    expect((await api(url, 'POST', `/api/v1/runs/${runId}/batch`, { metrics })).status).toBe(200);
    const hist = await api(url, 'GET', `/api/v1/runs/${runId}/metrics/history?key=loss`);
    expect(hist.body.metrics.map((m: { value: unknown }) => m.value)).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
    ]);
    const run = await api(url, 'GET', `/api/v1/runs/${runId}`);
    const latest = Object.fromEntries(
      run.body.run.data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value]),
    );
    expect(latest).toEqual({ acc: 0.5, loss: '-Infinity' });
  });

  it('a batch with one bad entry writes nothing', async () => {
    const runId = await newRun();
    const metrics = Array.from({ length: 10 }, (_, i) => ({ key: 'm', value: i, step: i }));
    const bad = await api(url, 'POST', `/api/v1/runs/${runId}/batch`, {
      metrics: [...metrics, { key: 'bad', value: 'oops' }],
      params: [{ key: 'p', value: '1' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.field).toBe('body/metrics/10/value');
    await api(url, 'POST', `/api/v1/runs/${runId}/params`, { key: 'fixed', value: 'a' });
    const conflicting = await api(url, 'POST', `/api/v1/runs/${runId}/batch`, {
      metrics,
      params: [
        { key: 'fresh', value: '1' },
        { key: 'fixed', value: 'b' },
      ],
      tags: [{ key: 't', value: 'v' }],
    });
    expect(conflicting.status).toBe(409);
    const run = await api(url, 'GET', `/api/v1/runs/${runId}`);
    expect(run.body.run.data).toEqual({ metrics: [], params: [{ key: 'fixed', value: 'a' }], tags: [] });
    const hist = await api(url, 'GET', `/api/v1/runs/${runId}/metrics/history?key=m`);
    expect(hist.body.metrics).toEqual([]);
  });

  it('rejects bad input with 400 and the field path', async () => {
    const runId = await newRun();
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/api/v1/experiments', {}, 'body'],
      ['POST', '/api/v1/experiments', { name: 42 }, 'body/name'],
      ['POST', `/api/v1/runs/${runId}/metrics`, { key: 'k'.repeat(251), value: 1 }, 'body/key'],
      ['POST', `/api/v1/runs/${runId}/metrics`, { key: 'a b$c', value: 1 }, 'body/key'],
      ['POST', `/api/v1/runs/${runId}/metrics`, { key: '../escape', value: 1 }, 'key'],
      ['POST', `/api/v1/runs/${runId}/metrics`, { key: 'k', value: 1, step: 'one' }, 'body/step'],
      [
        'POST',
        `/api/v1/runs/${runId}/batch`,
        { metrics: Array.from({ length: 1001 }, () => ({ key: 'a', value: 1 })) },
        'body/metrics',
      ],
      [
        'POST',
        `/api/v1/runs/${runId}/batch`,
        {
          params: [
            { key: 'p', value: '1' },
            { key: 'p', value: '2' },
          ],
        },
        'params/1/value',
      ],
      ['POST', '/api/v1/runs/search', { filter: 'metrics.acc > ' }, 'filter'],
      ['POST', '/api/v1/runs/search', { filter: "params.lr > '1'" }, 'filter'],
      ['GET', '/api/v1/runs/not-a-run-id', undefined, 'params/run_id'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await api(url, method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}`).toBe(400);
      expect(res.body.error.code).toBe('invalid_argument');
      expect(res.body.error.details.field, JSON.stringify(res.body.error)).toContain(field);
    }
    const malformed = await api(url, 'POST', `/api/v1/runs/${runId}/metrics`, '{"key": "a", "value": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/Malformed JSON/);
  });

  it('returns 404 for unknown experiments, runs and projects, 413 above the body limit', async () => {
    expect((await api(url, 'GET', '/api/v1/experiments/999999')).status).toBe(404);
    expect((await api(url, 'GET', `/api/v1/runs/${'a'.repeat(32)}`)).status).toBe(404);
    expect(
      (await api(url, 'POST', `/api/v1/runs/${'a'.repeat(32)}/metrics`, { key: 'a', value: 1 })).status,
    ).toBe(404);
    expect((await api(url, 'POST', '/api/v1/runs', { experiment_id: '424242' })).status).toBe(404);
    const other = await api(url, 'GET', '/api/v1/experiments/0', undefined, { 'x-cyclops-project': 'nope' });
    expect(other.status).toBe(404);
    const big = await api(url, 'POST', '/api/v1/experiments', { name: 'x'.repeat(3 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });

  it('searches runs with the MLflow filter language and pages with keyset tokens', async () => {
    const exp = (await api(url, 'POST', '/api/v1/experiments', { name: 'search-exp' })).body.experiment
      .experiment_id;
    for (let i = 0; i < 12; i++) {
      const runId = (await api(url, 'POST', '/api/v1/runs', { experiment_id: exp, run_name: `s-${i}` })).body
        .run.info.run_id;
      await api(url, 'POST', `/api/v1/runs/${runId}/batch`, {
        metrics: [
          { key: 'acc', value: i / 12 },
          { key: 'loss', value: 12 - i },
        ],
        params: [{ key: 'lr', value: i % 2 === 0 ? '0.01' : '0.1' }],
      });
    }
    const res = await api(url, 'POST', '/api/v1/runs/search', {
      experiment_ids: [exp],
      filter: "metrics.acc > 0.4 AND params.lr = '0.01'",
      order_by: ['metrics.loss ASC'],
    });
    expect(res.status).toBe(200);
    expect(res.body.runs.map((r: { info: { run_name: string } }) => r.info.run_name)).toEqual([
      's-10',
      's-8',
      's-6',
    ]);
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await api(url, 'POST', '/api/v1/runs/search', {
        experiment_ids: [exp],
        order_by: ['metrics.acc DESC'],
        max_results: 5,
        ...(token ? { page_token: token } : {}),
      });
      names.push(...page.body.runs.map((r: { info: { run_name: string } }) => r.info.run_name));
      token = page.body.next_page_token;
    } while (token);
    expect(names).toEqual(Array.from({ length: 12 }, (_, i) => `s-${11 - i}`));
  });

  it('run artifacts: upload, list, download; traversal refused', async () => {
    const runId = await newRun();
    const payload = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    const up = await fetch(`${url}/api/v1/runs/${runId}/artifacts/model/weights.bin`, {
      method: 'PUT',
      body: payload,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(up.status).toBe(200);
    expect(((await up.json()) as { file_size: number }).file_size).toBe(payload.length);
    const list = await api(url, 'GET', `/api/v1/runs/${runId}/artifacts?path=model`);
    expect(list.body.files).toEqual([
      { path: 'model/weights.bin', is_dir: false, file_size: payload.length },
    ]);
    const root = await api(url, 'GET', `/api/v1/runs/${runId}/artifacts`);
    expect(root.body.files).toEqual([{ path: 'model', is_dir: true }]);
    const down = await fetch(`${url}/api/v1/runs/${runId}/artifacts/model/weights.bin`);
    expect(Buffer.from(await down.arrayBuffer()).equals(payload)).toBe(true);
    const traversal = await fetch(`${url}/api/v1/runs/${runId}/artifacts/..%2F..%2F..%2Fetc%2Fpasswd`);
    expect(traversal.status).toBe(400);
    expect((await fetch(`${url}/api/v1/runs/${runId}/artifacts/missing.txt`)).status).toBe(404);
  });

  it('writes one audit row per metadata change, not per metric point', async () => {
    const runId = await newRun('audited');
    await api(url, 'POST', `/api/v1/runs/${runId}/batch`, {
      metrics: Array.from({ length: 50 }, (_, i) => ({ key: 'm', value: i, step: i })),
    });
    await api(url, 'POST', `/api/v1/runs/${runId}/params`, { key: 'a', value: '1' });
    await api(url, 'PATCH', `/api/v1/runs/${runId}`, { status: 'FINISHED' });
    const res = await api(url, 'GET', `/api/v1/audit?entity_type=run&entity_id=${runId}`);
    expect(res.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'run.update',
      'run.log_batch',
      'run.create',
    ]);
    expect(res.body.entries[0]).toMatchObject({
      actor: 'alice',
      project_id: 'default',
      before: { status: 'RUNNING' },
      after: { status: 'FINISHED' },
    });
  });

  it('16 clients logging to one run at once lose no point and never deadlock', async () => {
    const runId = await newRun('concurrent');
    const clients = 16;
    const perClient = 40;
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < perClient; i++) {
          const body =
            i % 4 === 0
              ? {
                  metrics: [
                    { key: 'shared', value: c * 1000 + i, step: i },
                    { key: `own-${c}`, value: i, step: i },
                  ],
                  tags: [{ key: 'last', value: String(c) }],
                }
              : {
                  metrics: [
                    { key: 'shared', value: c * 1000 + i, step: i },
                    { key: `own-${c}`, value: i, step: i },
                  ],
                };
          const res = await api(url, 'POST', `/api/v1/runs/${runId}/batch`, body);
          expect(res.status).toBe(200);
        }
      }),
    );
    const shared = await api(url, 'GET', `/api/v1/runs/${runId}/metrics/history?key=shared`);
    expect(shared.body.metrics).toHaveLength(clients * perClient);
    const own = await api(url, 'GET', `/api/v1/runs/${runId}/metrics/history?key=own-7`);
    expect(own.body.metrics.map((m: { value: number }) => m.value)).toEqual(
      Array.from({ length: perClient }, (_, i) => i),
    );
    const run = await api(url, 'GET', `/api/v1/runs/${runId}`);
    const latestShared = run.body.run.data.metrics.find((m: { key: string }) => m.key === 'shared');
    // Greatest (step, timestamp, value): step 39 wins; among those the latest timestamp, then the largest value.
    expect(latestShared.step).toBe(perClient - 1);
  });

  it('serves OpenAPI, health and Prometheus metrics', async () => {
    const doc = await api(url, 'GET', '/api/v1/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/runs/{run_id}/batch');
    expect((await api(url, 'GET', '/healthz')).body).toMatchObject({ status: 'ok', store: backend });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/cyclops_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(metrics).toMatch(/cyclops_http_request_duration_seconds_bucket/);
  });
});
