import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FeatureMatrix, TrainingData } from '../../model.entity.js';
import { fitLogistic, fitRidge, minimizeLbfgs } from './index.js';

/**
 * Our fits against scikit-learn 1.2.1 and scipy 1.10.1 on the same inputs
 * (test/fixtures/linear-reference.py wrote the JSON, inputs included; nothing here runs Python).
 */
const REFERENCE = join(import.meta.dirname, '../../../../test/fixtures/linear-reference.json');

interface Dataset {
  rows: number;
  names: string[];
  categories: (string[] | null)[];
  columns: number[][];
  targets: Record<string, number[]>;
  classes: string[] | null;
}
interface RidgeCase {
  name: string;
  dataset: string;
  target: string;
  params: Record<string, number>;
  weights: number[] | null;
  coef: number[];
  intercept: number;
  predict: number[];
}
interface LogisticCase extends Omit<RidgeCase, 'coef' | 'intercept' | 'predict'> {
  solver: 'lbfgs' | 'newton-cg';
  coef: number[][];
  intercept: number[];
  n_iter: number;
  proba: number[];
  accuracy: number;
}
interface LbfgsCase {
  name: string;
  x0: number[];
  gtol: number;
  nit: number;
  nfev: number;
  x: number[];
  fun: number;
}
const ref = JSON.parse(readFileSync(REFERENCE, 'utf8')) as {
  datasets: Record<string, Dataset>;
  ridge: RidgeCase[];
  logistic: LogisticCase[];
  lbfgs: LbfgsCase[];
};

function matrix(ds: Dataset): FeatureMatrix {
  const values = new Float64Array(ds.rows * ds.names.length);
  ds.columns.forEach((column, j) => {
    values.set(column, j * ds.rows);
  });
  return { rows: ds.rows, columns: ds.names.length, values, names: ds.names, categories: ds.categories };
}

function data(c: RidgeCase | LogisticCase, task: TrainingData['task']): TrainingData {
  const ds = ref.datasets[c.dataset]!;
  return {
    x: matrix(ds),
    y: Float64Array.from(ds.targets[c.target]!),
    task,
    ...(c.weights ? { weights: Float64Array.from(c.weights) } : {}),
  };
}

/** Largest |ours - theirs|, relative to the largest |theirs| (so near-zero entries don't dominate). */
function scaledError(ours: ArrayLike<number>, theirs: number[]): number {
  expect(ours.length).toBe(theirs.length);
  const scale = Math.max(...theirs.map(Math.abs));
  let worst = 0;
  for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!) / scale);
  return worst;
}

/** Largest per-entry relative error. */
function relativeError(ours: ArrayLike<number>, theirs: number[]): number {
  expect(ours.length).toBe(theirs.length);
  let worst = 0;
  for (let i = 0; i < theirs.length; i++) {
    worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!) / Math.abs(theirs[i]!));
  }
  return worst;
}

function accuracy(proba: Float64Array, y: Float64Array, k: number): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c]! > proba[i * k + best]!) best = c;
    if (best === y[i]) right++;
  }
  return right / y.length;
}

describe('ridge against scikit-learn Ridge(solver="cholesky")', () => {
  it.each(ref.ridge.map((c) => [c.name, c] as const))(
    '%s: coefficients, intercept, predictions to 1e-8',
    (_, c) => {
      const d = data(c, 'regression');
      const model = fitRidge(d, c.params);
      expect(relativeError(model.coef, c.coef)).toBeLessThan(1e-8);
      expect(relativeError(model.intercept, [c.intercept])).toBeLessThan(1e-8);
      expect(relativeError(model.predict(d.x), c.predict)).toBeLessThan(1e-8);
    },
  );
});

