import { type StudyWire, type TrialWire, toWireNumber } from '../contracts/index.js';
import type { TuningStudy, TuningTrial } from '../training/index.js';

export function presentStudy(s: TuningStudy): StudyWire {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    config: s.config,
    metric: s.metric,
    direction: s.direction,
    sampler: s.sampler,
    seed: s.seed,
    n_trials: s.nTrials,
    concurrency: s.concurrency,
    parent_run_id: s.parentRunId,
    best_trial: s.bestTrial,
    error: s.error,
    created_by: s.createdBy,
    created_at: s.createdAt,
    ended_at: s.endedAt,
    progress: {
      completed: s.progress.completed,
      total: s.progress.total,
      best: s.progress.best
        ? { number: s.progress.best.number, value: s.progress.best.value, params: s.progress.best.params }
        : null,
    },
  };
}

export function presentTrial(t: TuningTrial): TrialWire {
  return {
    number: t.number,
    params: t.params,
    state: t.state,
    value: t.value === null || Number.isFinite(t.value) ? t.value : null,
    intermediate: t.intermediate.map(([step, value]) => [step, toWireNumber(value)]),
    error: t.error,
    run_id: t.runId,
    started_at: t.startedAt,
    ended_at: t.endedAt,
  };
}
