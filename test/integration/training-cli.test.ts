import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, tempHome } from '../helpers/cli.js';
import { runCli, type ServerProcess, startServerProcess } from '../helpers/subprocess.js';

const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');
const STACK_FRAME = /^\s+at .+\(.*:\d+:\d+\)$/m;

/** Training as a user runs it: `cyclops train`, `cyclops training ...` and `cyclops predict` subprocesses. */
describe('cyclops train, training, predict', () => {
  const { home, cleanup } = tempHome();
  let server: ServerProcess;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);
  beforeAll(async () => {
    server = await startServerProcess(cliEnv(home));
    env = cliEnv(home, { CYCLOPS_URL: server.url });
    await cli('datasets', 'ingest', join(DATA, 'seattle-weather.csv'), '--name', 'weather');
    await cli('datasets', 'split', 'weather', '--test', '0.25', '--stratify', 'weather');
  });
  afterAll(async () => {
    if (server.child.exitCode === null) await server.stop();
    cleanup();
  });

  it('trains with params and a transform, reports the test metrics, and predicts rows from a file', async () => {
    const transform = join(home, 'transform.yaml');
    writeFileSync(transform, 'steps:\n  - { type: date_parts, columns: [date], parts: [month] }\n');
    const trained = await cli(
      'train',
      '--dataset',
      'weather-train',
      '--test',
      'weather-test@1',
      '--target',
      'weather',
      '--algo',
      'random_forest',
      '--param',
      'n_estimators=30',
      '--param',
      'max_depth=8',
      '--transform',
      transform,
      '--experiment',
      'weather',
      '--json',
    );
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    const result = JSON.parse(trained.stdout);
    expect(result).toMatchObject({ algorithm: 'random_forest', task: 'multiclass', evaluated_on: 'test' });
    expect(result.metrics.accuracy).toBeGreaterThan(0.6);
    expect(result.manifest.signature.classes).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun']);

    const shown = await cli('training', 'show', result.run_id);
    expect(shown.stdout).toMatch(/status:\s+finished/);
    expect(shown.stdout).toContain('metrics on the test data:');

    const rows = join(home, 'rows.jsonl');
    writeFileSync(
      rows,
      [
        { date: '2016-07-01', precipitation: 0, temp_max: 28, temp_min: 15, wind: 2.5 },
        { date: '2016-01-05', precipitation: 12, temp_max: 8, temp_min: 4, wind: 5 },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const predicted = await cli('predict', '--run', result.run_id, '--input', rows, '--json');
    expect(predicted.code).toBe(0);
    const predictions = JSON.parse(predicted.stdout);
    expect(predictions).toHaveLength(2);
    expect(predictions[0].prediction).toBe('sun');
    expect(predictions[1].prediction).toBe('rain');

    const table = await cli('predict', '--run', result.run_id, '--input', rows);
    expect(table.stdout).toMatch(/^ROW\s+PREDICTION\s+PROBABILITIES/);
  });

  it('lists algorithms with their params, and jobs', async () => {
    const algorithms = await cli('training', 'algorithms');
    expect(algorithms.stdout).toContain(
      'gbdt: Histogram gradient-boosted trees (regression, binary, multiclass)',
    );
    expect(algorithms.stdout).toMatch(/max_leaf_nodes\s+integer\s+31/);
    const jobs = await cli('training', 'jobs');
    expect(jobs.stdout).toMatch(/random_forest\s+finished\s+30\/30/);
  });

  it('tunes with a config file and shows the study', async () => {
    const config = join(home, 'tune.yaml');
    writeFileSync(
      config,
      [
        'name: weather-tuning',
        'train: weather-train',
        'test: weather-test',
        'target: weather',
        'algorithm: gbdt',
        'fixed_params: { max_iter: 15 }',
        'space:',
        '  learning_rate: { type: log_uniform, low: 0.05, high: 0.5 }',
        '  max_leaf_nodes: { type: int, low: 4, high: 16 }',
        'metric: accuracy',
        'n_trials: 3',
        'sampler: random',
      ].join('\n'),
    );
    const tuned = await cli('tune', '--config', config);
    expect(tuned.stderr).toBe('');
    expect(tuned.code).toBe(0);
    expect(tuned.stdout).toMatch(/status:\s+finished/);
    expect(tuned.stdout).toMatch(/trials:\s+3\/3, random, concurrency 1/);
    expect(tuned.stdout).toMatch(/metric:\s+accuracy \(maximize\)/);
    expect(tuned.stdout.match(/complete/g)).toHaveLength(3);
    const list = await cli('tune', 'list', '--json');
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ name: 'weather-tuning', status: 'finished' });
    const bad = join(home, 'bad.yaml');
    writeFileSync(
      bad,
      'name: x\ntrain: weather-train\ntarget: weather\nalgorithm: gbdt\nspace: { learning_rate: { type: uniform, low: 0.1, high: 0.2 } }\nmetric: accuracy\nn_trials: 0\n',
    );
    const refused = await cli('tune', '--config', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/n_trials/);
  });

  it('fails with exit 1 and a message naming the problem, without a stack trace', async () => {
    const unknown = await cli(
      'train',
      '--dataset',
      'weather-train',
      '--target',
      'weather',
      '--algo',
      'xgboost',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      "algorithm: unknown 'xgboost' (known: gbdt, random_forest, logistic, ridge)",
    );
    expect(unknown.stderr).not.toMatch(STACK_FRAME);
    const param = await cli(
      'train',
      '--dataset',
      'weather-train',
      '--target',
      'weather',
      '--algo',
      'gbdt',
      '--param',
      'max_iter',
    );
    expect(param.code).toBe(2);
    expect(param.stderr).toContain('expected NAME=VALUE');
    const missing = await cli(
      'predict',
      '--run',
      '0123456789abcdef0123456789abcdef',
      '--input',
      join(home, 'none.json'),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('input file not found');
  });
});
