import { describe, expect, it } from 'vitest';
import { type CyclopsError, isCyclopsError } from '../../../core/index.js';
import type { TrainingData } from '../../model.entity.js';
import { fitLogistic, LOGISTIC_PARAMS, loadLogistic } from './index.js';
import { columns, rowOf, stream } from './matrix.fixture.js';

function caught(fn: () => unknown): CyclopsError {
  try {
    fn();
  } catch (err) {
    if (isCyclopsError(err)) return err;
    throw err;
  }
  throw new Error('expected an error');
}

const rand = stream(5);
const N = 200;
const a = Array.from({ length: N }, () => rand() * 4 - 2);
const b = Array.from({ length: N }, () => rand() * 2 - 1);
const shade = Array.from({ length: N }, () => Math.floor(rand() * 3));
const x = columns({ a, shade, b }, { shade: ['light', 'mid', 'dark'] });
const noise = () => Math.log(rand() / (1 - rand() + 1e-12) + 1e-12);
const binary: TrainingData = {
  x,
  y: Float64Array.from(a, (v, i) => (2 * v - b[i]! + [-1, 0, 1][shade[i]!]! + noise() > 0 ? 1 : 0)),
  task: 'binary',
  classes: ['no', 'yes'],
};
const multiclass: TrainingData = {
  x,
  y: Float64Array.from(a, (v, i) => (v > 0.7 ? 2 : v + b[i]! > -0.3 ? 1 : shade[i] === 0 ? 0 : 1)),
  task: 'multiclass',
  classes: ['low', 'mid', 'high'],
};

