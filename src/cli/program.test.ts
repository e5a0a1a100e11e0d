import { describe, expect, it } from 'vitest';
import type { CliConfig, CliDeps, StartServerOptions } from './index.js';
import { createProgram, runCli } from './index.js';

const RUN_ID = '0123456789abcdef0123456789abcdef';

const CONFIG: CliConfig = {
  url: 'http://127.0.0.1:5055',
  user: 'ada',
  project: 'default',
  host: '127.0.0.1',
  port: 5055,
  databaseUrl: 'postgres://cyclops:s3cret@db:5432/cyclops',
};

const experiment = (id: string, name: string) => ({
  experiment_id: id,
  name,
  artifact_location: `file:///artifacts/${id}`,
  lifecycle_stage: 'active',
  creation_time: Date.UTC(2025, 0, 2, 3, 4, 5),
  last_update_time: Date.UTC(2025, 0, 2, 3, 4, 6),
  tags: [{ key: 'team', value: 'ml' }],
});

const run = {
  info: {
    run_id: RUN_ID,
    run_uuid: RUN_ID,
    run_name: 'bold-owl',
    experiment_id: '7',
    user_id: 'ada',
    status: 'FINISHED',
    start_time: Date.UTC(2025, 0, 2),
    end_time: Date.UTC(2025, 0, 2) + 83_000,
    artifact_uri: `file:///artifacts/7/${RUN_ID}`,
    lifecycle_stage: 'active',
  },
  data: {
    metrics: [
      { key: 'rmse', value: 0.123456789, timestamp: Date.UTC(2025, 0, 2), step: 9 },
      { key: 'loss', value: 'NaN', timestamp: Date.UTC(2025, 0, 2), step: 9 },
    ],
    params: [{ key: 'lr', value: '0.01' }],
    tags: [],
  },
};

interface Call {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

type Route = (call: Call) => { status?: number; json: unknown } | undefined;

/** A fetch that answers from `route`, recording each call; an undefined answer is a 404. */
function fakeFetch(route: Route): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const call = {
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      headers: new Headers(init?.headers),
      body,
    };
    calls.push(call);
    const answer = route(call) ?? {
      status: 404,
      json: { error: { code: 'not_found', message: `nothing at ${call.url.pathname}`, details: {} } },
    };
    return new Response(JSON.stringify(answer.json), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch: fetchImpl, calls };
}

interface Harness {
  deps: CliDeps;
  stdout: () => string;
  stderr: () => string;
  started: StartServerOptions[];
  closed: () => number;
}

function harness(overrides: Partial<CliDeps> = {}): Harness {
  let out = '';
  let err = '';
  let closed = 0;
  const started: StartServerOptions[] = [];
  const deps: CliDeps = {
    version: '1.2.3',
    loadConfig: () => ({ ...CONFIG }),
    startServer: async (options) => {
      started.push(options);
      return {
        url: `http://${options.host}:${options.port}`,
        store: 'pglite',
        close: async () => {
          closed++;
        },
      };
    },
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    env: {},
    waitForShutdown: () => Promise.resolve('SIGINT'),
    ...overrides,
  };
  return { deps, stdout: () => out, stderr: () => err, started, closed: () => closed };
}

const cli = (h: Harness, ...args: string[]) => runCli(h.deps, args, { from: 'user' });

