import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliConfig, CliDeps } from './index.js';
import { runCli } from './index.js';

const CONFIG: CliConfig = {
  url: 'http://127.0.0.1:5055',
  user: 'ada',
  project: 'default',
  host: '127.0.0.1',
  port: 5055,
};

const version = (n: number, dataset = 'churn') => ({
  dataset,
  version: n,
  content_hash: `hash${n}`,
  row_count: 1000,
  bytes: 4096,
  schema: [
    { name: 'id', type: 'integer', nullable: false, kind: 'numeric' },
    { name: 'plan', type: 'string', nullable: true, kind: 'categorical' },
  ],
  source: { kind: 'upload', format: 'csv', file_name: 'churn.csv' },
  artifact_path: `datasets/${dataset}/${n}/data.parquet`,
  created_by: 'ada',
  created_at: Date.UTC(2025, 0, 2),
});

const dataset = (name: string, versions: number) => ({
  name,
  description: 'Customer churn',
  created_by: 'ada',
  created_at: Date.UTC(2025, 0, 1),
  version_count: versions,
  latest_version: version(versions, name),
});

type Route = (url: URL) => { status?: number; json: unknown } | undefined;

function fakeFetch(route: Route): { fetch: typeof fetch; urls: URL[] } {
  const urls: URL[] = [];
  const fetchImpl = async (input: RequestInfo | URL): Promise<Response> => {
    const url = new URL(String(input));
    urls.push(url);
    const answer = route(url) ?? {
      status: 404,
      json: { error: { code: 'not_found', message: `nothing at ${url.pathname}`, details: {} } },
    };
    return new Response(JSON.stringify(answer.json), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch: fetchImpl, urls };
}

function harness(overrides: Partial<CliDeps> = {}) {
  let out = '';
  let err = '';
  const deps: CliDeps = {
    version: '1.2.3',
    loadConfig: () => ({ ...CONFIG }),
    startServer: async () => {
      throw new Error('not in these tests');
    },
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    env: {},
    ...overrides,
  };
  return {
    run: (...args: string[]) => runCli(deps, args, { from: 'user' }),
    stdout: () => out,
    stderr: () => err,
  };
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cyclops-datasets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

/** A real server, so the file goes through Readable.toWeb and Node's fetch exactly as in use. */
async function uploadServer(created: boolean) {
  const received: Array<{ path: string; query: URLSearchParams; body: Buffer }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      received.push({ path: url.pathname, query: url.searchParams, body: Buffer.concat(chunks) });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ created, version: version(created ? 3 : 2) }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received };
}

describe('cyclops datasets ingest', () => {
  it('streams the file with the format from its extension and prints a summary', async () => {
    const file = join(dir, 'churn.csv');
    const content = Buffer.concat([Buffer.from('id;plan\n'), Buffer.alloc(300_000, 0x61), Buffer.from('\n')]);
    await writeFile(file, content);
    const srv = await uploadServer(true);
    const h = harness();
    const code = await h.run(
      '--url',
      srv.url,
      'datasets',
      'ingest',
      file,
      '--name',
      'churn',
      '--delimiter',
      ';',
      '--no-header',
      '--description',
      'Customer churn',
    );
    expect(h.stderr()).toBe('');
    expect(code).toBe(0);
    expect(h.stdout()).toBe('dataset churn version 3: 1000 rows, 2 columns (new)\n');
    const req = srv.received[0];
    expect(req?.path).toBe('/api/v1/datasets/churn/versions');
    expect(Object.fromEntries(req?.query ?? [])).toEqual({
      format: 'csv',
      file_name: 'churn.csv',
      header: 'false',
      delimiter: ';',
      description: 'Customer churn',
    });
    expect(req?.body.equals(content)).toBe(true);
  });

  it('says when the content was already there, and prints JSON with --json', async () => {
    const file = join(dir, 'rows.data');
    await writeFile(file, '{"a":1}\n');
    const srv = await uploadServer(false);
    const h = harness();
    expect(
      await h.run('--url', srv.url, 'datasets', 'ingest', file, '--name', 'churn', '--format', 'jsonl'),
    ).toBe(0);
    expect(h.stdout()).toBe(
      'dataset churn version 2: 1000 rows, 2 columns (unchanged: identical to version 2)\n',
    );
    expect(srv.received[0]?.query.get('format')).toBe('jsonl');
    expect(srv.received[0]?.query.has('header')).toBe(false);

    const j = harness();
    expect(
      await j.run(
        '--url',
        srv.url,
        'datasets',
        'ingest',
        file,
        '--name',
        'churn',
        '--format',
        'jsonl',
        '--json',
      ),
    ).toBe(0);
    expect(JSON.parse(j.stdout())).toEqual({ created: false, version: version(2) });
  });

  it('asks for --format when the extension does not say, with exit code 2', async () => {
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'a,b\n');
    const { fetch, urls } = fakeFetch(() => undefined);
    const h = harness({ fetch });
    expect(await h.run('datasets', 'ingest', file, '--name', 'churn')).toBe(2);
    expect(h.stderr()).toContain(`cannot tell the format of '${file}' from its extension '.txt'`);
    expect(h.stderr()).toContain('--format csv|tsv|parquet|json|jsonl');
    expect(urls).toHaveLength(0);
  });

  it('names a missing file, with exit code 2', async () => {
    const file = join(dir, 'missing.csv');
    const { fetch, urls } = fakeFetch(() => undefined);
    const h = harness({ fetch });
    expect(await h.run('datasets', 'ingest', file, '--name', 'churn')).toBe(2);
    expect(h.stderr()).toContain(`file not found: ${file}`);
    expect(urls).toHaveLength(0);
  });

  it('refuses a bad format, a long delimiter and a missing --name with exit code 2', async () => {
    const file = join(dir, 'x.csv');
    await writeFile(file, 'a\n');
    expect(await harness().run('datasets', 'ingest', file, '--name', 'c', '--format', 'xlsx')).toBe(2);
    expect(await harness().run('datasets', 'ingest', file, '--name', 'c', '--delimiter', ';;')).toBe(2);
    const h = harness();
    expect(await h.run('datasets', 'ingest', file)).toBe(2);
    expect(h.stderr()).toContain("required option '--name <dataset>' not specified");
  });

  it('reports a server error with exit code 1', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(file, 'a\n"x\n');
    const { fetch } = fakeFetch(() => ({
      status: 400,
      json: { error: { code: 'invalid_argument', message: 'line 2: unterminated quote', details: {} } },
    }));
    const h = harness({ fetch });
    expect(await h.run('datasets', 'ingest', file, '--name', 'churn')).toBe(1);
    expect(h.stderr()).toContain('line 2: unterminated quote');
  });
});

