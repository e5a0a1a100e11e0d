import { describe, expect, it } from 'vitest';
import { CyclopsError } from '../../../core/index.js';
import { parseSearchSpace } from '../space-parse.js';
import { gridPoints, gridSampler } from './grid-sampler.js';

describe('grid sampler', () => {
  it('enumerates every combination, the first parameter slowest', () => {
    const space = parseSearchSpace({
      a: { type: 'categorical', choices: ['x', 'y'] },
      n: { type: 'int', low: 1, high: 3 },
    });
    expect(gridPoints(space)).toEqual([
      { a: 'x', n: 1 },
      { a: 'x', n: 2 },
      { a: 'x', n: 3 },
      { a: 'y', n: 1 },
      { a: 'y', n: 2 },
      { a: 'y', n: 3 },
    ]);
  });

  it('expands conditional parameters only where they are active', () => {
    const space = parseSearchSpace({
      algo: { type: 'categorical', choices: ['gbdt', 'rf', 'linear'] },
      max_depth: { type: 'int', low: 2, high: 4, step: 2, when: { param: 'algo', in: ['gbdt', 'rf'] } },
      booster: { type: 'categorical', choices: ['plain', 'dart'], when: { param: 'algo', in: ['gbdt'] } },
      drop: { type: 'uniform', low: 0.1, high: 0.3, num: 2, when: { param: 'booster', in: ['dart'] } },
    });
    expect(gridPoints(space)).toEqual([
      { algo: 'gbdt', max_depth: 2, booster: 'plain' },
      { algo: 'gbdt', max_depth: 2, booster: 'dart', drop: 0.1 },
      { algo: 'gbdt', max_depth: 2, booster: 'dart', drop: 0.3 },
      { algo: 'gbdt', max_depth: 4, booster: 'plain' },
      { algo: 'gbdt', max_depth: 4, booster: 'dart', drop: 0.1 },
      { algo: 'gbdt', max_depth: 4, booster: 'dart', drop: 0.3 },
      { algo: 'rf', max_depth: 2 },
      { algo: 'rf', max_depth: 4 },
      { algo: 'linear' },
    ]);
  });

  it('takes continuous values from grid or num, evenly spaced in log space for log parameters', () => {
    const space = parseSearchSpace({
      x: { type: 'uniform', low: 0, high: 1, num: 5 },
      lr: { type: 'log_uniform', low: 0.001, high: 0.1, num: 3 },
      g: { type: 'uniform', low: 0, high: 1, grid: [0.9, 0.1] },
      n: { type: 'int', low: 1, high: 1000, log: true, num: 4 },
    });
    const values = (name: string) => [...new Set(gridPoints(space).map((p) => p[name]))];
    expect(values('x')).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(values('lr')).toHaveLength(3);
    expect(values('lr')[0]).toBe(0.001);
    expect(values('lr')[1]).toBeCloseTo(0.01, 12);
    expect(values('lr')[2]).toBe(0.1);
    expect(values('g')).toEqual([0.9, 0.1]);
    expect(values('n')).toEqual([1, 10, 100, 1000]);
    expect(gridPoints(space)).toHaveLength(5 * 3 * 2 * 4);
  });

  it('maps trial n to point n and reports its size as capacity', () => {
    const space = parseSearchSpace({ n: { type: 'int', low: 0, high: 4 } });
    const sampler = gridSampler();
    expect(sampler.capacity?.(space)).toBe(5);
    const at = (trialNumber: number) =>
      sampler.sample({ space, history: [], direction: 'minimize', trialNumber });
    expect([3, 0, 4].map(at)).toEqual([{ n: 3 }, { n: 0 }, { n: 4 }]);
    expect(() => at(5)).toThrow(/the grid has 5 points; there is no point for trial 5/);
  });

  it('refuses a continuous parameter without grid or num, and grids too large to run', () => {
    const continuous = parseSearchSpace({ lr: { type: 'log_uniform', low: 0.01, high: 0.3 } });
    const err = (() => {
      try {
        gridSampler().capacity?.(continuous);
      } catch (e) {
        return e as CyclopsError;
      }
    })();
    expect(err).toBeInstanceOf(CyclopsError);
    expect(err?.message).toBe("grid search needs 'grid' or 'num' for the continuous parameter 'lr'");
    expect(err?.details.field).toBe('/lr');
    const huge = parseSearchSpace({
      a: { type: 'int', low: 0, high: 999 },
      b: { type: 'int', low: 0, high: 999 },
    });
    expect(() => gridPoints(huge)).toThrow(/more than 100000 points/);
  });
});
