import { describe, expect, it } from 'vitest';
import type { TrialState } from '../trial.entity.js';
import type { PrunerTrialView } from './pruner.js';
import {
  isPromotable,
  type SuccessiveHalvingOptions,
  successiveHalvingPruner,
} from './successive-halving-pruner.js';

const trial = (
  id: number,
  values: Record<number, number>,
  state: TrialState = 'complete',
): PrunerTrialView => ({
  id,
  state,
  intermediate: new Map(Object.entries(values).map(([s, v]) => [Number(s), v])),
});

/** Trial 99 has reported `values`; asks about its last step. Rungs at steps 1, 3, 9 unless told. */
function decide(
  values: Record<number, number>,
  others: PrunerTrialView[],
  options: SuccessiveHalvingOptions = {},
  direction: 'minimize' | 'maximize' = 'minimize',
) {
  const current = trial(99, values, 'running');
  const step = Math.max(...current.intermediate.keys());
  return successiveHalvingPruner(options).shouldPrune(current, step, [...others, current], direction);
}

// Five trials (any state counts) that recorded 0.5, 0.3, 0.9, 0.7, 0.1 at rung 0 (step 1).
const rung0 = [0.5, 0.3, 0.9, 0.7, 0.1].map((v, i) =>
  trial(i, { 0: 5, 1: v }, i === 2 ? 'pruned' : 'complete'),
);

describe('successiveHalvingPruner (as Optuna SuccessiveHalvingPruner, min_resource 1, reduction_factor 3)', () => {
  it('never prunes before the first rung, and always promotes the first trial to reach a rung', () => {
    expect(decide({ 0: 100 }, rung0)).toBe(false);
    expect(decide({ 0: 100, 1: 100 }, [])).toBe(false);
  });

  it('promotes only the top 1/3 of the values recorded at a rung, the trial itself included', () => {
    // Competing: 0.1 0.3 0.4 0.5 0.7 0.9 -> index 6 // 3 - 1 = 1 -> must be <= 0.3.
    expect(decide({ 1: 0.4 }, rung0)).toBe(true);
    expect(decide({ 1: 0.3 }, rung0)).toBe(false);
    expect(decide({ 1: 0.2 }, rung0)).toBe(false);
  });

  it('lets only the best go on while a rung holds fewer than reduction_factor values', () => {
    const first = [trial(0, { 1: 2 })];
    expect(decide({ 1: 2.5 }, first)).toBe(true); // two values: index -1 -> 0, the best only
    expect(decide({ 1: 1.5 }, first)).toBe(false);
  });

  it('records a rung at the first report at or past its step, and decides each rung once', () => {
    // Trial 0 reported steps 0, 2, 4: its rung-0 value is the one at step 2, its rung-1 value the one at 4.
    const sparse = [trial(0, { 0: 9, 2: 1, 4: 0.5 })];
    expect(decide({ 2: 1.2 }, sparse)).toBe(true);
    expect(decide({ 2: 0.8 }, sparse)).toBe(false);
    // Between rungs nothing is decided, however bad the value.
    expect(decide({ 1: 0.1, 2: 50 }, rung0)).toBe(false);
  });

  it('compares at rung 1 (step 3) with the values recorded there', () => {
    const others = [trial(0, { 1: 1, 3: 0.5 }), trial(1, { 1: 2, 3: 0.8 }), trial(2, { 1: 3 }, 'pruned')];
    // Rung 1 competing: 0.5, 0.8 and the trial's own -> index 0: must be the best.
    expect(decide({ 1: 0.9, 3: 0.9 }, others)).toBe(true);
    expect(decide({ 1: 0.9, 3: 0.4 }, others)).toBe(false);
  });

  it('checks every rung a single report passes, with that report value', () => {
    const others = [0.1, 0.2, 0.3, 2, 3].map((v, i) => trial(i, { 1: v }));
    // Step 10 passes rungs at 1, 3 and 9; at rung 0 the competing values give index 1 -> <= 0.2.
    expect(decide({ 0: 5, 10: 0.7 }, others)).toBe(true);
    expect(decide({ 0: 5, 10: 0.15 }, others)).toBe(false);
  });

  it('follows the direction', () => {
    // Competing ascending: 0.1 0.3 0.5 0.7 0.75 0.9 -> the second largest (0.75) is the bar.
    expect(decide({ 1: 0.75 }, rung0, {}, 'maximize')).toBe(false);
    // With 0.6 the competing values are 0.1 0.3 0.5 0.6 0.7 0.9: the bar is 0.7.
    expect(decide({ 1: 0.6 }, rung0, {}, 'maximize')).toBe(true);
  });

  it('places rungs at min_resource * rf^(min_early_stopping_rate + k)', () => {
    // min_early_stopping_rate 1: rungs at 3, 9; step 1 is not a rung.
    expect(decide({ 1: 100 }, rung0, { minEarlyStoppingRate: 1 })).toBe(false);
    // min_resource 2, reduction_factor 2: rungs at 2, 4, 8.
    const halves = [trial(0, { 2: 1 }), trial(1, { 2: 2 }), trial(2, { 2: 3 })];
    // Competing 1, 2, 3, 2.5 -> index 4 // 2 - 1 = 1 -> must be <= 2.
    expect(decide({ 2: 2.5 }, halves, { minResource: 2, reductionFactor: 2 })).toBe(true);
    expect(decide({ 2: 2 }, halves, { minResource: 2, reductionFactor: 2 })).toBe(false);
  });

  it('prunes NaN at a rung and ignores NaN in other trials', () => {
    expect(decide({ 1: Number.NaN }, [])).toBe(true);
    expect(decide({ 1: 0.5 }, [trial(0, { 1: Number.NaN })])).toBe(false);
  });

  it('implements the promotion rule of Optuna', () => {
    expect(isPromotable(3, [1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 'minimize')).toBe(true); // index 2 -> 3
    expect(isPromotable(4, [1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 'minimize')).toBe(false);
    expect(isPromotable(7, [1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 'maximize')).toBe(true);
    expect(() => successiveHalvingPruner({ reductionFactor: 1 })).toThrow(
      /reductionFactor must be an integer >= 2/,
    );
  });
});
