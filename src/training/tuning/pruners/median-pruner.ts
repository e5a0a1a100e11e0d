import { invalid } from '../../../core/index.js';
import type { Pruner } from './pruner.js';

export interface PercentilePrunerOptions {
  /** Complete trials needed before anything is pruned. Default 5. */
  nStartupTrials?: number;
  /** Steps below this are never pruned. Default 0. */
  nWarmupSteps?: number;
  /** Prune only at warmup + k * intervalSteps (the first report at or past each). Default 1. */
  intervalSteps?: number;
  /** Complete trials that must have reported the step for a comparison. Default 1. */
  nMinTrials?: number;
}

function checkInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw invalid(`pruner ${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/** numpy's default (linear) percentile of a non-empty list, NaNs ignored. */
export function percentileOf(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const pos = ((sorted.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Optuna's PercentilePruner: prune when the trial's best intermediate value so far is worse than the
 * q-th percentile (the (100 - q)-th when maximizing) of the values that *complete* trials reported at the
 * same step. Pruned and running trials are not compared against, as in Optuna. A trial whose values are all
 * NaN is pruned.
 */
export function percentilePruner(percentile: number, options: PercentilePrunerOptions = {}): Pruner {
  if (!(percentile >= 0 && percentile <= 100))
    throw invalid(`pruner percentile must be in [0, 100], got ${percentile}`);
  const nStartup = checkInteger('nStartupTrials', options.nStartupTrials ?? 5, 0);
  const nWarmup = checkInteger('nWarmupSteps', options.nWarmupSteps ?? 0, 0);
  const interval = checkInteger('intervalSteps', options.intervalSteps ?? 1, 1);
  const nMin = checkInteger('nMinTrials', options.nMinTrials ?? 1, 1);
  return {
    name: percentile === 50 ? 'median' : 'percentile',
    shouldPrune(trial, step, allTrials, direction) {
      const complete = allTrials.filter((t) => t.state === 'complete' && t.id !== trial.id);
      if (complete.length === 0 || complete.length < nStartup) return false;
      if (step < nWarmup) return false;
      // Optuna prunes once per interval: only if no earlier report already fell in this interval.
      const nearestLowerPruningStep = Math.floor((step - nWarmup) / interval) * interval + nWarmup;
      let previous = -1;
      for (const s of trial.intermediate.keys()) if (s !== step && s > previous) previous = s;
      if (previous >= nearestLowerPruningStep) return false;
      const own = [...trial.intermediate.values()].filter((v) => !Number.isNaN(v));
      if (own.length === 0) return true;
      const best = direction === 'minimize' ? Math.min(...own) : Math.max(...own);
      const atStep: number[] = [];
      for (const t of complete) {
        const v = t.intermediate.get(step);
        if (v !== undefined) atStep.push(v);
      }
      if (atStep.length < nMin) return false;
      const threshold = percentileOf(atStep, direction === 'minimize' ? percentile : 100 - percentile);
      if (Number.isNaN(threshold)) return false;
      return direction === 'minimize' ? best > threshold : best < threshold;
    },
  };
}

/** Optuna's MedianPruner: the 50th percentile. */
export function medianPruner(options: PercentilePrunerOptions = {}): Pruner {
  return percentilePruner(50, options);
}
