import type { Params } from './space.js';

export type Direction = 'minimize' | 'maximize';

export type TrialState = 'running' | 'complete' | 'pruned' | 'failed';

/**
 * A trial as `TrialStorage` keeps it. `value` is the objective's result for a complete trial and the last
 * intermediate value for a pruned one (as Optuna records it), so a pruned trial still ranks in TPE.
 * Times are milliseconds since the epoch.
 */
export interface TrialRecord {
  number: number;
  params: Params;
  state: TrialState;
  value?: number;
  /** `[step, value]` pairs in step order; a value may be NaN (a diverged loss is worth reporting). */
  intermediate: [number, number][];
  error?: string;
  startedAt: number;
  endedAt?: number;
}

/** What a sampler sees of a trial. Running trials are included so a sampler can avoid their points. */
export interface TrialObservation {
  readonly number: number;
  readonly params: Readonly<Params>;
  readonly state: TrialState;
  readonly value?: number;
  /** The highest step a pruned trial reported: TPE ranks trials that got further as better. */
  readonly lastStep?: number;
}

export interface BestTrial {
  number: number;
  value: number;
  params: Params;
}
