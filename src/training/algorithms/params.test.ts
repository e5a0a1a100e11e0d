import { describe, expect, it } from 'vitest';
import { isCyclopsError } from '../../core/index.js';
import { checkParams, type ParamSpec } from './params.js';

const SPECS: ParamSpec[] = [
  { name: 'C', type: 'number', default: 1, min: 0, exclusiveMin: true, description: 'inverse penalty' },
  { name: 'max_iter', type: 'integer', default: 100, min: 1, max: 1000, description: 'iterations' },
  { name: 'ratio', type: 'number', default: 0.5, min: 0, max: 1, description: 'a fraction' },
  { name: 'shuffle', type: 'boolean', default: false, description: 'shuffle rows' },
  { name: 'solver', type: 'string', default: 'a', values: ['a', 'b'], description: 'solver' },
];

function problem(raw: unknown): { message: string; details: Record<string, unknown> } {
  try {
    checkParams('test algorithm', SPECS, raw);
  } catch (err) {
    if (!isCyclopsError(err)) throw err;
    expect(err.code).toBe('invalid_argument');
    return { message: err.message, details: err.details };
  }
  throw new Error('expected checkParams to throw');
}

describe('checkParams', () => {
  it('fills every default when nothing is given', () => {
    const defaults = { C: 1, max_iter: 100, ratio: 0.5, shuffle: false, solver: 'a' };
    expect(checkParams('test algorithm', SPECS, undefined)).toEqual(defaults);
    expect(checkParams('test algorithm', SPECS, {})).toEqual(defaults);
  });

  it('accepts numbers, numeric strings and boolean strings as the CLI sends them', () => {
    const out = checkParams('test algorithm', SPECS, {
      C: '0.5',
      max_iter: ' 20 ',
      ratio: 1,
      shuffle: 'TRUE',
      solver: 'b',
    });
    expect(out).toEqual({ C: 0.5, max_iter: 20, ratio: 1, shuffle: true, solver: 'b' });
    expect(checkParams('test algorithm', SPECS, { max_iter: '1e2' }).max_iter).toBe(100);
  });

  it('refuses a value at an exclusive lower bound, naming the parameter and the range', () => {
    expect(problem({ C: 0 }).message).toBe('C: must be > 0, got 0');
    expect(problem({ C: '-1' }).message).toBe("C: must be > 0, got '-1'");
  });

  it('refuses values outside an inclusive range', () => {
    expect(problem({ ratio: -0.1 }).message).toBe('ratio: must be >= 0 and <= 1, got -0.1');
    expect(problem({ ratio: 1.5 }).message).toBe('ratio: must be <= 1 and >= 0, got 1.5');
    expect(problem({ max_iter: 0 }).message).toBe('max_iter: must be >= 1 and <= 1000, got 0');
  });

  it('refuses NaN, infinities and text that is not a number', () => {
    expect(problem({ C: Number.NaN }).message).toBe('C: must be a number, got NaN');
    expect(problem({ C: 'NaN' }).message).toBe("C: must be a number, got 'NaN'");
    expect(problem({ C: Number.POSITIVE_INFINITY }).message).toBe('C: must be a number, got Infinity');
    expect(problem({ C: 'abc' }).message).toBe("C: must be a number, got 'abc'");
    expect(problem({ C: '' }).message).toBe("C: must be a number, got ''");
  });

  it('refuses the wrong type', () => {
    expect(problem({ C: true }).message).toBe('C: must be a number, got true');
    expect(problem({ C: null }).message).toBe('C: must be a number, got null');
    expect(problem({ max_iter: 2.5 }).message).toBe('max_iter: must be an integer, got 2.5');
    expect(problem({ shuffle: 1 }).message).toBe('shuffle: must be true or false, got 1');
    expect(problem({ solver: 3 }).message).toBe('solver: must be a string, got 3');
    expect(problem({ solver: 'c' }).message).toBe("solver: must be one of a, b, got 'c'");
  });

  it('refuses unknown names and lists the known ones', () => {
    const p = problem({ foo: 1 });
    expect(p.message).toBe(
      'foo: not a parameter of test algorithm (known: C, max_iter, ratio, shuffle, solver)',
    );
    expect(p.details.field).toBe('/params/foo');
  });

  it('reports every problem in one error', () => {
    const p = problem({ C: -1, foo: 1, max_iter: 'x' });
    expect(p.message).toContain('foo: not a parameter');
    expect(p.message).toContain('C: must be > 0');
    expect(p.message).toContain('max_iter: must be an integer');
    expect(p.details.problems).toHaveLength(3);
  });

  it('refuses params that are not an object', () => {
    expect(problem([1, 2]).message).toContain('must be an object');
    expect(problem('C=1').message).toContain('must be an object');
  });

  it('does not take inherited keys for given params', () => {
    expect(checkParams('test algorithm', SPECS, Object.create({ C: 5 })).C).toBe(1);
  });
});
