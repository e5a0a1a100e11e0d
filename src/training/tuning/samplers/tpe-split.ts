import type { Direction, TrialObservation } from '../trial.entity.js';

/** Optuna's default_gamma: how many of n finished trials count as good. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default_weights: the newest 25 observations weigh 1, older ones ramp down linearly to 1/n. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const start = 1 / n;
  const rampWeights =
    ramp === 1 ? [start] : Array.from({ length: ramp }, (_, i) => start + ((1 - start) * i) / (ramp - 1));
  return [...rampWeights, ...new Array<number>(25).fill(1)];
}

/** Pruned trials rank after complete ones: further steps first, then the better last value. */
function prunedScore(t: TrialObservation, direction: Direction): [number, number] {
  if (t.lastStep === undefined) return [1, 0];
  const v = t.value;
  if (v === undefined || Number.isNaN(v)) return [-t.lastStep, Number.POSITIVE_INFINITY];
  return [-t.lastStep, direction === 'minimize' ? v : -v];
}

export interface TrialSplit {
  below: TrialObservation[];
  above: TrialObservation[];
}

/**
 * Optuna's `_split_trials`: the best `nBelow` complete trials are "below" (good), topped up with the best
 * pruned trials if too few completed; everything else is "above". Running trials go above when
 * `constantLiar` (the constant liar: assume they turn out bad, so l(x)/g(x) steers away from them).
 * `history` must be in number order; both halves keep it, so the weights ramp by age.
 */
export function splitTrials(
  history: readonly TrialObservation[],
  direction: Direction,
  nBelow: number,
  constantLiar: boolean,
): TrialSplit {
  const sign = direction === 'minimize' ? 1 : -1;
  const complete = history
    .filter((t) => t.state === 'complete' && t.value !== undefined)
    .sort((a, b) => sign * (a.value! - b.value!));
  const pruned = history
    .filter((t) => t.state === 'pruned')
    .map((t) => ({ t, score: prunedScore(t, direction) }))
    .sort((a, b) => a.score[0] - b.score[0] || a.score[1] - b.score[1] || 0)
    .map(({ t }) => t);
  const nComplete = Math.min(nBelow, complete.length);
  const nPruned = Math.min(Math.max(0, nBelow - nComplete), pruned.length);
  const below = [...complete.slice(0, nComplete), ...pruned.slice(0, nPruned)];
  const above = [...complete.slice(nComplete), ...pruned.slice(nPruned)];
  if (constantLiar) above.push(...history.filter((t) => t.state === 'running'));
  const byNumber = (a: TrialObservation, b: TrialObservation) => a.number - b.number;
  return { below: below.sort(byNumber), above: above.sort(byNumber) };
}
