import { invalid } from '../../../core/index.js';
import type { Direction } from '../trial.entity.js';
import type { Pruner, PrunerTrial } from './pruner.js';

export interface SuccessiveHalvingOptions {
  /** Steps before the first rung. Default 1 (Optuna's 'auto' estimate is not offered). */
  minResource?: number;
  /** Rung k sits at minResource * reductionFactor^(minEarlyStoppingRate + k). Default 3. */
  reductionFactor?: number;
  /** Default 0. */
  minEarlyStoppingRate?: number;
}

/**
 * The value a trial recorded at a rung: the one of its first report at or past the rung's step. That is
 * what Optuna stores in the trial's system attributes when the trial reaches the rung; deriving it from the
 * reports keeps the pruner stateless.
 */
function rungValue(trial: PrunerTrial, rungStep: number): { step: number; value: number } | undefined {
  let first: number | undefined;
  for (const s of trial.intermediate.keys())
    if (s >= rungStep && (first === undefined || s < first)) first = s;
  return first === undefined ? undefined : { step: first, value: trial.intermediate.get(first)! };
}

/** Optuna's `_is_trial_promotable_to_next_rung`, `competing` including the trial's own value. */
export function isPromotable(
  value: number,
  competing: number[],
  reductionFactor: number,
  direction: Direction,
): boolean {
  let index = Math.floor(competing.length / reductionFactor) - 1;
  // Until a rung holds reductionFactor values, only the best so far goes on (Optuna cannot pause trials).
  if (index === -1) index = 0;
  competing.sort((a, b) => a - b);
  return direction === 'maximize'
    ? competing[competing.length - 1 - index]! <= value
    : value <= competing[index]!;
}

/**
 * Asynchronous successive halving as Optuna's SuccessiveHalvingPruner (bootstrap_count 0): when a report
 * takes a trial to or past a rung, its value there competes with the values every other trial (any
 * state) recorded at that rung, and the trial goes on only if it is in the top 1/reductionFactor. A report
 * that passes several rungs at once is checked at each of them with the same value; NaN is pruned.
 * One difference, only for such jumps: Optuna records a trial pruned at the first of those rungs there
 * alone, while the values derived here count it at every rung its report reached.
 */
export function successiveHalvingPruner(options: SuccessiveHalvingOptions = {}): Pruner {
  const minResource = options.minResource ?? 1;
  const rf = options.reductionFactor ?? 3;
  const rate = options.minEarlyStoppingRate ?? 0;
  if (!Number.isInteger(minResource) || minResource < 1)
    throw invalid(`minResource must be an integer >= 1, got ${minResource}`);
  if (!Number.isInteger(rf) || rf < 2) throw invalid(`reductionFactor must be an integer >= 2, got ${rf}`);
  if (!Number.isInteger(rate) || rate < 0)
    throw invalid(`minEarlyStoppingRate must be an integer >= 0, got ${rate}`);
  const rungStep = (rung: number): number => minResource * rf ** (rate + rung);
  return {
    name: 'successive_halving',
    shouldPrune(trial, step, allTrials, direction) {
      const value = trial.intermediate.get(step);
      if (value === undefined) return false;
      for (let rung = 0; rungStep(rung) <= step; rung++) {
        // Rungs reached by an earlier report were decided then.
        if (rungValue(trial, rungStep(rung))?.step !== step) continue;
        if (Number.isNaN(value)) return true;
        const competing = [value];
        for (const other of allTrials) {
          if (other.id === trial.id) continue;
          const v = rungValue(other, rungStep(rung))?.value;
          if (v !== undefined && !Number.isNaN(v)) competing.push(v);
        }
        if (!isPromotable(value, competing, rf, direction)) return true;
      }
      return false;
    },
  };
}