describe('fitLogistic', () => {
  it('binary: two probabilities per row, column 1 = P(class 1), summing to 1', () => {
    const model = fitLogistic(binary);
    expect(model.outputs).toBe(2);
    expect(model.coef).toHaveLength(5);
    expect(model.intercept).toHaveLength(1);
    const p = model.predict(x);
    expect(p).toHaveLength(2 * N);
    let right = 0;
    for (let i = 0; i < N; i++) {
      expect(p[2 * i]! + p[2 * i + 1]!).toBeCloseTo(1, 15);
      if ((p[2 * i + 1]! > 0.5 ? 1 : 0) === binary.y[i]) right++;
    }
    expect(right / N).toBeGreaterThan(0.75);
    expect(model.coef[0]).toBeGreaterThan(0.5);
  });

  it('multiclass: one score per class, probabilities summing to 1', () => {
    const model = fitLogistic(multiclass);
    expect(model.outputs).toBe(3);
    expect(model.coef).toHaveLength(15);
    const p = model.predict(x);
    for (let i = 0; i < N; i++) expect(p[3 * i]! + p[3 * i + 1]! + p[3 * i + 2]!).toBeCloseTo(1, 14);
  });

  it.each([
    ['binary', binary],
    ['multiclass', multiclass],
  ])('%s: predictRow agrees with predict and round-trips through JSON bit-identically', (_, d) => {
    const model = fitLogistic(d, { C: 0.5 });
    const loaded = loadLogistic(JSON.parse(JSON.stringify(model)));
    const batch = model.predict(x);
    expect(Array.from(loaded.predict(x))).toEqual(Array.from(batch));
    expect(loaded.toJSON()).toEqual(model.toJSON());
    expect(loaded.classes).toEqual(d.classes);
    const out = new Float64Array(model.outputs);
    for (let i = 0; i < N; i++) {
      loaded.predictRow(rowOf(x, i), out);
      for (let k = 0; k < model.outputs; k++) expect(out[k]).toBeCloseTo(batch[i * model.outputs + k]!, 15);
    }
  });

  it('feature importance sums |coefficients| over classes and one-hot parts', () => {
    const model = fitLogistic(multiclass);
    const c = model.coef;
    const sum = (idx: number[]) => idx.reduce((s, j) => s + Math.abs(c[j]!), 0);
    const imp = model.featureImportance();
    expect(imp[0]).toBeCloseTo(sum([0, 5, 10]), 15);
    expect(imp[1]).toBeCloseTo(sum([1, 2, 3, 6, 7, 8, 11, 12, 13]), 15);
    expect(imp[2]).toBeCloseTo(sum([4, 9, 14]), 15);
  });

  it('a category code unknown at fit time adds nothing', () => {
    const model = fitLogistic(binary);
    const out = new Float64Array(2);
    model.predictRow(Float64Array.of(0.5, 9, -0.2), out);
    const z = model.intercept[0]! + 0.5 * model.coef[0]! - 0.2 * model.coef[4]!;
    expect(out[1]).toBeCloseTo(1 / (1 + Math.exp(-z)), 15);
  });

  it('calls onIteration once per iteration with train_loss, and stops when it returns false', () => {
    const losses: number[] = [];
    const full = fitLogistic(binary, {}, { onIteration: (_, m) => void losses.push(m.train_loss!) });
    expect(losses).toHaveLength(full.fit.iterations);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    const seen: number[] = [];
    const stopAfter3 = (i: number) => {
      seen.push(i);
      return i < 3;
    };
    const stopped = fitLogistic(binary, {}, { onIteration: stopAfter3 });
    expect(seen).toEqual([1, 2, 3]);
    expect(stopped.fit).toEqual({ iterations: 3, stop: 'callback' });
    expect(stopped.coef[0]).not.toBe(full.coef[0]);
  });

  it('reports validation_loss when given validation data', () => {
    const seen: Record<string, number>[] = [];
    fitLogistic(multiclass, {}, { validation: multiclass, onIteration: (_, m) => void seen.push(m) });
    for (const m of seen) expect(m.validation_loss).toBeCloseTo(m.train_loss!, 12);
  });

  it('stops with a clear error when the signal aborts, before or during the fit', () => {
    const before = new AbortController();
    before.abort();
    const err = caught(() => fitLogistic(binary, {}, { signal: before.signal }));
    expect(err.code).toBe('unavailable');
    expect(err.message).toBe('logistic regression: the fit was cancelled');
    const during = new AbortController();
    const mid = caught(() =>
      fitLogistic(
        binary,
        {},
        { signal: during.signal, onIteration: (i) => void (i === 2 && during.abort()) },
      ),
    );
    expect(mid.details.reason).toBe('cancelled');
  });

  it('honours max_iter and tol', () => {
    expect(fitLogistic(binary, { max_iter: 2 }).fit).toEqual({ iterations: 2, stop: 'max_iter' });
    const loose = fitLogistic(binary, { tol: 10 });
    expect(loose.fit.stop).toBe('gradient');
    expect(loose.fit.iterations).toBeLessThan(fitLogistic(binary).fit.iterations);
  });

  it('a smaller C shrinks the coefficients', () => {
    const strong = fitLogistic(binary, { C: 0.001 });
    const weak = fitLogistic(binary, { C: 100 });
    expect(Math.abs(strong.coef[0]!)).toBeLessThan(Math.abs(weak.coef[0]!) / 10);
  });

  it('refuses NaN features, naming the column; and NaN at predict time', () => {
    const withNaN = columns({ a: [0, 1, 2, 3], gap: [1, Number.NaN, 0, 1] });
    const err = caught(() => fitLogistic({ x: withNaN, y: Float64Array.of(0, 1, 0, 1), task: 'binary' }));
    expect(err.message).toBe(
      "logistic regression: column 'gap' has a missing value (NaN) in row 1; impute missing values before this model",
    );
    expect(err.details.field).toBe('/features/gap');
    const model = fitLogistic(binary);
    expect(() => model.predictRow(Float64Array.of(Number.NaN, 0, 0), new Float64Array(2))).toThrow(
      /column 'a'/,
    );
  });

  it('refuses a target with one class, bad class codes and a regression task', () => {
    expect(caught(() => fitLogistic({ ...binary, y: new Float64Array(N) })).message).toContain(
      'the target has 1 class(es); it needs at least 2',
    );
    expect(
      caught(() => fitLogistic({ ...binary, y: Float64Array.from(binary.y, (v) => v * 2) })).message,
    ).toContain('it must be a class code 0..1');
    expect(caught(() => fitLogistic({ ...binary, task: 'regression' })).message).toContain(
      'use ridge regression',
    );
  });

  it('validates params: range, type and unknown names, each naming the parameter', () => {
    expect(caught(() => fitLogistic(binary, { C: 0 })).message).toBe('C: must be > 0, got 0');
    expect(caught(() => fitLogistic(binary, { C: 'abc' })).message).toBe("C: must be a number, got 'abc'");
    expect(caught(() => fitLogistic(binary, { max_iter: 1.5 })).message).toBe(
      'max_iter: must be an integer, got 1.5',
    );
    expect(caught(() => fitLogistic(binary, { max_iter: 0 })).message).toBe('max_iter: must be >= 1, got 0');
    expect(caught(() => fitLogistic(binary, { tol: -1 })).message).toBe('tol: must be >= 0, got -1');
    expect(caught(() => fitLogistic(binary, { foo: 1 })).message).toBe(
      'foo: not a parameter of logistic regression (known: C, max_iter, tol)',
    );
    expect(fitLogistic(binary, { C: '0.5', max_iter: '50', tol: '1e-4' }).params).toEqual({
      C: 0.5,
      max_iter: 50,
      tol: 1e-4,
    });
    expect(LOGISTIC_PARAMS.map((p) => [p.name, p.type, p.default])).toEqual([
      ['C', 'number', 1],
      ['max_iter', 'integer', 100],
      ['tol', 'number', 1e-4],
    ]);
  });

  it('a class absent from the target keeps its place with a probability near 0', () => {
    const few = columns({ a: [0, 1, 2, 3, 4, 5] });
    const y = Float64Array.of(0, 0, 1, 0, 1, 1);
    const model = fitLogistic({ x: few, y, task: 'multiclass', classes: ['a', 'b', 'c'] });
    const p = model.predict(few);
    expect(model.outputs).toBe(3);
    for (let i = 0; i < 6; i++) expect(p[3 * i + 2]).toBeLessThan(1e-3);
  });

  it('refuses a model JSON of another algorithm or with the wrong shape', () => {
    const json = fitLogistic(binary).toJSON();
    expect(() => loadLogistic({ ...json, algorithm: 'ridge' })).toThrow(/algorithm "ridge"/);
    expect(() => loadLogistic({ ...json, coef: [[1, 2]] })).toThrow(/coef\/0: expected 5 finite numbers/);
  });
});
