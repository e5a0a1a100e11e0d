import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../../test/helpers/stores.js';
import type { RequestContext } from '../../core/index.js';
import { type DatasetFixture, openDatasetFixture } from '../../data/dataset-service.fixture.js';
import { LocalExecutor } from '../../exec/index.js';
import { TrainingService } from '../training.service.js';
import { MemoryTracker } from './studies.fixture.js';
import { StudyService } from './studies.service.js';

const ctx: RequestContext = { actor: { id: 1, name: 'tester' }, projectId: 'default' };
const IRIS = join(import.meta.dirname, '../../../test/fixtures/data/iris.csv');
const SPECIES = ['setosa', 'versicolor', 'virginica'];

/** iris.csv (sklearn's header line, classes as 0-2) as two clean CSVs: every third row validates. */
async function writeIris(dir: string): Promise<{ train: string; valid: string }> {
  const lines = (await readFile(IRIS, 'utf8')).trim().split('\n').slice(1);
  const header = 'sepal_length,sepal_width,petal_length,petal_width,species';
  const rows = lines.map((line) => {
    const cells = line.split(',');
    return [...cells.slice(0, 4), SPECIES[Number(cells[4])]].join(',');
  });
  const train = join(dir, 'iris-train.csv');
  const valid = join(dir, 'iris-valid.csv');
  await writeFile(train, [header, ...rows.filter((_, i) => i % 3 !== 0)].join('\n'));
  await writeFile(valid, [header, ...rows.filter((_, i) => i % 3 === 0)].join('\n'));
  return { train, valid };
}

describe.each(BACKENDS)('a study training real models on %s', (backend) => {
  let fx: DatasetFixture;
  let scratch: string;
  let executor: LocalExecutor;
  let tracker: MemoryTracker;
  let studies: StudyService;
  beforeAll(async () => {
    fx = await openDatasetFixture(backend);
    scratch = await mkdtemp(join(tmpdir(), 'cyclops-study-'));
    const files = await writeIris(scratch);
    for (const [name, path] of [
      ['iris-train', files.train],
      ['iris-valid', files.valid],
    ] as const) {
      await fx.datasets.ingest(ctx, {
        datasetName: name,
        body: createReadStream(path),
        format: 'csv',
        maxBytes: 1e7,
      });
    }
    executor = new LocalExecutor({ poolSize: 1 });
    tracker = new MemoryTracker();
    const training = new TrainingService({ datasets: fx.datasets, executor, tracker, codeVersion: 'test' });
    studies = new StudyService({ db: fx.store.store.db, training, tracker });
  });
  afterAll(async () => {
    await studies?.close();
    await executor?.close();
    await fx?.dispose();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('compares gbdt and random forest on iris; each trial is a child run with a model bundle', async () => {
    const { id } = await studies.start(ctx, {
      name: 'iris-tuning',
      train: 'iris-train',
      validation: 'iris-valid',
      target: 'species',
      fixed_params: { max_iter: 12, early_stopping: 'off', max_bins: 32 },
      space: {
        algorithm: { type: 'categorical', choices: ['gbdt', 'random_forest'] },
        learning_rate: {
          type: 'log_uniform',
          low: 0.05,
          high: 0.5,
          when: { param: 'algorithm', in: ['gbdt'] },
        },
        n_estimators: { type: 'int', low: 3, high: 8, when: { param: 'algorithm', in: ['random_forest'] } },
        min_samples_leaf: { type: 'int', low: 2, high: 10 },
      },
      metric: 'log_loss',
      sampler: 'random',
      n_trials: 4,
      seed: 2,
    });
    const ended = await studies.wait(ctx, id);
    expect(ended).toMatchObject({ status: 'finished', direction: 'minimize', error: null });

    const study = await studies.get(ctx, id);
    expect(study.trials).toHaveLength(4);
    expect(new Set(study.trials.map((x) => x.params.algorithm))).toEqual(new Set(['gbdt', 'random_forest']));
    for (const trial of study.trials) {
      expect(trial.state).toBe('complete');
      const run = tracker.run(trial.runId as string);
      expect(run).toMatchObject({ status: 'FINISHED', name: `iris-tuning-trial-${trial.number}` });
      expect(run.tags).toMatchObject({
        'mlflow.parentRunId': study.parentRunId,
        'cyclops.training.algorithm': trial.params.algorithm,
        'cyclops.training.task': 'multiclass',
      });
      expect(run.artifacts.has('model/model.json')).toBe(true);
      // The trial's value is the metric its run recorded on the validation data.
      const logged = run.metrics.find((m) => m.key === 'validation_log_loss');
      expect(logged?.value).toBe(trial.value);
      expect(run.params.min_samples_leaf).toBe(String(trial.params.min_samples_leaf));
      if (trial.params.algorithm === 'gbdt') {
        expect(run.params.learning_rate).toBe(String(trial.params.learning_rate));
        // 12 boosting rounds, each with its validation loss.
        expect(trial.intermediate.map(([step]) => step)).toHaveLength(12);
        for (const [, loss] of trial.intermediate) expect(loss).toBeGreaterThan(0);
      } else {
        expect(run.params.n_estimators).toBe(String(trial.params.n_estimators));
      }
    }
    const best = study.trials.reduce((a, b) => ((b.value as number) < (a.value as number) ? b : a));
    expect(study.bestTrial).toBe(best.number);
    const parent = tracker.run(study.parentRunId as string);
    expect(parent.status).toBe('FINISHED');
    expect(parent.tags['cyclops.tuning.best_run']).toBe(best.runId);
    expect(parent.params['best.algorithm']).toBe(best.params.algorithm);
    expect(parent.metrics.filter((m) => m.key === 'best_log_loss').at(-1)?.value).toBe(best.value);
  });
});
