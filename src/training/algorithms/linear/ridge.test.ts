import { describe, expect, it } from 'vitest';
import { type CyclopsError, isCyclopsError } from '../../../core/index.js';
import { fitRidge, loadRidge, RIDGE_PARAMS } from './index.js';
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

const rand = stream(11);
const N = 60;
const a = Array.from({ length: N }, () => rand() * 4 - 2);
const b = Array.from({ length: N }, () => rand() * 10);
const color = Array.from({ length: N }, (_, i) => i % 3);
const y = a.map((v, i) => 3 * v - 0.5 * b[i]! + [1, -2, 0.5][color[i]!]! + 7 + (rand() - 0.5) * 0.1);
const x = columns({ a, color, b }, { color: ['red', 'green', 'blue'] });
const data = { x, y: Float64Array.from(y), task: 'regression' as const };

describe('fitRidge', () => {
  it('recovers an exact linear relation with alpha = 0 (ordinary least squares)', () => {
    const exact = columns({ u: [0, 1, 2, 3, 4], v: [1, 0, 1, 0, 2] });
    const target = Float64Array.from([0, 1, 2, 3, 4], (u, i) => 2 * u - [1, 0, 1, 0, 2][i]! + 5);
    const model = fitRidge({ x: exact, y: target, task: 'regression' }, { alpha: 0 });
    expect(model.coef[0]).toBeCloseTo(2, 12);
    expect(model.coef[1]).toBeCloseTo(-1, 12);
    expect(model.intercept[0]).toBeCloseTo(5, 12);
  });

  it('shrinks the coefficients as alpha grows, and leaves the intercept free', () => {
    const small = fitRidge(data, { alpha: 0.01 });
    const large = fitRidge(data, { alpha: 1e6 });
    expect(Math.abs(large.coef[0]!)).toBeLessThan(Math.abs(small.coef[0]!) / 100);
    const mean = y.reduce((s, v) => s + v, 0) / N;
    expect(large.intercept[0]).toBeCloseTo(mean, 2);
  });

  it('one-hot encodes a categorical column and keeps the mapping', () => {
    const model = fitRidge(data, { alpha: 0.01 });
    const json = model.toJSON();
    expect(json.coefficient_names).toEqual(['a', 'color=red', 'color=green', 'color=blue', 'b']);
    expect(json.features).toEqual([
      { name: 'a', categories: null },
      { name: 'color', categories: ['red', 'green', 'blue'] },
      { name: 'b', categories: null },
    ]);
    // The category effects come back relative to each other (their mean is absorbed by the intercept).
    const [red, green, blue] = [model.coef[1]!, model.coef[2]!, model.coef[3]!];
    expect(red - green).toBeCloseTo(3, 1);
    expect(blue - green).toBeCloseTo(2.5, 1);
  });

  it('scores a code outside the known categories as all-zero one-hot parts', () => {
    const model = fitRidge(data, {});
    const out = new Float64Array(1);
    model.predictRow(Float64Array.of(1, 7, 2), out);
    expect(out[0]).toBeCloseTo(model.intercept[0]! + model.coef[0]! + 2 * model.coef[4]!, 12);
    model.predictRow(Float64Array.of(1, 0.5, 2), out);
    expect(out[0]).toBeCloseTo(model.intercept[0]! + model.coef[0]! + 2 * model.coef[4]!, 12);
  });

  it('matches categories by name when the matrix lists them in another order or has new ones', () => {
    const model = fitRidge(data, {});
    const renamed = columns({ a: [1, 1], color: [0, 1], b: [2, 2] }, { color: ['blue', 'purple'] });
    const pred = model.predict(renamed);
    const base = model.intercept[0]! + model.coef[0]! + 2 * model.coef[4]!;
    expect(pred[0]).toBeCloseTo(base + model.coef[3]!, 12);
    expect(pred[1]).toBeCloseTo(base, 12);
  });

  it('predict and predictRow agree', () => {
    const model = fitRidge(data, {});
    const batch = model.predict(x);
    const out = new Float64Array(1);
    for (let i = 0; i < N; i++) {
      model.predictRow(rowOf(x, i), out);
      expect(out[0]).toBe(batch[i]);
    }
  });

  it('round-trips through JSON to bit-identical predictions', () => {
    const model = fitRidge(data, { alpha: '2.5' });
    const loaded = loadRidge(JSON.parse(JSON.stringify(model)));
    expect(loaded.params).toEqual({ alpha: 2.5 });
    expect(loaded.featureNames).toEqual(['a', 'color', 'b']);
    expect(Array.from(loaded.predict(x))).toEqual(Array.from(model.predict(x)));
    expect(loaded.toJSON()).toEqual(model.toJSON());
  });

  it('feature importance: |coefficient| per column, one-hot parts summed', () => {
    const model = fitRidge(data, {});
    const imp = model.featureImportance();
    const c = model.coef;
    expect(Array.from(imp)).toEqual([
      Math.abs(c[0]!),
      Math.abs(c[1]!) + Math.abs(c[2]!) + Math.abs(c[3]!),
      Math.abs(c[4]!),
    ]);
  });

  it('refuses a NaN, naming the column and the row', () => {
    const withNaN = columns({ a: [1, 2, Number.NaN], b: [1, 2, 3] });
    const err = caught(() => fitRidge({ x: withNaN, y: Float64Array.of(1, 2, 3), task: 'regression' }));
    expect(err.code).toBe('invalid_argument');
    expect(err.message).toContain("column 'a' has a missing value (NaN) in row 2");
    expect(err.details.column).toBe('a');
    const model = fitRidge(data, {});
    expect(() => model.predictRow(Float64Array.of(1, Number.NaN, 2), new Float64Array(1))).toThrow(
      /column 'color' has a missing value/,
    );
    expect(() => model.predict(columns({ a: [1], color: [0], b: [Number.NaN] }))).toThrow(/column 'b'/);
  });

  it('refuses bad category codes, a NaN target and a classification task', () => {
    const bad = columns({ c: [0, 1, 3] }, { c: ['x', 'y'] });
    expect(
      caught(() => fitRidge({ x: bad, y: Float64Array.of(1, 2, 3), task: 'regression' })).message,
    ).toContain("column 'c' has the category code 3");
    expect(
      caught(() => fitRidge({ ...data, y: Float64Array.from(y, (v, i) => (i ? v : Number.NaN)) })).message,
    ).toContain('the target is NaN in row 0');
    expect(caught(() => fitRidge({ ...data, task: 'binary' })).message).toContain('use logistic regression');
  });

  it('refuses columns other than the fitted ones at predict time', () => {
    const model = fitRidge(data, {});
    expect(() => model.predict(columns({ a: [1], b: [2], color: [0] }))).toThrow(
      /expects the columns a, color, b/,
    );
  });

  it('fails clearly on a singular system with alpha = 0', () => {
    // One-hot parts sum to 1: collinear with the intercept.
    const err = caught(() => fitRidge(data, { alpha: 0 }));
    expect(err.message).toContain('not positive definite');
    expect(err.details.field).toBe('/params/alpha');
  });

  it('validates params with the parameter name and range', () => {
    expect(caught(() => fitRidge(data, { alpha: -1 })).message).toBe('alpha: must be >= 0, got -1');
    expect(caught(() => fitRidge(data, { lambda: 1 })).message).toBe(
      'lambda: not a parameter of ridge regression (known: alpha)',
    );
    expect(RIDGE_PARAMS.map((p) => [p.name, p.default])).toEqual([['alpha', 1]]);
  });

  it('weights rows: integer weights equal repeated rows', () => {
    const twice = columns(
      {
        a: [...a, ...a.slice(0, 10)],
        color: [...color, ...color.slice(0, 10)],
        b: [...b, ...b.slice(0, 10)],
      },
      {
        color: ['red', 'green', 'blue'],
      },
    );
    const repeated = fitRidge({
      x: twice,
      y: Float64Array.from([...y, ...y.slice(0, 10)]),
      task: 'regression',
    });
    const weights = Float64Array.from({ length: N }, (_, i) => (i < 10 ? 2 : 1));
    const weighted = fitRidge({ ...data, weights });
    for (let j = 0; j < 5; j++) expect(weighted.coef[j]).toBeCloseTo(repeated.coef[j]!, 10);
    expect(weighted.intercept[0]).toBeCloseTo(repeated.intercept[0]!, 10);
  });

  it('reports train and validation loss once, and honours an aborted signal', () => {
    const seen: [number, Record<string, number>][] = [];
    fitRidge(data, {}, { validation: data, onIteration: (i, m) => void seen.push([i, m]) });
    expect(seen).toHaveLength(1);
    expect(seen[0]![1].train_loss).toBeGreaterThan(0);
    expect(seen[0]![1].validation_loss).toBe(seen[0]![1].train_loss);
    const controller = new AbortController();
    controller.abort();
    const err = caught(() => fitRidge(data, {}, { signal: controller.signal }));
    expect(err.code).toBe('unavailable');
    expect(err.message).toBe('ridge regression: the fit was cancelled');
  });
});