describe('cyclops datasets list and show', () => {
  it('lists every page as JSON, or as a table', async () => {
    const { fetch, urls } = fakeFetch((url) =>
      url.searchParams.get('page_token') === 'p2'
        ? { json: { datasets: [dataset('iris', 1)] } }
        : { json: { datasets: [dataset('churn', 3)], next_page_token: 'p2' } },
    );
    const h = harness({ fetch });
    expect(await h.run('datasets', 'list', '--json')).toBe(0);
    expect(JSON.parse(h.stdout())).toEqual([dataset('churn', 3), dataset('iris', 1)]);
    expect(urls[0]?.pathname).toBe('/api/v1/datasets');

    const t = harness({ fetch });
    expect(await t.run('datasets', 'list')).toBe(0);
    const lines = t.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+VERSIONS\s+LATEST\s+ROWS\s+CREATED$/);
    expect(lines[1]).toMatch(/^churn\s+3\s+3\s+1000\s+2025-01-01T00:00:00.000Z$/);
    expect(lines).toHaveLength(3);
  });

  it('says so when there are no datasets', async () => {
    const { fetch } = fakeFetch(() => ({ json: { datasets: [] } }));
    const h = harness({ fetch });
    expect(await h.run('datasets', 'list')).toBe(0);
    expect(h.stdout()).toContain('No datasets.');
  });

  it('shows the latest version with its schema, or a given one', async () => {
    const { fetch, urls } = fakeFetch((url) => {
      if (url.pathname === '/api/v1/datasets/churn') return { json: { dataset: dataset('churn', 3) } };
      if (url.pathname === '/api/v1/datasets/churn/versions/2') return { json: { version: version(2) } };
      return undefined;
    });
    const h = harness({ fetch });
    expect(await h.run('datasets', 'show', 'churn', '--json')).toBe(0);
    expect(JSON.parse(h.stdout())).toEqual({ dataset: dataset('churn', 3), version: version(3) });

    const v = harness({ fetch });
    expect(await v.run('datasets', 'show', 'churn', '2', '--json')).toBe(0);
    expect(JSON.parse(v.stdout()).version).toEqual(version(2));
    expect(urls.at(-1)?.pathname).toBe('/api/v1/datasets/churn/versions/2');

    const t = harness({ fetch });
    expect(await t.run('datasets', 'show', 'churn')).toBe(0);
    expect(t.stdout()).toMatch(/Version:\s+3\n/);
    expect(t.stdout()).toMatch(
      /COLUMN\s+TYPE\s+KIND\s+NULLABLE\nid\s+integer\s+numeric\s+no\nplan\s+string\s+categorical\s+yes\n/,
    );

    const bad = harness({ fetch });
    expect(await bad.run('datasets', 'show', 'churn', 'latest')).toBe(2);

    const missing = harness({ fetch });
    expect(await missing.run('datasets', 'show', 'nope')).toBe(1);
    expect(missing.stderr()).toContain('nothing at /api/v1/datasets/nope');
  });
});
