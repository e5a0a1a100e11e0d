import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPath, readLock } from '../../src/store/index.js';
import { cliEnv, closedPort, deadPid, tempHome } from '../helpers/cli.js';
import { api } from '../helpers/platform.js';
import { runCli, type ServerProcess, startServerProcess } from '../helpers/subprocess.js';

/**
 * The `cyclops` command as a user runs it: a subprocess from source (tsx) against a real server process
 * on the embedded store (PGlite). Each spawn costs 1-2 s, so the tests share one server where they can.
 */

/** No stack frames ("    at fn (file:line)") in what a user sees. */
const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$/m;

describe('cyclops CLI: usage', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  it('--help and --version exit 0', async () => {
    const [help, version] = await Promise.all([
      runCli(['--help'], cliEnv(home)),
      runCli(['--version'], cliEnv(home)),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cyclops');
    for (const command of ['up', 'server', 'experiments', 'runs', 'config']) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command exits 2 with a hint; a bogus role exits 2 naming the valid roles', async () => {
    const [unknown, roles] = await Promise.all([
      runCli(['experimnts', 'list'], cliEnv(home)),
      runCli(['server', '--port', '0', '--roles', 'bogus'], cliEnv(home)),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'experimnts'");
    expect(unknown.stderr).toContain('(Did you mean experiments?)');
    expect(unknown.stderr).toContain("hint: see 'cyclops --help'");
    expect(unknown.stdout).toBe('');

    expect(roles.code).toBe(2);
    expect(roles.stderr).toContain("unknown role 'bogus'");
    expect(roles.stderr).toContain('valid roles are api, serving, worker, scheduler');
    expect(roles.stderr).toContain("hint: see 'cyclops server --help'");
    expect(roles.stdout).toBe('');
    // Refused before anything opened the data directory.
    expect(existsSync(lockPath(home))).toBe(false);
  });

  it('reports every configuration problem at once and exits 2', async () => {
    const res = await runCli(
      ['experiments', 'list'],
      cliEnv(home, { CYCLOPS_PORT: 'abc', CYCLOPS_LOG_LEVEL: 'loud' }),
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('Invalid configuration');
    expect(res.stderr).toContain("CYCLOPS_PORT: 'abc' is not an integer");
    expect(res.stderr).toContain("CYCLOPS_LOG_LEVEL: 'loud' is not one of");
    expect(res.stderr).toContain('cyclops config --docs');
    expect(res.stderr).not.toMatch(STACK_FRAME);
  });

  it('config --json prints the settings with the database password hidden', async () => {
    const res = await runCli(
      ['config', '--json'],
      cliEnv(home, { CYCLOPS_DATABASE_URL: 'postgres://u:secret@localhost/db', CYCLOPS_USER: 'ada' }),
    );
    expect(res.code).toBe(0);
    expect(res.stdout).not.toContain('secret');
    const settings = JSON.parse(res.stdout);
    expect(settings).toMatchObject({
      home,
      databaseUrl: 'postgres://u:***@localhost/db',
      port: 5055,
      logLevel: 'warn',
      user: 'ada',
      project: 'default',
    });
    expect(Object.keys(settings)).toEqual(
      expect.arrayContaining(['home', 'databaseUrl', 'host', 'port', 'url', 'user', 'project']),
    );
  });
});

describe('cyclops CLI against a server', () => {
  const { home, cleanup } = tempHome();
  let server: ServerProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startServerProcess(cliEnv(home));
    env = cliEnv(home, { CYCLOPS_URL: server.url });
  });
  afterAll(async () => {
    if (server.child.exitCode === null) await server.stop();
    cleanup();
  });

  it('prints the URL it listens on and records it in the lock file', () => {
    expect(server.output()).toMatch(
      /CyclOps server \(roles: api\) is running at http:\/\/127\.0\.0\.1:\d+ \(store: pglite\)/,
    );
    expect(readLock(home)).toMatchObject({ pid: server.child.pid, url: server.url });
  });

  let experimentId: string;

  it('experiments create / list / show', async () => {
    const created = await runCli(['experiments', 'create', 'demo', '--tag', 'team=ml', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const experiment = JSON.parse(created.stdout);
    expect(experiment).toMatchObject({ name: 'demo', lifecycle_stage: 'active' });
    expect(experiment.experiment_id).toMatch(/^\d+$/);
    experimentId = experiment.experiment_id;

    const [list, show] = await Promise.all([
      runCli(['experiments', 'list', '--json'], env),
      runCli(['experiments', 'show', 'demo'], env),
    ]);
    expect(list.code, list.stderr).toBe(0);
    const names = JSON.parse(list.stdout).map((e: any) => e.name);
    expect(names).toEqual(expect.arrayContaining(['Default', 'demo']));
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('demo');
    expect(show.stdout).toContain(experimentId);
    expect(show.stdout).toMatch(/team\s+ml/);
  });

  it('runs list / show show what was logged through the API; --filter filters', async () => {
    const runIds: string[] = [];
    for (const [name, acc] of [
      ['good', 0.9],
      ['bad', 0.3],
    ] as const) {
      const created = await api(server.url, 'POST', '/api/v1/runs', {
        experiment_id: experimentId,
        run_name: name,
      });
      expect(created.status).toBe(200);
      const runId: string = created.body.run.info.run_id;
      runIds.push(runId);
      const batch = await api(server.url, 'POST', `/api/v1/runs/${runId}/batch`, {
        params: [{ key: 'model', value: name === 'good' ? 'gbm' : 'linear' }],
        metrics: [
          { key: 'acc', value: acc / 2, step: 0 },
          { key: 'acc', value: acc, step: 1 },
        ],
      });
      expect(batch.status).toBe(200);
    }
    const [good, bad] = runIds as [string, string];

    const [list, show, filtered] = await Promise.all([
      runCli(['runs', 'list', '--experiment', 'demo', '--json'], env),
      runCli(['runs', 'show', good, '--json'], env),
      runCli(['runs', 'list', '--experiment', 'demo', '--filter', 'metrics.acc > 0.5', '--json'], env),
    ]);
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout);
    expect(listed.map((r: any) => r.info.run_id).sort()).toEqual([good, bad].sort());
    const listedGood = listed.find((r: any) => r.info.run_id === good);
    expect(listedGood.data.params).toEqual([{ key: 'model', value: 'gbm' }]);
    expect(listedGood.data.metrics).toEqual([expect.objectContaining({ key: 'acc', value: 0.9, step: 1 })]);

    expect(show.code, show.stderr).toBe(0);
    const run = JSON.parse(show.stdout);
    expect(run.info).toMatchObject({ run_id: good, run_name: 'good', experiment_id: experimentId });
    expect(run.data.params).toEqual([{ key: 'model', value: 'gbm' }]);
    expect(run.data.metrics).toEqual([expect.objectContaining({ key: 'acc', value: 0.9, step: 1 })]);

    expect(filtered.code, filtered.stderr).toBe(0);
    expect(JSON.parse(filtered.stdout).map((r: any) => r.info.run_id)).toEqual([good]);
  });

  it("a bad filter exits 1 with the server's message and no stack trace", async () => {
    const res = await runCli(['runs', 'list', '--filter', "metrics.acc > 'high'"], env);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^error: Expected a numeric value for metric 'acc'.*\(at filter\)$/m);
    expect(res.stderr).not.toMatch(STACK_FRAME);
  });

  it('an unknown experiment exits 1 with not-found hint', async () => {
    const res = await runCli(['experiments', 'show', 'nope'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("error: no experiment with id or name 'nope'");
    expect(res.stderr).toContain('hint:');
    expect(res.stderr).not.toMatch(STACK_FRAME);
  });

  it('without CYCLOPS_URL, commands find the server through the lock file; a second server is refused', async () => {
    // The default URL (from CYCLOPS_PORT) points at a closed port: only the lock can lead to the server.
    const noUrl = cliEnv(home, { CYCLOPS_PORT: String(await closedPort()) });
    const [list, second] = await Promise.all([
      runCli(['experiments', 'list', '--json'], noUrl),
      runCli(['server', '--port', '0'], cliEnv(home), 30_000),
    ]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((e: any) => e.name)).toContain('demo');

    expect(second.code).not.toBe(0);
    expect(second.stdout).not.toContain('is running at');
    expect(second.stderr).toContain(`is in use by the server at ${server.url}`);
    expect(second.stderr).toContain(`CYCLOPS_URL=${server.url}`);
    expect(second.stderr).not.toMatch(STACK_FRAME);
    // The refused server left the owner's lock alone.
    expect(readLock(home)).toMatchObject({ pid: server.child.pid, url: server.url });
  });

  it('stops on SIGTERM with exit 0 and releases the lock; then commands say to start a server', async () => {
    const code = await server.stop();
    expect(code).toBe(0);
    expect(server.output()).toContain('CyclOps stopped.');
    expect(existsSync(lockPath(home))).toBe(false);

    const port = await closedPort();
    const res = await runCli(['experiments', 'list'], cliEnv(home, { CYCLOPS_PORT: String(port) }));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      `error: no CyclOps server at http://127.0.0.1:${port}: start one with \`cyclops up\` or set CYCLOPS_URL`,
    );
    expect(res.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('cyclops server on a data directory with a stale lock', () => {
  const { home, cleanup } = tempHome();
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null) await server.stop();
    cleanup();
  });

  it('takes over a lock left by a dead process', async () => {
    const pid = await deadPid();
    const stale = { pid, host: hostname(), startedAt: Date.now() - 60_000, url: 'http://127.0.0.1:1' };
    writeFileSync(lockPath(home), JSON.stringify(stale));

    // With no live holder, the CLI ignores the lock's URL and falls back to the configured one.
    const port = await closedPort();
    const orphan = await runCli(['experiments', 'list'], cliEnv(home, { CYCLOPS_PORT: String(port) }));
    expect(orphan.code).toBe(1);
    expect(orphan.stderr).toContain(`no CyclOps server at http://127.0.0.1:${port}:`);

    server = await startServerProcess(cliEnv(home));
    expect(server.url).not.toBe(stale.url);
    expect(readLock(home)).toMatchObject({ pid: server.child.pid, url: server.url });
    const health = await api(server.url, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body.store).toBe('pglite');

    expect(await server.stop()).toBe(0);
    expect(existsSync(lockPath(home))).toBe(false);
  });
});
