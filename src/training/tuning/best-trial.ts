import type { BestTrial, Direction, TrialRecord } from './trial.entity.js';

/** The complete trial with the best value; the lowest number wins ties. */
export function bestTrial(
  trials: Iterable<Pick<TrialRecord, 'number' | 'params' | 'state' | 'value'>>,
  direction: Direction,
): BestTrial | null {
  let best: BestTrial | null = null;
  for (const t of trials) {
    if (t.state !== 'complete' || t.value === undefined) continue;
    if (!best || (direction === 'minimize' ? t.value < best.value : t.value > best.value)) {
      best = { number: t.number, value: t.value, params: { ...t.params } };
    }
  }
  return best;
}
