import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CyclopsClient } from '../../src/client/index.js';
import { api, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { BACKENDS } from '../helpers/stores.js';

const DATA = join(import.meta.dirname, '../../node_modules/vega-datasets/data');

/** Training over real HTTP, on real data: the SDK for the workflow, raw requests for bad input. */
describe.each(BACKENDS)('training API on %s', (backend) => {
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
    const cars = await readFile(join(DATA, 'cars.json'));
    await client.datasets.ingest('cars', new Uint8Array(cars), { format: 'json' });
  });
  afterAll(async () => platform?.close());

  it('trains, evaluates on the test data, records the run and predicts with the bundle', async () => {
    const progress: number[] = [];
    const job = await client.training.start({
      train: { dataset: 'penguins-train' },
      validation: { dataset: 'penguins-validation' },
      test: { dataset: 'penguins-test' },
      target: 'Species',
      algorithm: 'gbdt',
      params: { max_iter: 30, learning_rate: '0.2' },
      experiment: 'penguins',
      slice_by: 'Island',
    });
    expect(job).toMatchObject({ status: 'running', algorithm: 'gbdt', progress: { total: 30 } });
    const done = await client.training.wait(job.id, {
      intervalMs: 50,
      onProgress: (j) => progress.push(j.progress.done),
    });
    const result = done.result!;
    expect(result).toMatchObject({ task: 'multiclass', evaluated_on: 'test', iterations: 30 });
    expect(result.rows).toMatchObject({ train: 206, validation: 69, test: 69, dropped_missing_target: 0 });
    expect(result.metrics.accuracy).toBeGreaterThan(0.9);
    expect(result.manifest).toMatchObject({
      flavor: 'builtin',
      algorithm: 'gbdt',
      signature: { target: 'Species', classes: ['Adelie', 'Chinstrap', 'Gentoo'] },
      lineage: {
        datasets: [
          { dataset: 'penguins-train', version: 1, role: 'train' },
          { dataset: 'penguins-validation', version: 1, role: 'validation' },
          { dataset: 'penguins-test', version: 1, role: 'test' },
        ],
        runId: job.run_id,
        createdBy: 'alice',
      },
    });
    expect(progress.at(-1)).toBe(30);

    const run = await client.runs.get(job.run_id);
    expect(run.info.status).toBe('FINISHED');
    const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
    expect(params).toMatchObject({
      algorithm: 'gbdt',
      max_iter: '30',
      learning_rate: '0.2',
      test_dataset: 'penguins-test@1',
    });
    const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
    expect(metrics.test_accuracy).toBe(result.metrics.accuracy);
    const history = await client.runs.getMetricHistory(job.run_id, 'validation_loss');
    expect(history.metrics.length).toBe(30);
    const files = await client.runs.listArtifacts(job.run_id, 'model');
    expect(files.files.map((f) => f.path).sort()).toEqual(['model/model.json', 'model/payload.json']);
    const report = await (await client.runs.downloadArtifact(job.run_id, 'evaluation/report.json')).json();
    expect(report.slices.column).toBe('Island');
    expect(report.featureImportance.gain).toHaveLength(6);
    expect(report.evaluation.confusionMatrix).toHaveLength(3);

    // Scoring the bundle again on the test data gives the metrics training reported.
    const scored = await client.training.evaluate(job.run_id, { data: { dataset: 'penguins-test' } });
    expect(scored).toMatchObject({ dataset: 'penguins-test', version: 1, rows: 69 });
    for (const [key, value] of Object.entries(result.metrics)) {
      if (value === null) expect(scored.metrics[key]).toBeNull();
      else expect(scored.metrics[key]).toBeCloseTo(value, 12);
    }

    const [gentoo] = await client.training.predict(job.run_id, [
      {
        Island: 'Biscoe',
        'Beak Length (mm)': 48,
        'Beak Depth (mm)': 15,
        'Flipper Length (mm)': 220,
        'Body Mass (g)': 5300,
        Sex: 'MALE',
      },
    ]);
    expect(gentoo?.prediction).toBe('Gentoo');
    const sum = Object.values(gentoo?.probabilities ?? {}).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 9);
  });

  it('trains regression with a transform kept in the bundle, applied to rows at prediction', async () => {
    const { job } = (
      await api(platform.url, 'POST', '/api/v1/training/jobs?wait=true', {
        train: { dataset: 'cars' },
        target: 'Miles_per_Gallon',
        algorithm: 'ridge',
        params: { alpha: 1 },
        features: ['Horsepower', 'Weight_in_lbs', 'Origin', 'Cylinders'],
        transform: {
          steps: [
            { type: 'impute', columns: ['Horsepower'], strategy: 'median' },
            { type: 'scale', columns: ['Horsepower', 'Weight_in_lbs'], method: 'standard' },
          ],
        },
      })
    ).body;
    expect(job.error).toBeNull();
    expect(job.status).toBe('finished');
    expect(job.result.task).toBe('regression');
    expect(job.result.rows.dropped_missing_target).toBe(8);
    expect(job.result.metrics.r2).toBeGreaterThan(0.6);
    expect(job.result.manifest.transform.steps.map((s: { type: string }) => s.type)).toEqual([
      'impute',
      'scale',
      'drop',
    ]);
    const res = await api(platform.url, 'POST', `/api/v1/runs/${job.run_id}/model/predict`, {
      rows: [{ Horsepower: null, Weight_in_lbs: 3000, Origin: 'USA', Cylinders: 6 }],
    });
    // Only the columns the features come from are asked for.
    expect(job.result.manifest.signature.inputs.map((c: { name: string }) => c.name).sort()).toEqual([
      'Cylinders',
      'Horsepower',
      'Origin',
      'Weight_in_lbs',
    ]);
    expect(res.body).toMatchObject({ predictions: [{}] });
    expect(res.body.predictions[0].prediction).toBeGreaterThan(10);
    expect(res.body.predictions[0].prediction).toBeLessThan(40);
  });

  it('evaluates an ONNX bundle exported by PyTorch, uploaded as the artifacts of a run', async () => {
    const fixtures = join(import.meta.dirname, '../fixtures');
    const reference = JSON.parse(await readFile(join(fixtures, 'onnx/reference.json'), 'utf8'));
    const iris = reference.models['iris-mlp.onnx'] as {
      featureNames: string[];
      classes: string[];
      metrics: Record<string, number>;
    };
    const lines = (await readFile(join(fixtures, 'data/iris.csv'), 'utf8')).trim().split('\n').slice(1);
    const csv = [
      [...iris.featureNames, 'species'].join(','),
      ...lines.map((l) => {
        const v = l.split(',');
        return [...v.slice(0, 4), iris.classes[Number(v[4])]].join(',');
      }),
    ].join('\n');
    await client.datasets.ingest('iris', new TextEncoder().encode(csv), { format: 'csv' });
    const run = await client.runs.create({ run_name: 'pytorch-iris' });
    const manifest = {
      format: 'cyclops.bundle.v1',
      flavor: 'onnx',
      algorithm: 'onnx',
      task: 'multiclass',
      params: {},
      signature: {
        inputs: iris.featureNames.map((name) => ({ name, type: 'float' })),
        outputs: iris.classes,
        target: 'species',
        classes: iris.classes,
      },
      transform: null,
      features: iris.featureNames.map((name) => ({ name, kind: 'numeric' })),
      payload: 'model.onnx',
      metrics: {},
      lineage: { datasets: [], runId: null, codeVersion: 'torch 1.13', createdAt: 0, createdBy: 'alice' },
    };
    const id = run.info.run_id;
    await client.runs.uploadArtifact(
      id,
      'model/model.onnx',
      new Uint8Array(await readFile(join(fixtures, 'onnx/iris-mlp.onnx'))),
    );
    await client.runs.uploadArtifact(
      id,
      'model/model.json',
      new TextEncoder().encode(JSON.stringify(manifest)),
    );
    const scored = await client.training.evaluate(id, { data: { dataset: 'iris' } });
    expect(scored.rows).toBe(150);
    // The accuracy torch measured on the same 150 rows when it exported the model.
    expect(scored.metrics.accuracy).toBeCloseTo(iris.metrics.train_accuracy as number, 6);
    const [setosa] = await client.training.predict(id, [
      { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
    ]);
    expect(setosa?.prediction).toBe('setosa');
    const broken = await client.runs.create({});
    await client.runs.uploadArtifact(
      broken.info.run_id,
      'model/model.json',
      new TextEncoder().encode(JSON.stringify(manifest)),
    );
    await client.runs.uploadArtifact(
      broken.info.run_id,
      'model/model.onnx',
      new TextEncoder().encode('not onnx'),
    );
    const res = await api(platform.url, 'POST', `/api/v1/runs/${broken.info.run_id}/model/evaluate`, {
      data: { dataset: 'iris' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not a valid ONNX model/);
  });

  it('refuses bad input with 400 naming the problem, and creates no run', async () => {
    const before = (await client.runs.search({ experiment_ids: ['0'] })).runs.length;
    const bad = async (body: Record<string, unknown>, message: RegExp) => {
      const res = await api(platform.url, 'POST', '/api/v1/training/jobs', {
        train: { dataset: 'penguins-train' },
        target: 'Species',
        algorithm: 'gbdt',
        ...body,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    };
    await bad({ target: 'Wings' }, /target 'Wings': no such column/);
    await bad({ algorithm: 'xgboost' }, /unknown 'xgboost' \(known: gbdt, random_forest, logistic, ridge\)/);
    await bad({ params: { max_depth: -1 } }, /max_depth: must be >= 0/);
    await bad({ params: { depth: 3 } }, /depth: not a parameter/);
    await bad({ algorithm: 'ridge' }, /'ridge' does not do multiclass/);
    await bad({ features: ['Island', 'Nope'] }, /no column 'Nope'/);
    await bad(
      { transform: { steps: [{ type: 'scale', columns: ['Island'], method: 'standard' }] } },
      /steps\[0\]/,
    );
    // A constant target: nothing to learn.
    await client.datasets.ingest('constant', new TextEncoder().encode('x,y\n1,same\n2,same\n3,same\n'), {
      format: 'csv',
    });
    const res = await api(platform.url, 'POST', '/api/v1/training/jobs', {
      train: { dataset: 'constant' },
      target: 'y',
      algorithm: 'logistic',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/single class 'same'/);
    // A feature with no value at all.
    await client.datasets.ingest('hollow', new TextEncoder().encode('x,empty,y\n1,,a\n2,,b\n3,,a\n4,,b\n'), {
      format: 'csv',
    });
    const hollow = await api(platform.url, 'POST', '/api/v1/training/jobs', {
      train: { dataset: 'hollow' },
      target: 'y',
      algorithm: 'gbdt',
    });
    expect(hollow.status).toBe(400);
    expect(hollow.body.error.message).toMatch(/feature 'empty' has no values in the training data/);
    expect((await client.runs.search({ experiment_ids: ['0'] })).runs.length).toBe(before);
    const noData = await api(platform.url, 'POST', '/api/v1/training/jobs', {
      train: { dataset: 'nothing' },
      target: 'Species',
      algorithm: 'gbdt',
    });
    expect(noData.status).toBe(404);
    expect(noData.body.error.message).toMatch(/nothing/);
    const missing = await api(platform.url, 'GET', '/api/v1/training/jobs/0123456789abcdef0123456789abcdef');
    expect(missing.status).toBe(404);
  });

  it('marks the run FAILED when the fit fails, and leaves no model bundle', async () => {
    // Logistic regression refuses missing values (impute them first): the data loads, the fit fails.
    const { job } = (
      await api(platform.url, 'POST', '/api/v1/training/jobs?wait=true', {
        train: { dataset: 'penguins-train' },
        target: 'Species',
        algorithm: 'logistic',
      })
    ).body;
    expect(job.status).toBe('failed');
    expect(job.error.message).toMatch(/NaN|missing/);
    const run = await client.runs.get(job.run_id);
    expect(run.info.status).toBe('FAILED');
    expect(run.data.tags.find((t) => t.key === 'cyclops.error')?.value).toMatch(/NaN|missing/);
    expect((await client.runs.listArtifacts(job.run_id)).files).toEqual([]);
  });
});