describe('cyclops up and server', () => {
  it('starts every role, says where, and closes on the shutdown signal', async () => {
    const h = harness();
    expect(await cli(h, 'up')).toBe(0);
    expect(h.started).toEqual([{ host: '127.0.0.1', port: 5055, roles: ['api'], open: undefined }]);
    expect(h.stdout()).toBe(
      'CyclOps is running at http://127.0.0.1:5055 (store: pglite). Press Ctrl+C to stop.\n',
    );
    expect(h.stderr()).toContain('Received SIGINT');
    expect(h.closed()).toBe(1);
  });

  it('keeps running until the signal comes', async () => {
    let stop: (signal: string) => void = () => {};
    const h = harness({ waitForShutdown: () => new Promise((resolve) => (stop = resolve)) });
    const exit = cli(h, 'up', '--port', '6000', '--host', '0.0.0.0', '--open');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.started[0]).toEqual({ host: '0.0.0.0', port: 6000, roles: ['api'], open: true });
    expect(h.closed()).toBe(0);
    stop('SIGTERM');
    expect(await exit).toBe(0);
    expect(h.closed()).toBe(1);
  });

  it('asks /healthz for the store when startServer does not say', async () => {
    const { fetch } = fakeFetch((c) =>
      c.url.pathname === '/healthz' ? { json: { status: 'ok', store: 'postgres', version: '1' } } : undefined,
    );
    const h = harness({
      fetch,
      startServer: async () => ({ url: 'http://127.0.0.1:7000', close: async () => {} }),
    });
    expect(await cli(h, 'up')).toBe(0);
    expect(h.stdout()).toContain('(store: postgres)');
  });

  it('passes the chosen roles to the server', async () => {
    const h = harness();
    expect(await cli(h, 'server', '--roles', 'api,serving,api', '--port', '0')).toBe(0);
    expect(h.started[0]?.roles).toEqual(['api', 'serving']);
    expect(h.started[0]?.port).toBe(0);
    expect(h.stdout()).toContain('CyclOps server (roles: api, serving) is running at');
  });

  it('refuses an unknown role with the valid ones and exit code 2', async () => {
    const h = harness();
    expect(await cli(h, 'server', '--roles', 'api,gpu')).toBe(2);
    expect(h.stderr()).toContain("unknown role 'gpu': valid roles are api, serving, worker, scheduler");
    expect(h.started).toHaveLength(0);
  });

  it('reports a server that cannot start, with a hint and exit code 1', async () => {
    const h = harness({
      startServer: async () => {
        throw Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:5055'), {
          code: 'EADDRINUSE',
        });
      },
    });
    expect(await cli(h, 'up')).toBe(1);
    expect(h.stderr()).toMatch(/^error: listen EADDRINUSE.*\nhint: pick another port/);
  });
});

describe('cyclops experiments', () => {
  it('lists as JSON on stdout only, with the global options applied', async () => {
    const { fetch, calls } = fakeFetch(() => ({ json: { experiments: [experiment('7', 'churn')] } }));
    const h = harness({ fetch });
    const code = await cli(
      h,
      '--url',
      'http://remote:9000/',
      '--user',
      'bob',
      '--project',
      'fraud',
      'experiments',
      'list',
      '--view',
      'all',
      '--json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(h.stdout())).toEqual([experiment('7', 'churn')]);
    expect(h.stderr()).toBe('');
    expect(calls[0]?.url.href).toBe('http://remote:9000/api/v1/experiments?view_type=all');
    expect(calls[0]?.headers.get('x-cyclops-user')).toBe('bob');
    expect(calls[0]?.headers.get('x-cyclops-project')).toBe('fraud');
  });

  it('lists as a table with ISO times', async () => {
    const { fetch } = fakeFetch(() => ({
      json: { experiments: [experiment('7', 'churn'), experiment('8', 'fraud')] },
    }));
    const h = harness({ fetch });
    expect(await cli(h, 'experiments', 'list')).toBe(0);
    const lines = h.stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+CREATED\s+UPDATED$/);
    expect(lines[1]).toMatch(/^7\s+churn\s+2025-01-02T03:04:05.000Z\s+2025-01-02T03:04:06.000Z$/);
    expect(lines).toHaveLength(3);
  });

  it('shows an experiment by id, or by name when no id matches', async () => {
    const { fetch, calls } = fakeFetch((c) => {
      if (c.url.pathname === '/api/v1/experiments/by-name/2024')
        return { json: { experiment: experiment('9', '2024') } };
      if (c.url.pathname === '/api/v1/experiments/by-name/churn')
        return { json: { experiment: experiment('7', 'churn') } };
      return undefined;
    });
    const h = harness({ fetch });
    expect(await cli(h, 'experiments', 'show', 'churn')).toBe(0);
    expect(h.stdout()).toMatch(/ID:\s+7\nName:\s+churn\n/);
    expect(h.stdout()).toMatch(/team\s+ml/);
    expect(await cli(h, 'experiments', 'show', '2024', '--json')).toBe(0);
    expect(calls.map((c) => c.url.pathname)).toEqual([
      '/api/v1/experiments/by-name/churn',
      '/api/v1/experiments/2024',
      '/api/v1/experiments/by-name/2024',
    ]);
  });

  it('says what to do when an experiment does not exist', async () => {
    const h = harness({ fetch: fakeFetch(() => undefined).fetch });
    expect(await cli(h, 'experiments', 'show', 'nope')).toBe(1);
    expect(h.stdout()).toBe('');
    expect(h.stderr()).toBe(
      "error: no experiment with id or name 'nope'\nhint: 'cyclops experiments list' and 'cyclops runs list' show what exists\n",
    );
  });

  it('creates an experiment with tags', async () => {
    const { fetch, calls } = fakeFetch(() => ({ json: { experiment: experiment('3', 'new') } }));
    const h = harness({ fetch });
    expect(await cli(h, 'experiments', 'create', 'new', '--tag', 'team=ml', '--tag', 'q=a=b')).toBe(0);
    expect(calls[0]?.body).toEqual({
      name: 'new',
      tags: [
        { key: 'team', value: 'ml' },
        { key: 'q', value: 'a=b' },
      ],
    });
    expect(h.stdout()).toBe("Created experiment 'new' (id 3).\n");
  });
});

