import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CyclopsClient } from '../../src/client/index.js';
import { api, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { BACKENDS } from '../helpers/stores.js';

const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');

const study = (overrides: Record<string, unknown> = {}) => ({
  name: 'penguins-tuning',
  train: 'penguins-train',
  validation: 'penguins-validation',
  target: 'Species',
  fixed_params: { max_iter: 20 },
  space: {
    algorithm: { type: 'categorical', choices: ['gbdt', 'random_forest'] },
    learning_rate: { type: 'log_uniform', low: 0.02, high: 0.5, when: { param: 'algorithm', in: ['gbdt'] } },
    n_estimators: {
      type: 'int',
      low: 10,
      high: 30,
      step: 10,
      when: { param: 'algorithm', in: ['random_forest'] },
    },
    min_samples_leaf: { type: 'int', low: 2, high: 20 },
  },
  metric: 'log_loss',
  n_trials: 4,
  concurrency: 2,
  seed: 3,
  ...overrides,
});

/** Tuning over real HTTP: studies of real trainings, each trial a child run of the study's run. */
describe.each(BACKENDS)('tuning API on %s', (backend) => {
  let platform: TestPlatform;
  let client: CyclopsClient;
  beforeAll(async () => {
    platform = await startTestPlatform(backend);
    client = new CyclopsClient({ url: platform.url, user: 'alice' });
    const penguins = await readFile(join(DATA, 'penguins.json'));
    await client.datasets.ingest('penguins', new Uint8Array(penguins), { format: 'json' });
    await client.datasets.split('penguins', 1, {
      spec: {
        method: 'stratified',
        target: 'Species',
        fractions: { train: 0.6, validation: 0.2, test: 0.2 },
      },
    });
  });
  afterAll(async () => platform?.close());

  it('runs a study of trials as child runs and records the best on the study run', async () => {
    const started = await client.tuning.start(study());
    expect(started).toMatchObject({
      status: 'running',
      metric: 'log_loss',
      direction: 'minimize',
      sampler: 'tpe',
    });
    const seen: number[] = [];
    const { study: done, trials } = await client.tuning.wait(started.id, {
      intervalMs: 100,
      onProgress: (s) => seen.push(s.progress.completed),
    });
    expect(done.status).toBe('finished');
    expect(trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete', 'complete']);
    const best = trials.reduce((a, b) => ((a.value as number) <= (b.value as number) ? a : b));
    expect(done.best_trial).toBe(best.number);
    expect(seen.at(-1)).toBe(4);

    for (const t of trials) {
      const run = await client.runs.get(t.run_id as string);
      expect(run.info.status).toBe('FINISHED');
      expect(run.data.tags.find((tag) => tag.key === 'mlflow.parentRunId')?.value).toBe(done.parent_run_id);
      const loss = run.data.metrics.find((m) => m.key === 'validation_log_loss')?.value;
      expect(loss).toBe(t.value);
      // Each trial's algorithm gets only its own params.
      const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
      if (t.params.algorithm === 'gbdt') expect(params.n_estimators).toBeUndefined();
      else expect(params.learning_rate).toBeUndefined();
    }
    const parent = await client.runs.get(done.parent_run_id as string);
    expect(parent.info.status).toBe('FINISHED');
    const tags = Object.fromEntries(parent.data.tags.map((t) => [t.key, t.value]));
    expect(tags['cyclops.tuning.best_run']).toBe(best.run_id);
    expect(parent.data.metrics.find((m) => m.key === 'best_log_loss')?.value).toBe(best.value);
    expect(parent.data.params.find((p) => p.key === 'best.min_samples_leaf')?.value).toBe(
      String(best.params.min_samples_leaf),
    );

    const listed = await client.tuning.list();
    expect(listed.studies[0]?.id).toBe(done.id);
  });

  it('cancels and resumes a study: the same total, no number twice, the same study run', async () => {
    const started = await client.tuning.start(
      study({ name: 'resumable', n_trials: 6, concurrency: 1, sampler: 'random' }),
    );
    // Let a trial or two finish, then stop it.
    for (let i = 0; i < 100; i++) {
      const { study: s } = await client.tuning.get(started.id);
      if (s.progress.completed >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const cancelled = await client.tuning.cancel(started.id);
    expect(cancelled.status).toBe('cancelled');
    const resumed = await client.tuning.resume(started.id);
    expect(resumed.status).toBe('running');
    const { study: done, trials } = await client.tuning.wait(started.id, { intervalMs: 100 });
    expect(done.status).toBe('finished');
    expect(done.parent_run_id).toBe(started.parent_run_id);
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(trials.every((t) => t.state === 'complete')).toBe(true);
  });

  it('refuses a bad config with 400 naming the field', async () => {
    const bad = async (config: Record<string, unknown>, message: RegExp) => {
      const res = await api(platform.url, 'POST', '/api/v1/tuning/studies', { config });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    };
    await bad(study({ metric: 'rocauc' }), /metric: unknown 'rocauc'/);
    await bad(study({ n_trials: 0 }), /n_trials/);
    await bad(
      study({ space: { learning_rate: { type: 'log_uniform', low: 0, high: 1 } } }),
      /space\.learning_rate/,
    );
    await bad(study({ sampler: 'bayes' }), /sampler/);
    const missing = await api(platform.url, 'GET', '/api/v1/tuning/studies/999');
    expect(missing.status).toBe(404);
  });
});
