import type { BundleManifest } from '../contracts/index.js';
import type { RequestContext } from '../core/index.js';
import type { EvaluationReport } from './evaluation/index.js';
import type { Task } from './model.entity.js';

/** A dataset version by name; the latest version when none is given. */
export interface VersionRef {
  dataset: string;
  version?: number | undefined;
}

export interface TrainInput {
  /** The training data. */
  train: VersionRef;
  /** Held-out data for early stopping and per-iteration validation loss (optional). */
  validation?: VersionRef | undefined;
  /** Data the final model is evaluated on (default: the validation data, else the training data). */
  test?: VersionRef | undefined;
  target: string;
  /** Default: inferred from the target (see inferFeatureSchema). */
  task?: Task | undefined;
  algorithm: string;
  params?: Record<string, unknown> | undefined;
  /** Feature columns (default: every column but the target). */
  features?: string[] | undefined;
  /** A TransformConfig fitted on the training data and applied to all three, kept in the bundle. */
  transform?: unknown;
  seed?: number | undefined;
  /** Experiment name or id for the run (default: the Default experiment). */
  experiment?: string | undefined;
  runName?: string | undefined;
  /** Tuning: the study's run, whose child this run is. */
  parentRunId?: string | undefined;
  /** Report metrics per value of this column of the evaluation data (optional). */
  sliceBy?: string | undefined;
  /** Permutation importance on up to 5,000 evaluation rows (default true). */
  permutationImportance?: boolean | undefined;
  /** Stops the training (its fit is interrupted and its run ends FAILED), like cancelling its job. */
  signal?: AbortSignal | undefined;
  /**
   * Called while the fit runs, in order, for each iteration that reported losses (boosting rounds,
   * optimizer steps), a few times a second: what a tuning study prunes trials on.
   */
  onIteration?:
    | ((step: number, losses: { train_loss?: number; validation_loss?: number }) => void)
    | undefined;
}

export interface TrainResult {
  runId: string;
  experimentId: string;
  algorithm: string;
  task: Task;
  /** Boosting rounds or optimizer iterations done (null for algorithms without iterations). */
  iterations: number | null;
  /** The data set the metrics are on: test, validation or train. */
  evaluatedOn: 'test' | 'validation' | 'train';
  metrics: Record<string, number | null>;
  rows: { train: number; validation: number | null; test: number | null; droppedMissingTarget: number };
  skippedColumns: { name: string; reason: string }[];
  /** The bundle's directory among the run's artifacts. */
  bundlePath: string;
  manifest: BundleManifest;
  report: TrainingReport;
  durationMs: number;
}

/** The evaluation report stored with a run (evaluation/report.json). */
export interface TrainingReport {
  evaluatedOn: 'test' | 'validation' | 'train';
  evaluation: EvaluationReport;
  featureImportance: {
    gain: { feature: string; importance: number }[] | null;
    permutation: { feature: string; mean: number; std: number }[] | null;
    /** The score permutation importance measured drops of. */
    permutationScore: string | null;
  };
  slices: {
    column: string;
    slices: { key: string | number | null; rows: number; metrics: Record<string, number | null> | null }[];
  } | null;
  history: { step: number; metrics: Record<string, number> }[];
}

/**
 * Where training logs to: a tracking run. The composing layer wires tracking's services in (training
 * does not import tracking: DESIGN.md "Layers").
 */
export interface TrainingTracker {
  startRun(
    ctx: RequestContext,
    input: { experiment?: string | undefined; runName?: string | undefined; tags: Record<string, string> },
  ): Promise<{ runId: string; experimentId: string }>;
  log(
    ctx: RequestContext,
    runId: string,
    batch: {
      params?: Record<string, string>;
      metrics?: { key: string; value: number; step: number; timestamp: number }[];
      tags?: Record<string, string>;
    },
  ): Promise<void>;
  uploadArtifact(ctx: RequestContext, runId: string, path: string, bytes: Uint8Array): Promise<void>;
  endRun(ctx: RequestContext, runId: string, status: 'FINISHED' | 'FAILED'): Promise<void>;
  readArtifact(ctx: RequestContext, runId: string, path: string): Promise<Uint8Array>;
}

export type JobStatus = 'running' | 'finished' | 'failed' | 'cancelled';

/** A training running in the background (the API returns as soon as the data is loaded and checked). */
export interface TrainingJob {
  id: string;
  runId: string;
  experimentId: string;
  algorithm: string;
  status: JobStatus;
  /** Iterations done and planned (boosting rounds, trees, optimizer steps); null before the fit starts. */
  progress: { done: number; total: number | null };
  startedAt: number;
  endedAt: number | null;
  result: TrainResult | null;
  error: { code: string; message: string } | null;
}
