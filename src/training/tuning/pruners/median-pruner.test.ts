import { describe, expect, it } from 'vitest';
import type { TrialState } from '../trial.entity.js';
import { medianPruner, percentileOf } from './median-pruner.js';
import type { PrunerTrialView } from './pruner.js';

const trial = (id: number, state: TrialState, values: Record<number, number>): PrunerTrialView => ({
  id,
  state,
  intermediate: new Map(Object.entries(values).map(([s, v]) => [Number(s), v])),
});

// Five complete trials; their values at steps 0, 1, 2 have medians 8, 6, 4. A pruned trial with very good
// values would pull the median at step 1 down to 5.5 if it counted; Optuna counts complete trials only.
const history = [
  trial(0, 'complete', { 0: 10, 1: 8, 2: 6 }),
  trial(1, 'complete', { 0: 9, 1: 7, 2: 5 }),
  trial(2, 'complete', { 0: 8, 1: 6, 2: 4 }),
  trial(3, 'complete', { 0: 7, 1: 5, 2: 3 }),
  trial(4, 'complete', { 0: 6, 1: 4, 2: 2 }),
  trial(5, 'pruned', { 0: 1, 1: 1 }),
];

/** Asks the pruner about trial 9 after it reported `values`, at its last step. */
function decide(
  values: Record<number, number>,
  options = {},
  others = history,
  direction: 'minimize' | 'maximize' = 'minimize',
) {
  const current = trial(9, 'running', values);
  const step = Math.max(...current.intermediate.keys());
  return medianPruner(options).shouldPrune(current, step, [...others, current], direction);
}

describe('medianPruner (as Optuna MedianPruner)', () => {
  it('prunes when the best value so far is worse than the median of complete trials at that step', () => {
    expect(decide({ 0: 8.5 })).toBe(true);
    expect(decide({ 0: 8 })).toBe(false); // equal to the median is not worse
    expect(decide({ 0: 7, 1: 6.5 })).toBe(true); // best 6.5 > 6
    expect(decide({ 0: 5, 1: 9 })).toBe(false); // best so far is 5, from step 0
    expect(decide({ 0: 7, 1: 5.8 })).toBe(false); // 5.8 < 6: the pruned trial does not count
  });

  it('follows the direction', () => {
    expect(decide({ 0: 7.5 }, {}, history, 'maximize')).toBe(true);
    expect(decide({ 0: 9 }, {}, history, 'maximize')).toBe(false);
    expect(decide({ 0: 1, 1: 7 }, {}, history, 'maximize')).toBe(false); // best 7 > 6
  });

  it('waits for n_startup_trials complete trials and n_warmup_steps', () => {
    expect(decide({ 0: 100 }, {}, history.slice(1))).toBe(false); // four complete trials
    expect(decide({ 0: 100 }, { nStartupTrials: 4 }, history.slice(1))).toBe(true);
    expect(decide({ 0: 100, 1: 100 }, { nWarmupSteps: 2 })).toBe(false);
    expect(decide({ 0: 100, 1: 100, 2: 4.5 }, { nWarmupSteps: 2 })).toBe(true);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    const four = history.slice(0, 4); // step 0: 10, 9, 8, 7 -> 8.5
    expect(decide({ 0: 8.6 }, { nStartupTrials: 4 }, four)).toBe(true);
    expect(decide({ 0: 8.4 }, { nStartupTrials: 4 }, four)).toBe(false);
    expect(percentileOf([10, 9, 8, 7], 50)).toBe(8.5);
    expect(percentileOf([1, 2, 3, 4, 5], 25)).toBe(2);
  });

  it('does not prune at a step no complete trial reported, and prunes an all-NaN trial', () => {
    expect(decide({ 3: 100 })).toBe(false);
    expect(decide({ 0: Number.NaN })).toBe(true);
    expect(decide({ 0: Number.NaN, 1: 5 })).toBe(false); // NaNs are skipped when taking the best
  });

  it('prunes once per interval_steps', () => {
    // Interval 2 from step 0: step 1 shares the interval of step 0, already decided.
    expect(decide({ 0: 7, 1: 100 }, { intervalSteps: 2 })).toBe(false);
    // A trial that skipped step 0 is decided at step 1.
    expect(decide({ 1: 100 }, { intervalSteps: 2 })).toBe(true);
    expect(decide({ 0: 7, 1: 100, 2: 100 }, { intervalSteps: 2 })).toBe(true);
  });

  it('rejects bad options', () => {
    expect(() => medianPruner({ nStartupTrials: -1 })).toThrow(/nStartupTrials must be an integer >= 0/);
    expect(() => medianPruner({ intervalSteps: 0 })).toThrow(/intervalSteps must be an integer >= 1/);
  });
});
