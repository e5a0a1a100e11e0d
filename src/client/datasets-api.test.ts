import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CyclopsApiError, CyclopsClient } from './index.js';

/** A tiny node:http server that records each request and answers from `handler`: real sockets, real fetch. */
interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Reply {
  status?: number;
  json?: unknown;
  raw?: Buffer;
}

const servers: Server[] = [];

async function fakeServer(handler: (req: Recorded) => Reply): Promise<{ url: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const recorded: Recorded = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      const reply = handler(recorded);
      res.statusCode = reply.status ?? 200;
      if (reply.raw !== undefined) {
        res.setHeader('content-type', 'application/vnd.apache.parquet');
        res.end(reply.raw);
      } else {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(reply.json ?? {}));
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests };
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

const version = (n: number, dataset = 'churn') => ({
  dataset,
  version: n,
  content_hash: `hash${n}`,
  row_count: 3,
  bytes: 120,
  schema: [
    { name: 'id', type: 'integer', nullable: false, kind: 'numeric' },
    { name: 'plan', type: 'string', nullable: true, kind: 'categorical' },
  ],
  source: { kind: 'upload', format: 'csv', file_name: 'churn.csv' },
  artifact_path: `datasets/${dataset}/${n}/data.parquet`,
  created_by: 'ada',
  created_at: 1_700_000_000_000,
});

const dataset = (name: string, versions = 1) => ({
  name,
  description: '',
  created_by: 'ada',
  created_at: 1_700_000_000_000,
  version_count: versions,
  latest_version: version(versions, name),
});

async function rejection(promise: Promise<unknown>): Promise<CyclopsApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(CyclopsApiError);
    return err as CyclopsApiError;
  }
  throw new Error('expected a rejection');
}

describe('client.datasets.ingest', () => {
  it('sends the options as query parameters and exactly the bytes of a Uint8Array', async () => {
    const srv = await fakeServer(() => ({ json: { created: true, version: version(1) } }));
    const client = new CyclopsClient({ url: srv.url, user: 'ada' });
    const bytes = new Uint8Array([0, 1, 2, 250, 255, 10, 13]);
    const res = await client.datasets.ingest('churn v2', bytes, {
      format: 'csv',
      fileName: 'churn.csv',
      header: false,
      delimiter: ';',
      quote: "'",
      encoding: 'latin1',
      description: 'Customer churn',
    });
    expect(res.created).toBe(true);
    expect(res.version.schema).toHaveLength(2);
    const req = srv.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/api/v1/datasets/churn%20v2/versions');
    expect(Object.fromEntries(req?.query ?? [])).toEqual({
      format: 'csv',
      file_name: 'churn.csv',
      header: 'false',
      delimiter: ';',
      quote: "'",
      encoding: 'latin1',
      description: 'Customer churn',
    });
    expect(req?.headers['content-type']).toBe('application/octet-stream');
    expect(req?.headers['x-cyclops-user']).toBe('ada');
    expect(req?.body.equals(Buffer.from(bytes))).toBe(true);
  });

  it('streams a ReadableStream body byte for byte, and omits unset options', async () => {
    const srv = await fakeServer(() => ({ json: { created: false, version: version(4) } }));
    const client = new CyclopsClient({ url: srv.url });
    const parts = [Buffer.alloc(70_000, 1), Buffer.alloc(70_000, 2), Buffer.from('end')];
    const expected = Buffer.concat(parts);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = parts.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new Uint8Array(next));
      },
    });
    const res = await client.datasets.ingest('churn', stream, { format: 'jsonl' });
    expect(res).toEqual({ created: false, version: version(4) });
    expect(Object.fromEntries(srv.requests[0]?.query ?? [])).toEqual({ format: 'jsonl' });
    expect(srv.requests[0]?.body.equals(expected)).toBe(true);
  });

  it('sends strings and Blobs too', async () => {
    const srv = await fakeServer(() => ({ json: { created: true, version: version(1) } }));
    const client = new CyclopsClient({ url: srv.url });
    await client.datasets.ingest('churn', 'a,b\n1,é\n', { format: 'csv' });
    await client.datasets.ingest('churn', new Blob(['{"a":1}']), { format: 'json' });
    expect(srv.requests[0]?.body.toString('utf8')).toBe('a,b\n1,é\n');
    expect(srv.requests[1]?.body.toString('utf8')).toBe('{"a":1}');
  });

  it('maps a parse failure to CyclopsApiError', async () => {
    const srv = await fakeServer(() => ({
      status: 400,
      json: {
        error: { code: 'invalid_argument', message: 'line 3: unterminated quote', details: { line: 3 } },
      },
    }));
    const err = await rejection(
      new CyclopsClient({ url: srv.url }).datasets.ingest('churn', 'a\n"x', { format: 'csv' }),
    );
    expect(err.code).toBe('invalid_argument');
    expect(err.status).toBe(400);
    expect(err.message).toBe('line 3: unterminated quote');
    expect(err.details).toEqual({ line: 3 });
  });
});

describe('client.datasets reads', () => {
  it('lists one page with the query, and listAll follows the tokens', async () => {
    const srv = await fakeServer((req) =>
      req.query.get('page_token') === 'p2'
        ? { json: { datasets: [dataset('c')] } }
        : { json: { datasets: [dataset('a'), dataset('b', 3)], next_page_token: 'p2' } },
    );
    const client = new CyclopsClient({ url: srv.url });
    const page = await client.datasets.list({ name_like: 'a%', max_results: 2 });
    expect(page.datasets.map((d) => d.name)).toEqual(['a', 'b']);
    expect(page.next_page_token).toBe('p2');
    expect(srv.requests[0]?.path).toBe('/api/v1/datasets');
    expect(Object.fromEntries(srv.requests[0]?.query ?? [])).toEqual({ name_like: 'a%', max_results: '2' });

    const names: string[] = [];
    for await (const d of client.datasets.listAll({ max_results: 2 })) names.push(d.name);
    expect(names).toEqual(['a', 'b', 'c']);
    expect(srv.requests.slice(1).map((r) => r.query.get('page_token'))).toEqual([null, 'p2']);
  });

  it('gets a dataset, its versions and one version', async () => {
    const srv = await fakeServer((req) => {
      if (req.path === '/api/v1/datasets/churn') return { json: { dataset: dataset('churn', 2) } };
      if (req.path === '/api/v1/datasets/churn/versions')
        return { json: { versions: [version(1), version(2)] } };
      if (req.path === '/api/v1/datasets/churn/versions/2') return { json: { version: version(2) } };
      return { status: 404, json: { error: { code: 'not_found', message: 'no such dataset', details: {} } } };
    });
    const client = new CyclopsClient({ url: srv.url });
    expect((await client.datasets.get('churn')).version_count).toBe(2);
    expect((await client.datasets.versions('churn')).map((v) => v.version)).toEqual([1, 2]);
    expect((await client.datasets.version('churn', 2)).content_hash).toBe('hash2');
    const missing = await rejection(client.datasets.get('nope'));
    expect(missing.code).toBe('not_found');
    expect(missing.status).toBe(404);
  });

  it('downloads a version as Parquet bytes', async () => {
    const parquet = Buffer.from('PAR1\u0000\u0001PAR1', 'latin1');
    const srv = await fakeServer(() => ({ raw: parquet }));
    const res = await new CyclopsClient({ url: srv.url }).datasets.downloadParquet('churn', 3);
    expect(srv.requests[0]?.path).toBe('/api/v1/datasets/churn/versions/3/parquet');
    expect(Buffer.from(await res.arrayBuffer()).equals(parquet)).toBe(true);
  });
});
