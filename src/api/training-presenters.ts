import type { TrainingJobWire, TrainResultWire } from '../contracts/index.js';
import type { TrainingJob, TrainResult } from '../training/index.js';

export function presentTrainResult(r: TrainResult): TrainResultWire {
  return {
    run_id: r.runId,
    experiment_id: r.experimentId,
    algorithm: r.algorithm,
    task: r.task,
    iterations: r.iterations,
    evaluated_on: r.evaluatedOn,
    metrics: r.metrics,
    rows: {
      train: r.rows.train,
      validation: r.rows.validation,
      test: r.rows.test,
      dropped_missing_target: r.rows.droppedMissingTarget,
    },
    skipped_columns: r.skippedColumns,
    bundle_path: r.bundlePath,
    manifest: r.manifest,
    duration_ms: Math.round(r.durationMs),
  };
}

export function presentTrainingJob(j: TrainingJob): TrainingJobWire {
  return {
    id: j.id,
    run_id: j.runId,
    experiment_id: j.experimentId,
    algorithm: j.algorithm,
    status: j.status,
    progress: j.progress,
    started_at: j.startedAt,
    ended_at: j.endedAt,
    result: j.result ? presentTrainResult(j.result) : null,
    error: j.error,
  };
}
