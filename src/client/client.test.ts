import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CyclopsApiError, CyclopsClient } from './index.js';

/**
 * The real API is written alongside this client, so these tests run it against a tiny node:http server
 * that records each request and answers with canned bodies: real sockets, real fetch, real streaming.
 */
interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json: unknown;
}

interface Reply {
  status?: number;
  json?: unknown;
  raw?: string | Buffer;
  delayMs?: number;
}

type Handler = (req: Recorded) => Reply | undefined;

interface FakeServer {
  url: string;
  requests: Recorded[];
  maxInFlight: number;
  close(): Promise<void>;
}

const servers: Server[] = [];

async function fakeServer(handler: Handler = () => ({ json: {} })): Promise<FakeServer> {
  const state = { requests: [] as Recorded[], inFlight: 0, maxInFlight: 0 };
  const server = createServer((req, res) => {
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = Buffer.concat(chunks);
      const isJson = req.headers['content-type'] === 'application/json' && body.length > 0;
      const recorded: Recorded = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json: isJson ? JSON.parse(body.toString('utf8')) : undefined,
      };
      state.requests.push(recorded);
      const reply = handler(recorded) ?? { json: {} };
      setTimeout(() => {
        state.inFlight--;
        res.statusCode = reply.status ?? 200;
        if (reply.raw !== undefined) {
          res.end(reply.raw);
        } else {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(reply.json ?? {}));
        }
      }, reply.delayMs ?? 0);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: state.requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

const RUN_ID = '0123456789abcdef0123456789abcdef';
const experiment = (id: string, name = `exp-${id}`) => ({
  experiment_id: id,
  name,
  artifact_location: `file:///a/${id}`,
  lifecycle_stage: 'active',
  creation_time: 1,
  last_update_time: 2,
  tags: [],
});

function apiError(
  status: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): Reply {
  return { status, json: { error: { code, message, details } } };
}

async function rejection(promise: Promise<unknown>): Promise<CyclopsApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CyclopsApiError);
  return err as CyclopsApiError;
}

