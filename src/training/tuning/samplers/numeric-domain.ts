import type { NumericParam } from '../space.js';

/**
 * A numeric parameter seen from the samplers: the interval they draw in (log space for log parameters,
 * widened by half a step at each end for integers so every integer gets a bin of equal width) and the
 * conversions to and from it.
 */
export interface NumericDomain {
  readonly low: number;
  readonly high: number;
  toInternal(value: number): number;
  /** The valid parameter value nearest to an internal point: rounded to the step, clamped to the bounds. */
  fromInternal(x: number): number;
  /** For an integer parameter, the internal interval that rounds to `value`. */
  readonly bin?: (value: number) => readonly [number, number];
}

const clamp = (v: number, low: number, high: number): number => Math.min(high, Math.max(low, v));

export function numericDomain(spec: NumericParam): NumericDomain {
  const { low, high } = spec;
  if (spec.type === 'uniform') {
    return { low, high, toInternal: (v) => v, fromInternal: (x) => clamp(x, low, high) };
  }
  if (spec.type === 'log_uniform') {
    return {
      low: Math.log(low),
      high: Math.log(high),
      toInternal: Math.log,
      fromInternal: (x) => clamp(Math.exp(x), low, high),
    };
  }
  if (spec.log) {
    return {
      low: Math.log(low - 0.5),
      high: Math.log(high + 0.5),
      toInternal: Math.log,
      fromInternal: (x) => clamp(Math.round(Math.exp(x)), low, high),
      bin: (v) => [Math.log(v - 0.5), Math.log(v + 0.5)],
    };
  }
  const step = spec.step;
  const half = step / 2;
  return {
    low: low - half,
    high: high + half,
    toInternal: (v) => v,
    fromInternal: (x) => clamp(low + step * Math.round((x - low) / step), low, high),
    bin: (v) => [v - half, v + half],
  };
}
