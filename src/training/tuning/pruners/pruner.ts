import type { Direction, TrialState } from '../trial.entity.js';

/** A trial as a pruner sees it: `id` is the trial number, `intermediate` maps step to reported value. */
export interface PrunerTrial {
  readonly id: number;
  readonly intermediate: ReadonlyMap<number, number>;
}

export interface PrunerTrialView extends PrunerTrial {
  readonly state: TrialState;
}

/**
 * Decides, right after `trial` reported `step`, whether to stop it. Pruners keep no state of their own:
 * everything is derived from the trials, so a resumed study decides exactly as an uninterrupted one.
 */
export interface Pruner {
  readonly name: string;
  /** `allTrials` is every trial of the study (the one asking included), in number order. */
  shouldPrune(
    trial: PrunerTrial,
    step: number,
    allTrials: readonly PrunerTrialView[],
    direction: Direction,
  ): boolean;
}