describe('CyclopsClient requests', () => {
  it('sends the user and project headers, and JSON bodies', async () => {
    const srv = await fakeServer(() => ({ json: { experiment: experiment('7', 'churn') } }));
    const client = new CyclopsClient({ url: `${srv.url}/`, user: 'ada', project: 'fraud' });
    const created = await client.experiments.create('churn', { tags: [{ key: 'team', value: 'ml' }] });
    expect(created.experiment_id).toBe('7');
    const [req] = srv.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/api/v1/experiments');
    expect(req?.headers['x-cyclops-user']).toBe('ada');
    expect(req?.headers['x-cyclops-project']).toBe('fraud');
    expect(req?.json).toEqual({ name: 'churn', tags: [{ key: 'team', value: 'ml' }] });
  });

  it('defaults to user anonymous in project default', async () => {
    const srv = await fakeServer(() => ({ json: { status: 'ok', store: 'pglite', version: '0.1.0' } }));
    const health = await new CyclopsClient({ url: srv.url }).health();
    expect(health.store).toBe('pglite');
    expect(srv.requests[0]?.path).toBe('/healthz');
    expect(srv.requests[0]?.headers['x-cyclops-user']).toBe('anonymous');
    expect(srv.requests[0]?.headers['x-cyclops-project']).toBe('default');
  });

  it('encodes names, ids and tag keys in the URL', async () => {
    const srv = await fakeServer(() => ({ json: { experiment: experiment('1') } }));
    const client = new CyclopsClient({ url: srv.url });
    await client.experiments.getByName('my exp/1?#');
    await client.experiments.setTag('1', 'a b&c', 'v');
    await client.runs.deleteTag(RUN_ID, 'k/1');
    expect(srv.requests[0]?.path).toBe('/api/v1/experiments/by-name/my%20exp%2F1%3F%23');
    expect(srv.requests[1]?.method).toBe('PUT');
    expect(srv.requests[1]?.query.get('key')).toBe('a b&c');
    expect(srv.requests[1]?.json).toEqual({ value: 'v' });
    expect(srv.requests[2]?.method).toBe('DELETE');
    expect(srv.requests[2]?.path).toBe(`/api/v1/runs/${RUN_ID}/tags`);
    expect(srv.requests[2]?.query.get('key')).toBe('k/1');
  });

  it('listAll follows page tokens until the last page', async () => {
    const srv = await fakeServer((req) =>
      req.query.get('page_token') === 'p2'
        ? { json: { experiments: [experiment('3')] } }
        : { json: { experiments: [experiment('1'), experiment('2')], next_page_token: 'p2' } },
    );
    const client = new CyclopsClient({ url: srv.url });
    const ids: string[] = [];
    for await (const e of client.experiments.listAll({ view_type: 'all', max_results: 2 }))
      ids.push(e.experiment_id);
    expect(ids).toEqual(['1', '2', '3']);
    expect(srv.requests.map((r) => r.query.toString())).toEqual([
      'view_type=all&max_results=2',
      'view_type=all&max_results=2&page_token=p2',
    ]);
  });

  it('searches runs with a JSON body and pages through searchAll', async () => {
    const run = { info: { run_id: RUN_ID }, data: { metrics: [], params: [], tags: [] } };
    const srv = await fakeServer((req) =>
      (req.json as { page_token?: string }).page_token
        ? { json: { runs: [run] } }
        : { json: { runs: [run], next_page_token: 't' } },
    );
    const client = new CyclopsClient({ url: srv.url });
    const all = [];
    for await (const r of client.runs.searchAll({ experiment_ids: ['1'], filter: 'metrics.a > 1' }))
      all.push(r);
    expect(all).toHaveLength(2);
    expect(srv.requests[0]?.path).toBe('/api/v1/runs/search');
    expect(srv.requests[1]?.json).toEqual({
      experiment_ids: ['1'],
      filter: 'metrics.a > 1',
      page_token: 't',
    });
  });

  it('encodes NaN and Infinity for the wire and decodes them in metric history', async () => {
    const srv = await fakeServer((req) =>
      req.path.endsWith('/metrics/history')
        ? {
            json: {
              metrics: [
                { key: 'loss', value: 'NaN', timestamp: 1, step: 0 },
                { key: 'loss', value: 'Infinity', timestamp: 2, step: 1 },
                { key: 'loss', value: '-Infinity', timestamp: 3, step: 2 },
                { key: 'loss', value: 0.5, timestamp: 4, step: 3 },
              ],
              next_page_token: 'n',
            },
          }
        : undefined,
    );
    const client = new CyclopsClient({ url: srv.url });
    await client.runs.logMetric(RUN_ID, 'loss', Number.NaN, { step: 3, timestamp: 10 });
    await client.runs.logBatch(RUN_ID, {
      metrics: [
        { key: 'a', value: Number.POSITIVE_INFINITY },
        { key: 'b', value: Number.NEGATIVE_INFINITY, step: 1 },
      ],
      params: [{ key: 'lr', value: '0.1' }],
    });
    const history = await client.runs.getMetricHistory(RUN_ID, 'loss', { max_results: 4 });
    expect(srv.requests[0]?.json).toEqual({ key: 'loss', value: 'NaN', step: 3, timestamp: 10 });
    expect(srv.requests[1]?.path).toBe(`/api/v1/runs/${RUN_ID}/batch`);
    expect(srv.requests[1]?.json).toEqual({
      metrics: [
        { key: 'a', value: 'Infinity' },
        { key: 'b', value: '-Infinity', step: 1 },
      ],
      params: [{ key: 'lr', value: '0.1' }],
    });
    expect(srv.requests[2]?.query.toString()).toBe('key=loss&max_results=4');
    expect(history.metrics.map((m) => m.value)).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0.5,
    ]);
    expect(history.next_page_token).toBe('n');
  });

  it('lists the audit log with its filters as the query', async () => {
    const srv = await fakeServer(() => ({ json: { entries: [] } }));
    await new CyclopsClient({ url: srv.url }).audit.list({
      entity_type: 'run',
      actor: 'ada',
      max_results: 5,
    });
    expect(srv.requests[0]?.path).toBe('/api/v1/audit');
    expect(srv.requests[0]?.query.toString()).toBe('entity_type=run&actor=ada&max_results=5');
  });
});

