import { invalid } from '../../../core/index.js';
import { isActive, type ParamSpec, type Params, type ParamValue, type SearchSpace } from '../space.js';
import { fieldOf } from '../space-param-parse.js';
import type { Sampler } from './sampler.js';

/** A grid this large is a mistake in the space (an int range without `num`), not a study anyone runs. */
export const MAX_GRID_POINTS = 100_000;

function evenly(low: number, high: number, num: number, log: boolean): number[] {
  const a = log ? Math.log(low) : low;
  const b = log ? Math.log(high) : high;
  // The ends are set exactly: exp(log(x)) need not give x back.
  return Array.from({ length: num }, (_, i) =>
    i === 0
      ? low
      : i === num - 1
        ? high
        : log
          ? Math.exp(a + ((b - a) * i) / (num - 1))
          : a + ((b - a) * i) / (num - 1),
  );
}

/** The values a parameter takes on the grid, in ascending (or declared) order. */
export function gridValues(spec: ParamSpec): readonly ParamValue[] {
  if (spec.type === 'categorical') return spec.choices;
  if (spec.grid) return spec.grid;
  const log = spec.type === 'log_uniform' || (spec.type === 'int' && spec.log);
  if (spec.type === 'int') {
    if (spec.num === undefined) {
      const count = (spec.high - spec.low) / spec.step + 1;
      if (count > MAX_GRID_POINTS) tooLarge();
      return Array.from({ length: count }, (_, i) => spec.low + i * spec.step);
    }
    const rounded = evenly(spec.low, spec.high, spec.num, log).map(
      (v) => spec.low + spec.step * Math.round((v - spec.low) / spec.step),
    );
    return [...new Set(rounded)];
  }
  if (spec.num === undefined) {
    throw invalid(`grid search needs 'grid' or 'num' for the continuous parameter '${spec.name}'`, {
      field: fieldOf(spec.name),
      param: spec.name,
    });
  }
  return evenly(spec.low, spec.high, spec.num, log);
}

function tooLarge(): never {
  throw invalid(`the grid has more than ${MAX_GRID_POINTS} points: give 'num' or 'grid' to coarsen it`);
}

/**
 * Every combination, the first parameter varying slowest. A conditional parameter is expanded only in the
 * combinations where it is active, so `algo: [gbdt, rf]` with `max_depth: [2, 4]` only under gbdt gives
 * three points, not four.
 */
export function gridPoints(space: SearchSpace): Params[] {
  const values = space.params.map(gridValues);
  const points: Params[] = [];
  const expand = (i: number, params: Params): void => {
    if (i === space.params.length) {
      if (points.length >= MAX_GRID_POINTS) tooLarge();
      points.push({ ...params });
      return;
    }
    const spec = space.params[i]!;
    if (!isActive(spec, params)) {
      expand(i + 1, params);
      return;
    }
    for (const v of values[i]!) {
      params[spec.name] = v;
      expand(i + 1, params);
    }
    delete params[spec.name];
  };
  expand(0, {});
  return points;
}

/**
 * Trial n gets grid point n, so the order is deterministic and a resumed study continues where it
 * stopped. The study runs at most `capacity` trials; a failed point is not retried.
 */
export function gridSampler(): Sampler {
  const cache = new WeakMap<SearchSpace, Params[]>();
  const pointsOf = (space: SearchSpace): Params[] => {
    let points = cache.get(space);
    if (!points) {
      points = gridPoints(space);
      cache.set(space, points);
    }
    return points;
  };
  return {
    name: 'grid',
    capacity: (space) => pointsOf(space).length,
    sample: ({ space, trialNumber }) => {
      const point = pointsOf(space)[trialNumber];
      if (!point) {
        throw invalid(
          `the grid has ${pointsOf(space).length} points; there is no point for trial ${trialNumber}`,
        );
      }
      return { ...point };
    },
  };
}