describe('cyclops runs', () => {
  it('searches with the experiment resolved, filter, order and max', async () => {
    const { fetch, calls } = fakeFetch((c) =>
      c.url.pathname.endsWith('/by-name/churn')
        ? { json: { experiment: experiment('7', 'churn') } }
        : { json: { runs: [run] } },
    );
    const h = harness({ fetch });
    const code = await cli(
      h,
      'runs',
      'list',
      '--experiment',
      'churn',
      '--filter',
      'metrics.rmse < 1',
      '--order-by',
      'metrics.rmse ASC',
      'start_time DESC',
      '--max',
      '5',
      '--json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(h.stdout())).toEqual([run]);
    expect(calls[1]?.method).toBe('POST');
    expect(calls[1]?.body).toEqual({
      experiment_ids: ['7'],
      filter: 'metrics.rmse < 1',
      order_by: ['metrics.rmse ASC', 'start_time DESC'],
      run_view_type: 'active',
      max_results: 5,
    });
  });

  it('lists runs as a table and says when there are more', async () => {
    const { fetch } = fakeFetch(() => ({ json: { runs: [run], next_page_token: 'more' } }));
    const h = harness({ fetch });
    expect(await cli(h, 'runs', 'list', '--max', '1')).toBe(0);
    expect(h.stdout()).toMatch(
      new RegExp(`${RUN_ID}\\s+bold-owl\\s+7\\s+FINISHED\\s+ada\\s+2025-01-02T00:00:00.000Z\\s+1m 23s`),
    );
    expect(h.stderr()).toContain('raise --max');
  });

  it('shows a run with params, latest metrics and tags', async () => {
    const { fetch, calls } = fakeFetch(() => ({ json: { run } }));
    const h = harness({ fetch });
    expect(await cli(h, 'runs', 'show', RUN_ID)).toBe(0);
    const out = h.stdout();
    expect(calls[0]?.url.pathname).toBe(`/api/v1/runs/${RUN_ID}`);
    expect(out).toMatch(/Status:\s+FINISHED/);
    expect(out).toMatch(/Duration:\s+1m 23s/);
    expect(out).toMatch(/Params:\nKEY\s+VALUE\nlr\s+0\.01\n/);
    expect(out).toMatch(/rmse\s+0\.123457\s+9\s+2025-01-02T00:00:00.000Z/);
    expect(out).toMatch(/loss\s+NaN/);
    expect(out).toContain('Tags: (none)');
    expect(await cli(h, 'runs', 'show', RUN_ID, '--json')).toBe(0);
  });

  it('rejects a bad --max as a usage error', async () => {
    const h = harness();
    expect(await cli(h, 'runs', 'list', '--max', '0')).toBe(2);
    expect(h.stderr()).toMatch(/^error: option '--max <n>' argument '0' is invalid/);
    expect(h.stderr()).toContain("hint: see 'cyclops runs list --help'");
  });
});

describe('errors', () => {
  it('explains that no server is running, without a stack trace', async () => {
    const h = harness({
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
    });
    expect(await cli(h, 'runs', 'list')).toBe(1);
    expect(h.stderr()).toBe(
      'error: no CyclOps server at http://127.0.0.1:5055: start one with `cyclops up` or set CYCLOPS_URL\n',
    );
    expect(h.stdout()).toBe('');
  });

  it('prints the stack trace with CYCLOPS_DEBUG=1', async () => {
    const h = harness({ env: { CYCLOPS_DEBUG: '1' }, fetch: fakeFetch(() => undefined).fetch });
    expect(await cli(h, 'runs', 'show', RUN_ID)).toBe(1);
    expect(h.stderr()).toMatch(/^error: nothing at .*\nhint: .*\nCyclopsApiError: .*\n\s+at /);
  });

  it('shows the field of an invalid argument', async () => {
    const { fetch } = fakeFetch(() => ({
      status: 400,
      json: { error: { code: 'invalid_argument', message: 'bad filter', details: { field: '/filter' } } },
    }));
    const h = harness({ fetch });
    expect(await cli(h, 'runs', 'list', '--filter', 'x ==')).toBe(1);
    expect(h.stderr()).toBe('error: bad filter (at /filter)\n');
  });

  it('treats a bad configuration and a bad --url as usage errors', async () => {
    const h = harness({
      loadConfig: () => {
        throw new Error('Invalid configuration:\n  - CYCLOPS_PORT: abc is not an integer');
      },
    });
    expect(await cli(h, 'experiments', 'list')).toBe(2);
    expect(h.stderr()).toContain('error: Invalid configuration:\n  - CYCLOPS_PORT');
    const h2 = harness();
    expect(await cli(h2, '--url', 'localhost:5055', 'runs', 'list')).toBe(2);
    expect(h2.stderr()).toContain("error: --url 'localhost:5055' is not an http(s) URL");
  });

  it('exits 2 on unknown commands, unknown options and missing arguments', async () => {
    for (const args of [
      ['nope'],
      ['runs', 'list', '--bogus'],
      ['runs', 'show'],
      ['runs'],
      ['experiments', 'list', '--view', 'x'],
    ]) {
      const h = harness();
      expect(await cli(h, ...args), args.join(' ')).toBe(2);
      expect(h.stderr(), args.join(' ')).not.toBe('');
      expect(h.stdout()).toBe('');
    }
  });

  it('exits 0 for --help and --version', async () => {
    const h = harness();
    expect(await cli(h, '--version')).toBe(0);
    expect(h.stdout()).toBe('1.2.3\n');
    expect(await cli(h, 'runs', 'list', '--help')).toBe(0);
    expect(h.stdout()).toContain('Usage: cyclops runs list');
  });

  it('createProgram throws CommanderError instead of exiting the process', async () => {
    const h = harness();
    const program = createProgram(h.deps);
    await expect(program.parseAsync(['runs', 'show'], { from: 'user' })).rejects.toMatchObject({
      exitCode: 2,
    });
  });
});

describe('cyclops config', () => {
  it('prints the effective settings with secrets hidden', async () => {
    const h = harness();
    expect(await cli(h, '--user', 'carol', 'config', '--json')).toBe(0);
    const config = JSON.parse(h.stdout());
    expect(config.user).toBe('carol');
    expect(config.databaseUrl).toBe('postgres://cyclops:***@db:5432/cyclops');
    expect(h.stdout()).not.toContain('s3cret');
    expect(await cli(h, 'config')).toBe(0);
    expect(h.stdout()).toMatch(/port\s+5055\s+CYCLOPS_PORT/);
  });

  it('documents every setting', async () => {
    const h = harness();
    expect(await cli(h, 'config', '--docs')).toBe(0);
    expect(h.stdout()).toContain('| `CYCLOPS_DATABASE_URL` |');
  });
});