describe('artifacts', () => {
  it('uploads raw bytes to a per-segment encoded path and downloads them back', async () => {
    const stored = new Map<string, Buffer>();
    const srv = await fakeServer((req) => {
      if (req.method === 'PUT') {
        stored.set(req.path, req.body);
        return { status: 201, json: { path: 'x', file_size: req.body.length, sha256: 'h' } };
      }
      const body = stored.get(req.path);
      return body ? { raw: body } : apiError(404, 'not_found', 'no such artifact');
    });
    const client = new CyclopsClient({ url: srv.url });
    const res = await client.runs.uploadArtifact(RUN_ID, 'plots/roc curve#1.png', new Uint8Array([1, 2, 3]));
    expect(res.file_size).toBe(3);
    const put = srv.requests[0];
    expect(put?.path).toBe(`/api/v1/runs/${RUN_ID}/artifacts/plots/roc%20curve%231.png`);
    expect(put?.headers['content-type']).toBe('application/octet-stream');
    const download = await client.runs.downloadArtifact(RUN_ID, 'plots/roc curve#1.png');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    const missing = await rejection(client.runs.downloadArtifact(RUN_ID, 'nope.txt'));
    expect(missing.code).toBe('not_found');
    expect(missing.status).toBe(404);
  });

  it('streams a ReadableStream body and sends strings and Blobs', async () => {
    const srv = await fakeServer((req) => ({ json: { path: 'p', file_size: req.body.length, sha256: 'h' } }));
    const client = new CyclopsClient({ url: srv.url });
    const chunks = ['a'.repeat(70_000), 'b'.repeat(70_000)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    expect((await client.runs.uploadArtifact(RUN_ID, 'big.txt', stream)).file_size).toBe(140_000);
    expect((await client.runs.uploadArtifact(RUN_ID, 'hi.txt', 'héllo')).file_size).toBe(6);
    expect((await client.runs.uploadArtifact(RUN_ID, 'b.bin', new Blob(['xyz']))).file_size).toBe(3);
    expect(srv.requests[1]?.body.toString('utf8')).toBe('héllo');
  });
});

describe('errors', () => {
  it('maps an error body to CyclopsApiError with code, status and details', async () => {
    const srv = await fakeServer(() =>
      apiError(409, 'already_exists', "experiment 'churn' already exists", { name: 'churn' }),
    );
    const err = await rejection(new CyclopsClient({ url: srv.url }).experiments.create('churn'));
    expect(err.code).toBe('already_exists');
    expect(err.status).toBe(409);
    expect(err.message).toBe("experiment 'churn' already exists");
    expect(err.details).toEqual({ name: 'churn' });
  });

  it('maps a body that is not a CyclOps error by its status', async () => {
    const srv = await fakeServer(() => ({ status: 502, raw: '<html>Bad Gateway</html>' }));
    const err = await rejection(new CyclopsClient({ url: srv.url }).runs.get(RUN_ID));
    expect(err.code).toBe('internal');
    expect(err.status).toBe(502);
    expect(err.message).toContain('HTTP 502');
  });

  it('says how to start a server when nothing listens at the URL', async () => {
    const srv = await fakeServer();
    await srv.close();
    const err = await rejection(new CyclopsClient({ url: srv.url }).experiments.list());
    expect(err.code).toBe('unavailable');
    expect(err.status).toBe(0);
    expect(err.message).toBe(
      `no CyclOps server at ${srv.url}: start one with \`cyclops up\` or set CYCLOPS_URL`,
    );
    expect(err.details.cause).toBe('ECONNREFUSED');
  });

  it('times out a call that gets no answer', async () => {
    const srv = await fakeServer(() => ({ json: {}, delayMs: 2000 }));
    const err = await rejection(new CyclopsClient({ url: srv.url, timeoutMs: 50 }).runs.get(RUN_ID));
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('timed out after 50 ms');
  });
});

describe('MetricLogger over HTTP', () => {
  it('sends 2,500 points as 3 ordered batches of at most 1000, one request at a time', async () => {
    const srv = await fakeServer(() => ({ json: {}, delayMs: 20 }));
    const logger = new CyclopsClient({ url: srv.url }).runs.metricLogger(RUN_ID);
    for (let step = 0; step < 2500; step++)
      expect(logger.log('loss', step / 10, step, 1000 + step)).toBe(true);
    await logger.close();
    const batches = srv.requests.map((r) => (r.json as { metrics: Array<{ step: number }> }).metrics);
    expect(srv.requests.every((r) => r.path === `/api/v1/runs/${RUN_ID}/batch`)).toBe(true);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches.flat().map((m) => m.step)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(srv.maxInFlight).toBe(1);
    expect(logger.pending).toBe(0);
  });

  it('encodes non-finite values and retries a 503 until it goes through', async () => {
    let calls = 0;
    const srv = await fakeServer(() => (++calls <= 2 ? apiError(503, 'unavailable', 'busy') : { json: {} }));
    const logger = new CyclopsClient({ url: srv.url }).runs.metricLogger(RUN_ID, { retryDelayMs: 5 });
    logger.log('a', Number.NaN, 0, 5);
    logger.log('a', Number.POSITIVE_INFINITY, 1, 6);
    await logger.flush();
    expect(srv.requests).toHaveLength(3);
    expect(srv.requests[2]?.json).toEqual({
      metrics: [
        { key: 'a', value: 'NaN', step: 0, timestamp: 5 },
        { key: 'a', value: 'Infinity', step: 1, timestamp: 6 },
      ],
    });
  });

  it('reports a server that stays unavailable, keeps the points, and sends them once it is back', async () => {
    let down = true;
    const srv = await fakeServer(() =>
      down ? apiError(503, 'unavailable', 'store is starting') : { json: {} },
    );
    const logger = new CyclopsClient({ url: srv.url }).runs.metricLogger(RUN_ID, {
      retryDelayMs: 1,
      retries: 3,
    });
    logger.log('a', 1, 0);
    const err = await rejection(logger.flush());
    expect(err.code).toBe('unavailable');
    expect(srv.requests).toHaveLength(4);
    expect(logger.pending).toBe(1);
    down = false;
    await logger.close();
    expect(srv.requests).toHaveLength(5);
    expect(logger.pending).toBe(0);
  });
});
