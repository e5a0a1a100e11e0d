import type { Task } from '../model.entity.js';
import type { VersionRef } from '../training.entity.js';
import type { BestTrial, Direction, Params, ParamValue, SearchSpace, TrialState } from '../tuning/index.js';

export type StudyStatus = 'running' | 'finished' | 'failed' | 'cancelled';
export type StudySamplerName = 'tpe' | 'random' | 'grid';
/** Pruners stop unpromising trials while they train, from their per-iteration validation loss. */
export type StudyPrunerName = 'none' | 'median' | 'successive_halving';

/**
 * A study as `cyclops tune --config tune.yaml` sends it (snake_case, as in the YAML). `parseStudyConfig`
 * checks it and fills the defaults; it is stored as given.
 */
export interface StudyConfig {
  name: string;
  /** `{ dataset, version? }`, or the text `name` / `name@3`. */
  train: VersionRef | string;
  validation?: VersionRef | string;
  test?: VersionRef | string;
  target: string;
  task?: Task;
  /** Required unless the space has a categorical `algorithm` parameter (then each trial picks one). */
  algorithm?: string;
  /** Hyperparameters every trial gets, each passed to the study's algorithms that take it. */
  fixed_params?: Record<string, ParamValue>;
  /** The search space (see parseSearchSpace). */
  space: Record<string, unknown>;
  /** A key of TrainResult.metrics: roc_auc, accuracy, log_loss, rmse, r2, ... */
  metric: string;
  /** Default: minimize for losses and errors (log_loss, brier_score, rmse, mae, mape, ...), else maximize. */
  direction?: Direction;
  /** Default tpe. */
  sampler?: StudySamplerName;
  n_trials: number;
  /** Trials training at once; default 1, at most 8. */
  concurrency?: number;
  /** Seeds the sampler and every trial's training; default 0. */
  seed?: number;
  /** Default none (see README.md, "Pruning"). */
  pruner?: StudyPrunerName;
  experiment?: string;
  /** A TransformConfig fitted on each trial's training data. */
  transform?: unknown;
  features?: string[];
  /** Permutation importance in each trial's evaluation; default false (it costs time per trial). */
  permutation_importance?: boolean;
}

/** A checked StudyConfig with its defaults filled and its space parsed. */
export interface ResolvedStudyConfig {
  name: string;
  train: VersionRef;
  validation?: VersionRef;
  test?: VersionRef;
  target: string;
  task?: Task;
  /** The fixed algorithm; absent when the space searches an `algorithm` parameter. */
  algorithm?: string;
  /** Every algorithm a trial may train. */
  algorithms: string[];
  fixedParams: Record<string, ParamValue>;
  space: SearchSpace;
  metric: string;
  direction: Direction;
  sampler: StudySamplerName;
  nTrials: number;
  concurrency: number;
  seed: number;
  pruner: StudyPrunerName;
  experiment?: string;
  transform?: unknown;
  features?: string[];
  permutationImportance: boolean;
}

export interface StudyProgress {
  /** Finished trials (complete, pruned or failed). */
  completed: number;
  /** Trials the study runs in all: n_trials, or fewer when a grid has fewer points. */
  total: number;
  best: BestTrial | null;
}

export interface TuningStudy {
  id: number;
  name: string;
  status: StudyStatus;
  /** The config as it was given. */
  config: unknown;
  metric: string;
  direction: Direction;
  sampler: StudySamplerName;
  seed: number;
  nTrials: number;
  concurrency: number;
  /** The tracking run whose child runs the trials are. */
  parentRunId: string | null;
  /** Set when the study ends: its best complete trial. */
  bestTrial: number | null;
  /** Why the study failed or stopped. */
  error: string | null;
  createdBy: string;
  createdAt: number;
  endedAt: number | null;
  progress: StudyProgress;
}

export interface TuningTrial {
  number: number;
  params: Params;
  state: TrialState;
  value: number | null;
  /** Per-iteration losses `[step, value]` (validation_loss, else train_loss); NaN possible. */
  intermediate: [number, number][];
  error: string | null;
  /** The trial's training run (null until its training returned, or when it failed before). */
  runId: string | null;
  startedAt: number;
  endedAt: number | null;
}

export interface TuningStudyDetail extends TuningStudy {
  trials: TuningTrial[];
}

export interface TuningStudyPage {
  items: TuningStudy[];
  nextPageToken: string | undefined;
}
