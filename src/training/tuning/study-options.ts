import type { Clock } from '../../core/index.js';
import type { Pruner } from './pruners/pruner.js';
import type { Sampler } from './samplers/sampler.js';
import type { Params, SearchSpace } from './space.js';
import type { BestTrial, Direction, TrialRecord } from './trial.entity.js';
import type { TrialContext } from './trial-context.js';
import type { TrialStorage } from './trial-storage.js';

export type Objective = (params: Params, trial: TrialContext) => Promise<number>;

export interface StudyProgress {
  /** Finished trials (complete, pruned or failed), those loaded from storage included. */
  completed: number;
  total: number;
  best: BestTrial | null;
}

export interface StudyOptions {
  space: SearchSpace;
  sampler: Sampler;
  pruner?: Pruner;
  direction: Direction;
  /** The study's total: finished trials already in storage count towards it. */
  nTrials: number;
  /** Objectives running at once. Default 1. */
  concurrency?: number;
  objective: Objective;
  storage: TrialStorage;
  signal?: AbortSignal;
  /** Called after each trial this call finishes (not after interrupted ones); if it throws, the study stops. */
  onProgress?: (progress: StudyProgress) => void;
  /** Stop with an error when the first this-many trials this call runs all fail; 0 never stops. Default 5. */
  maxInitialFailures?: number;
  clock?: Clock;
}

export interface StudyResult {
  best: BestTrial | null;
  /** Every trial of the study, in number order. */
  trials: TrialRecord[];
}
