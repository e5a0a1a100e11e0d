import { describe, expect, it } from 'vitest';
import type { TrialObservation } from '../trial.entity.js';
import { defaultGamma, defaultWeights, splitTrials } from './tpe-split.js';

describe('TPE defaults', () => {
  it('gamma is min(ceil(0.1 n), 25)', () => {
    expect([0, 1, 10, 11, 20, 30, 99, 250, 251, 1000].map(defaultGamma)).toEqual([
      0, 1, 1, 2, 2, 3, 10, 25, 25, 25,
    ]);
  });

  it('weights the newest 25 observations 1 and ramps older ones from 1/n', () => {
    expect(defaultWeights(0)).toEqual([]);
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    expect(defaultWeights(26)).toEqual([1 / 26, ...new Array(25).fill(1)]);
    const w = defaultWeights(28);
    expect(w.slice(0, 3)).toEqual([1 / 28, 1 / 28 + (1 - 1 / 28) / 2, 1]);
    expect(w).toHaveLength(28);
  });
});

describe('splitTrials', () => {
  const t = (
    number: number,
    state: TrialObservation['state'],
    value?: number,
    lastStep?: number,
  ): TrialObservation => ({
    number,
    params: {},
    state,
    ...(value !== undefined ? { value } : {}),
    ...(lastStep !== undefined ? { lastStep } : {}),
  });
  const history = [
    t(0, 'complete', 5),
    t(1, 'complete', 1),
    t(2, 'pruned', 0.5, 3),
    t(3, 'running'),
    t(4, 'complete', 3),
    t(5, 'pruned', 9, 7),
    t(6, 'failed'),
    t(7, 'pruned', undefined),
  ];
  const numbers = (ts: TrialObservation[]) => ts.map((x) => x.number);

  it('puts the best complete trials below, in number order', () => {
    const { below, above } = splitTrials(history, 'minimize', 2, false);
    expect(numbers(below)).toEqual([1, 4]);
    expect(numbers(above)).toEqual([0, 2, 5, 7]);
    expect(numbers(splitTrials(history, 'maximize', 2, false).below)).toEqual([0, 4]);
  });

  it('tops up with pruned trials, those that got further first, and adds running ones above as liars', () => {
    const { below, above } = splitTrials(history, 'minimize', 4, true);
    // Pruned 5 reached step 7, pruned 2 only step 3: 5 ranks first despite its worse value.
    expect(numbers(below)).toEqual([0, 1, 4, 5]);
    expect(numbers(above)).toEqual([2, 3, 7]);
  });
});