describe('logistic regression against scikit-learn LogisticRegression(solver="lbfgs")', () => {
  const classesOf = (c: LogisticCase) => new Set(ref.datasets[c.dataset]!.targets[c.target]).size;
  const lbfgs = ref.logistic.filter((c) => c.solver === 'lbfgs');
  // Our L-BFGS takes scipy's steps: same iterations, same point, up to rounding. Unscaled iris is the
  // exception: ill-conditioned, its path amplifies rounding differences (1e-16 at the first iteration,
  // 1e-5 in the loss by the 80th), so where each run stops is only close.
  const followed = lbfgs.filter((c) => !c.name.startsWith('iris'));

  it.each(followed.map((c) => [c.name, c] as const))('%s: same iterations, same coefficients', (_, c) => {
    const k = classesOf(c);
    const d = data(c, k === 2 ? 'binary' : 'multiclass');
    const model = fitLogistic(d, c.params);
    expect(model.fit.iterations).toBe(c.n_iter);
    expect(scaledError(model.coef, c.coef.flat())).toBeLessThan(1e-6);
    expect(scaledError(model.intercept, c.intercept)).toBeLessThan(1e-6);
    const proba = model.predict(d.x);
    expect(scaledError(proba, c.proba)).toBeLessThan(1e-6);
    expect(accuracy(proba, d.y, k)).toBe(c.accuracy);
  });

  it('iris (raw units): stops at max_iter=100 as scikit-learn does, near the same point', () => {
    const c = lbfgs.find((x) => x.name === 'iris')!;
    const d = data(c, 'multiclass');
    const model = fitLogistic(d, c.params);
    expect(model.fit).toEqual({ iterations: 100, stop: 'max_iter' });
    expect(c.n_iter).toBe(100);
    expect(scaledError(model.coef, c.coef.flat())).toBeLessThan(3e-3);
    const proba = model.predict(d.x);
    expect(scaledError(proba, c.proba)).toBeLessThan(2e-3);
    expect(accuracy(proba, d.y, 3)).toBe(c.accuracy);
  });

  it('iris (raw units) to convergence: within 1e-3 of scikit-learn', () => {
    const c = lbfgs.find((x) => x.name === 'iris-max-iter-1000')!;
    const d = data(c, 'multiclass');
    const model = fitLogistic(d, c.params);
    expect(model.fit.stop).toBe('objective');
    expect(scaledError(model.coef, c.coef.flat())).toBeLessThan(1e-3);
    const proba = model.predict(d.x);
    expect(scaledError(proba, c.proba)).toBeLessThan(1e-3);
    expect(accuracy(proba, d.y, 3)).toBe(c.accuracy);
  });

  const optimum = ref.logistic.filter((c) => c.solver === 'newton-cg');
  it.each(optimum.map((c) => [c.name, c] as const))('%s: a tight fit reaches the optimum', (_, c) => {
    const k = classesOf(c);
    const d = data(c, k === 2 ? 'binary' : 'multiclass');
    const model = fitLogistic(d, { ...c.params, tol: 1e-10, max_iter: 10_000 });
    expect(scaledError(model.coef, c.coef.flat())).toBeLessThan(1e-3);
    expect(scaledError(model.predict(d.x), c.proba)).toBeLessThan(1e-3);
  });
});

describe('L-BFGS against scipy L-BFGS-B', () => {
  const rosenbrock = (x: Float64Array, g: Float64Array): number => {
    let f = 0;
    g.fill(0);
    for (let i = 0; i + 1 < x.length; i++) {
      const a = x[i + 1]! - x[i]! ** 2;
      const b = 1 - x[i]!;
      f += 100 * a * a + b * b;
      g[i] = g[i]! - 400 * x[i]! * a - 2 * b;
      g[i + 1] = g[i + 1]! + 200 * a;
    }
    return f;
  };

  it.each(ref.lbfgs.map((c) => [c.name, c] as const))('%s: same iterations and evaluations', (_, c) => {
    const result = minimizeLbfgs(rosenbrock, Float64Array.from(c.x0), { gtol: c.gtol });
    expect(result.iterations).toBe(c.nit);
    expect(result.evaluations).toBe(c.nfev);
    expect(result.stop).toBe('objective');
    expect(scaledError(result.x, c.x)).toBeLessThan(1e-6);
  });
});
