import { describe, expect, it } from 'vitest';
import { isCyclopsError } from '../../../core/index.js';
import type { TrainingData } from '../../model.entity.js';
import { createRandom } from '../../random.js';
import { fitGbdt, GbdtModel, loadGbdt } from './gbdt.js';
import { dataOf, GBDT_CASES, matrixOf } from './gbdt-reference.fixture.js';

const penguins = GBDT_CASES.find((c) => c.name === 'penguins-categorical')!;
const cancer = GBDT_CASES.find((c) => c.name === 'breast-cancer-missing')!;

/** A synthetic binary task big enough for the helper thread (rows x features >= 1M). */
function synthetic(rows: number, features: number, seed: number): TrainingData {
  const rng = createRandom(seed);
  const values = new Float64Array(rows * features);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let score = 0;
    for (let j = 0; j < features; j++) {
      const v = rng.next() * 2 - 1;
      values[j * rows + i] = rng.next() < 0.05 ? Number.NaN : v;
      if (j < 4) score += v * (j + 1);
    }
    y[i] = rng.next() < 1 / (1 + Math.exp(-3 * score)) ? 1 : 0;
  }
  const names = Array.from({ length: features }, (_, j) => `x${j}`);
  return {
    x: { rows, columns: features, values, names, categories: names.map(() => null) },
    y,
    task: 'binary',
  };
}

const errorOf = (fn: () => unknown): Error & { code?: string; details?: Record<string, unknown> } => {
  try {
    fn();
  } catch (err) {
    if (isCyclopsError(err)) return err;
    throw err;
  }
  throw new Error('expected an error');
};

describe('fitGbdt', () => {
  it('predicts a batch and a row the same, and survives a JSON round trip', () => {
    const model = fitGbdt(dataOf(penguins, penguins.train), { max_iter: 10, early_stopping: 'off' });
    const x = matrixOf(penguins, penguins.test);
    const batch = model.predict(x);
    const reloaded = loadGbdt(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(reloaded.predict(x))).toEqual(Array.from(batch));
    const row = new Float64Array(x.columns);
    const out = new Float64Array(model.outputs);
    for (let i = 0; i < x.rows; i++) {
      for (let j = 0; j < x.columns; j++) row[j] = x.values[j * x.rows + i] as number;
      reloaded.predictRow(row, out);
      expect(Array.from(out)).toEqual(Array.from(batch.subarray(i * 3, i * 3 + 3)));
    }
    expect(model.outputs).toBe(3);
    expect(reloaded.classes).toEqual(penguins.classes);
  });

  it('sends unknown categories right and missing values where training said, at prediction', () => {
    const model = fitGbdt(dataOf(penguins, penguins.train), { max_iter: 5, early_stopping: 'off' });
    const out = new Float64Array(3);
    // Island code 99 is no category of the model; NaN everywhere is all missing.
    model.predictRow(Float64Array.of(99, 0, 40, 18, 190, 4000), out);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    model.predictRow(new Float64Array(6).fill(Number.NaN), out);
    expect(out.every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('is deterministic for a seed with row and feature subsampling, and the seed matters', () => {
    const data = dataOf(cancer, cancer.train);
    const params = { max_iter: 15, subsample: 0.6, colsample: 0.5, early_stopping: 'off' };
    const a = fitGbdt(data, params, { seed: 3 }).predict(data.x);
    const b = fitGbdt(data, params, { seed: 3 }).predict(data.x);
    const c = fitGbdt(data, params, { seed: 4 }).predict(data.x);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('gives the same model on one thread and on two', () => {
    const data = synthetic(60_000, 20, 1);
    const params = { max_iter: 8, early_stopping: 'off' };
    const one = fitGbdt(data, params, { threads: 1 });
    const two = fitGbdt(data, params, { threads: 2 });
    expect(JSON.stringify(two.toJSON())).toBe(JSON.stringify(one.toJSON()));
  });

  it('reports losses per round, stops when the callback says so, and stops early on its own', () => {
    const data = synthetic(12_000, 6, 2);
    const seen: Record<string, number>[] = [];
    const stopped = fitGbdt(
      data,
      { max_iter: 50 },
      {
        onIteration: (i, m) => {
          seen.push(m);
          return i < 4;
        },
      },
    );
    expect(stopped.iterations).toBe(5);
    expect(Object.keys(seen[0] ?? {}).sort()).toEqual(['train_loss', 'validation_loss']);
    expect((seen[4]?.train_loss as number) < (seen[0]?.train_loss as number)).toBe(true);
    // 'auto' turns early stopping on above 10,000 rows; a large learning rate overfits quickly.
    const early = fitGbdt(data, {
      max_iter: 500,
      learning_rate: 0.8,
      max_leaf_nodes: 63,
      min_samples_leaf: 2,
    });
    expect(early.iterations).toBeLessThan(500);
    expect(fitGbdt(data, { max_iter: 30, early_stopping: 'off' }).iterations).toBe(30);
  });

  it('stops with a clear error when cancelled', () => {
    const controller = new AbortController();
    controller.abort();
    const err = errorOf(() => fitGbdt(synthetic(500, 3, 1), {}, { signal: controller.signal }));
    expect(err.message).toMatch(/cancelled/);
  });

  it('ranks the features that matter by gain', () => {
    const model = fitGbdt(synthetic(5000, 8, 3), { max_iter: 20, early_stopping: 'off' });
    const importance = Array.from(model.featureImportance());
    expect(importance.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const top = importance.map((v, j) => [v, j] as const).sort((a, b) => b[0] - a[0]);
    expect(
      top
        .slice(0, 4)
        .map(([, j]) => j)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
  });
});

describe('fitGbdt refuses bad input, naming what is wrong', () => {
  const data = dataOf(cancer, cancer.train);
  it.each([
    [{ max_iter: 0 }, /max_iter: must be >= 1/],
    [{ learning_rate: -1 }, /learning_rate: must be > 0/],
    [{ max_bins: 300 }, /max_bins: must be <= 255/],
    [{ subsample: 1.5 }, /subsample: must be <= 1/],
    [{ early_stopping: 'sometimes' }, /early_stopping: must be one of auto, on, off/],
    [{ depth: 3 }, /depth: not a parameter of gradient-boosted trees/],
  ])('params %j', (params, message) => {
    const err = errorOf(() => fitGbdt(data, params));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toMatch(message);
  });

  it('a target with one class, a non-finite regression target, a code that is no category', () => {
    const oneClass = { ...data, y: new Float64Array(data.y.length) };
    expect(errorOf(() => fitGbdt(oneClass)).message).toMatch(/single class/);
    const regression: TrainingData = {
      ...data,
      task: 'regression',
      y: data.y.map((v, i) => (i === 7 ? Number.NaN : v)),
    };
    expect(errorOf(() => fitGbdt(regression)).message).toMatch(/target is NaN in row 7/);
    const p = dataOf(penguins, penguins.train);
    p.x.values[3] = 7;
    expect(errorOf(() => fitGbdt(p)).message).toMatch(/feature 'Island' has 7 in row 3/);
  });

  it('a class with a single row when early stopping holds out a stratified part', () => {
    const rows = 12_000;
    const base = synthetic(rows, 3, 9);
    const y = base.y.slice();
    y[5] = 2;
    const err = errorOf(() =>
      fitGbdt({ ...base, y, task: 'multiclass', classes: ['a', 'b', 'lonely'] }, { max_iter: 3 }),
    );
    expect(err.message).toMatch(
      /class 'lonely' has a single row: give validation data, set early_stopping to off/,
    );
    // With early stopping off there is nothing to stratify: it trains.
    expect(
      fitGbdt(
        { ...base, y, task: 'multiclass', classes: ['a', 'b', 'lonely'] },
        { max_iter: 3, early_stopping: 'off' },
      ).iterations,
    ).toBe(3);
  });

  it('a categorical feature with more categories than bins', () => {
    const rows = 600;
    const values = Float64Array.from({ length: rows }, (_, i) => i % 300);
    const categories = [Array.from({ length: 300 }, (_, i) => `c${i}`)];
    const wide: TrainingData = {
      x: { rows, columns: 1, values, names: ['code'], categories },
      y: Float64Array.from({ length: rows }, (_, i) => i % 2),
      task: 'binary',
    };
    expect(errorOf(() => fitGbdt(wide)).message).toMatch(
      /'code': 300 categories; native categorical splits take at most 255/,
    );
  });

  it('a stored model that is corrupt', () => {
    const json = fitGbdt(data, { max_iter: 2, early_stopping: 'off' }).toJSON();
    const trees = json.trees as Record<string, number[]>;
    expect(errorOf(() => loadGbdt({ ...json, format: 'other' })).message).toMatch(/expected format/);
    const looped = { ...trees, left: trees.left?.map((l) => (l > 0 ? 0 : l)) };
    expect(errorOf(() => loadGbdt({ ...json, trees: looped })).message).toMatch(/children out of order/);
  });

  it('predicting with the wrong number of features', () => {
    const model = fitGbdt(data, { max_iter: 2, early_stopping: 'off' });
    expect(model).toBeInstanceOf(GbdtModel);
    const x = matrixOf(penguins, penguins.test);
    expect(errorOf(() => model.predict(x)).message).toMatch(/expected 10 features, got 6/);
  });
});
